import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImportAttribute, ImportField } from '../lib/kinds/dataset-import-job';
import { METRIC_ATTRIBUTE_PREFIX, SolutionVersionAttribute, TrainingField } from '../lib/kinds/solution-version';
import { WaiterAttribute, WaiterProperty } from '../lib/waiter-contract';
import { formatDuration } from '../lib/waiter-timing';
import { LIVE_IMPORT_TIMELINE } from './local-imports';
import { DEFAULT_METRICS, LIVE_TRAINING_TIMELINE } from './local-trainings';
import { Deployment, LocalDeployment, SentRequest, SimulatedClock } from './local-deployment';
import { LIVE_SERVICE_TIMELINE, LocalPersonalize } from './personalize-endpoint';
import type { TimelineStep } from './timeline';

/**
 * The pipeline scenario of `npm run demo`: the example pipeline (bin/pipeline-stack.ts) deployed
 * three times on the local endpoint — as shipped, after its sample interactions changed, and
 * unchanged — printing each step as it starts and ends.
 */

export interface PipelineDemo {
  /** The sample data folder the first deployment was synthesized with. */
  readonly sampleDir: string;
  readonly stackName: string;
  /** Synthesizes the pipeline with the data of `dataDir` into a new cloud assembly; answers its folder. */
  readonly synthesize: (dataDir: string, name: string) => string;
  /** The folder the first deployment was synthesized into. */
  readonly assemblyDir: string;
  /** The clock the deployment and the handlers read. */
  readonly clock: SimulatedClock;
}

/** The pipeline's steps, in dependency order: the construct ids and resource types of bin/pipeline-stack.ts. */
const STEPS = [
  { id: 'ImportInteractions', type: 'Custom::PersonalizeDatasetImportJob', what: 'import interactions.csv' },
  { id: 'ImportItems', type: 'Custom::PersonalizeDatasetImportJob', what: 'import items.csv' },


  { id: 'SegmentsModel', type: 'Custom::PersonalizeSolutionVersion', what: 'train the segments model (Item-Affinity)' },
  { id: 'RecommendationsModel', type: 'Custom::PersonalizeSolutionVersion', what: 'train the recommendations model, gated on NDCG@10' },
  { id: 'Segments', type: 'Custom::PersonalizeBatchSegmentJob', what: 'batch segment job' },
  { id: 'Recommendations', type: 'Custom::PersonalizeBatchInferenceJob', what: 'batch inference job' },
] as const;

const NDCG = 'normalized_discounted_cumulative_gain_at_10';

export async function runPipelineScenario(demo: PipelineDemo, personalize: LocalPersonalize, say: (line?: string) => void): Promise<void> {
  const progress = new StepProgress(say);
  const deployment = new LocalDeployment(demo.assemblyDir, demo.stackName, { clock: demo.clock, ...progress.hooks });
  const order = STEPS.flatMap((step) => deployment.chainOf(step.id, step.type));
  const stepOf = new Map(STEPS.flatMap((step) => deployment.chainOf(step.id, step.type).map((logicalId) => [logicalId, step.what] as const)));
  progress.stepOf = (logicalId) => stepOf.get(logicalId)!;
  // The datasets and solutions of the stack's L1 resources, by the ARNs its imports and trainings name.
  const arnsNamed = (type: string, field: string) => [...new Set(deployment.logicalIdsOf(type).map((id) => String(deployment.requestPropertiesOf(id)[WaiterProperty.JOB][field])))];
  const solutions = arnsNamed('Custom::PersonalizeSolutionVersion', TrainingField.SOLUTION_ARN);
  scriptPersonalizeFor(arnsNamed('Custom::PersonalizeDatasetImportJob', ImportField.DATASET_ARN), solutions, personalize, say);

  say('  1. Deploy, with the sample data as shipped:');
  if ((await progress.run(async () => (await deployment.deployStack(order)).failed)) !== undefined) {
    return;
  }
  showOutputs(deployment.stackOutputs(), say);
  const counted = countWork(personalize, say);
  showAutomaticTraining(solutions, personalize, say);

  const changedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-data-'));
  try {
    fs.cpSync(demo.sampleDir, changedDir, { recursive: true });
    fs.appendFileSync(path.join(changedDir, 'interactions.csv'), 'user-001,item-05,1767225600\nuser-002,item-09,1767225660\n');
    say();
    say('  2. Deploy again after two interactions were added to interactions.csv (items.csv unchanged):');
    const changed = demo.synthesize(changedDir, 'pipeline-changed');
    if ((await progress.run(() => redeploy(deployment, changed, demo.stackName, order))) === undefined) {
      return;
    }
    countWork(personalize, say, counted);

    say();
    say('  3. Deploy again, the data unchanged since:');
    const unchanged = demo.synthesize(changedDir, 'pipeline-unchanged');
    personalize.resetCallsAndFaults();
    const updates = await progress.run(() => redeploy(deployment, unchanged, demo.stackName, order));
    say(`     ${updates?.length ?? 0} resources changed, so CloudFormation sends no request: ${personalize.calls.length} calls to Personalize`);
  } finally {
    fs.rmSync(changedDir, { recursive: true, force: true });
  }
}

async function redeploy(deployment: LocalDeployment, assemblyDir: string, stackName: string, order: readonly string[]): Promise<Deployment[] | undefined> {
  const updates = [...(await deployment.redeployStack(assemblyDir, stackName, order)).updated.values()];
  return updates.some((update) => update.response.Status === 'FAILED') ? undefined : updates;
}

/** The local endpoint plays the datasets and solutions that the stack's L1 resources would make. */
function scriptPersonalizeFor(datasets: readonly string[], solutions: readonly string[], personalize: LocalPersonalize, say: (line?: string) => void): void {
  personalize.imports.removeAll();
  personalize.trainings.removeAll();
  personalize.removeJobs();
  datasets.forEach((arn) => personalize.imports.addDataset(arn, { activeAfterSeconds: 300 }));
  solutions.forEach((arn) => personalize.trainings.addSolution(arn, { activeAfterSeconds: 600 }));
  say(`  the local endpoint stands in for the dataset group "${datasets[0].split('/')[1]}", its datasets (ACTIVE after 5m) and solutions (ACTIVE after 10m);`);
  say(
    `  an import takes ${durationOf(LIVE_IMPORT_TIMELINE)}, a training ${durationOf(LIVE_TRAINING_TIMELINE)}, a batch job ${durationOf(LIVE_SERVICE_TIMELINE)}; ` +
      `each model reaches NDCG@10 ${DEFAULT_METRICS[NDCG]}`,
  );
  say('  the steps run one at a time here; CloudFormation runs the two imports side by side, as it does the two trainings and the two jobs;');
  say("  the stack's copies of its sample files into its bucket are not run here (no S3)");
}

function durationOf(timeline: readonly TimelineStep[]): string {
  return formatDuration(timeline[timeline.length - 1].afterSeconds);
}

/** Prints a line when a step starts and one when it ends; steps run one after the other. */
class StepProgress {
  stepOf: (logicalId: string) => string = () => '';
  private current?: { readonly step: string; readonly startedAt: number; readonly requestType: string; last?: Deployment };
  private deploymentStartedAt = Date.now();

  constructor(private readonly say: (line?: string) => void) {}

  readonly hooks = {
    onRequest: (request: SentRequest) => {
      const step = this.stepOf(request.logicalId);
      if (this.current?.step !== step) {
        this.endStep();
        this.current = { step, startedAt: Date.now(), requestType: request.requestType.toUpperCase() };
        this.say(`     ${this.clock()}  ▸ ${step}: ${this.current.requestType}_IN_PROGRESS`);
      }
    },
    onAnswer: (_request: SentRequest, answer: Deployment) => {
      this.current!.last = answer;
    },
  };

  async run<T>(deploy: () => Promise<T>): Promise<T> {
    this.deploymentStartedAt = Date.now();
    const result = await deploy();
    this.endStep();
    this.say(`     ${this.clock()}  deployment ended`);
    return result;
  }

  private endStep(): void {
    const ended = this.current;
    if (ended?.last === undefined) {
      return;
    }
    this.current = undefined;
    const { response } = ended.last;
    const took = formatDuration((Date.now() - ended.startedAt) / 1000);
    if (response.Status === 'FAILED') {
      this.say(`     ${this.clock()}  ✘ ${ended.step}: ${ended.requestType}_FAILED after ${took}: ${response.Reason.trim().split('\n')[0]}`);
      return;
    }
    this.say(`     ${this.clock()}  ✔ ${ended.step}: ${ended.requestType}_COMPLETE after ${took}: ${describe(response.Data ?? {})}`);
  }

  private clock(): string {
    return formatDuration((Date.now() - this.deploymentStartedAt) / 1000).padStart(7);
  }
}

/** What a step produced, in a few words. */
function describe(data: Record<string, string>): string {
  if (data[ImportAttribute.DATA_LOCATION] !== undefined) {
    return `${data[ImportAttribute.JOB_NAME]} imported ${data[ImportAttribute.DATA_LOCATION]}`;
  }
  if (data[WaiterAttribute.OUTPUT_PATH] !== undefined) {
    return `${data[WaiterAttribute.JOB_NAME]} wrote ${data[WaiterAttribute.OUTPUT_PATH]}`;
  }
  if (data[SolutionVersionAttribute.SOLUTION_VERSION_ARN] !== undefined) {
    const version = data[SolutionVersionAttribute.SOLUTION_VERSION_ARN].split(':').pop();
    return `${version}: NDCG@10 ${data[METRIC_ATTRIBUTE_PREFIX + NDCG]}, ${data[SolutionVersionAttribute.TRAINING_HOURS]} training hours`;
  }
  return 'UpdateSolution sent';
}

function showOutputs(outputs: Record<string, string>, say: (line?: string) => void): void {
  say('     Stack outputs:');
  const width = Math.max(...Object.keys(outputs).map((name) => name.length));
  for (const [name, value] of Object.entries(outputs)) {
    say(`       ${name.padEnd(width)} = ${value}`);
  }
}

/** Whether each solution still trains itself weekly, and whether it was turned off before the stack trained it. */
function showAutomaticTraining(solutions: readonly string[], personalize: LocalPersonalize, say: (line?: string) => void): void {
  for (const arn of solutions) {
    const turnedOff = personalize.callsTo('UpdateSolution').find((call) => call.body.solutionArn === arn && call.body.performAutoTraining === false);
    const trained = personalize.callsTo('CreateSolutionVersion').find((call) => call.body.solutionArn === arn && call.fault === undefined);
    const when = turnedOff !== undefined && trained !== undefined && turnedOff.at <= trained.at ? ', before the stack trained it' : '';
    say(`     ${arn.split('/').pop()}: automatic training ${personalize.trainings.trainsAutomatically(arn) ? 'on' : `off${when}`}`);
  }
}

interface WorkDone {
  readonly imports: number;
  readonly trainings: number;
  readonly segmentJobs: number;
  readonly inferenceJobs: number;
}

/** Says what Personalize ran (since `before`, if given); answers the totals. */
function countWork(personalize: LocalPersonalize, say: (line?: string) => void, before?: WorkDone): WorkDone {
  const jobs = personalize.jobArns();
  const now: WorkDone = {
    imports: personalize.imports.importArns().length,
    trainings: personalize.trainings.versionArns().length,
    segmentJobs: jobs.filter((arn) => arn.includes(':batch-segment-job/')).length,
    inferenceJobs: jobs.filter((arn) => arn.includes(':batch-inference-job/')).length,
  };
  const ran = (key: keyof WorkDone) => now[key] - (before?.[key] ?? 0);
  const work = [
    counted(ran('imports'), 'import'),
    counted(ran('trainings'), 'training'),
    counted(ran('segmentJobs'), 'batch segment job'),
    counted(ran('inferenceJobs'), 'batch inference job'),
  ];
  say(`     Personalize ran ${work.slice(0, -1).join(', ')} and ${work[work.length - 1]}${before === undefined ? '' : ' in this deployment'}`);
  return now;
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
