import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PIPELINE_STEPS, PipelineStackProps } from '../bin/pipeline-stack';
import { ImportAttribute, ImportField } from '../lib/kinds/dataset-import-job/contract';
import { METRIC_ATTRIBUTE_PREFIX, SolutionVersionAttribute, TrainingField } from '../lib/kinds/solution-version/contract';
import { REUSED_ATTRIBUTE } from '../lib/engine/job-contract';
import { WaiterAttribute, WaiterProperty } from '../lib/engine/wait-contract';
import { formatDuration } from '../lib/engine/wait-timing';
import { LIVE_IMPORT_TIMELINE } from './kinds/dataset-import-job';
import { DEFAULT_METRICS, LIVE_TRAINING_TIMELINE } from './kinds/solution-version';
import { LocalDeployment, SimulatedClock, StackDeployment } from './local-deployment';
import { LIVE_SERVICE_TIMELINE, LocalPersonalize } from './personalize-endpoint';
import { StackProgress, StepOfResource } from './stack-progress';
import type { TimelineStep } from './timeline';

/**
 * The pipeline scenario of `npm run demo`: the example pipeline (bin/pipeline-stack.ts) on the
 * local endpoint, deployed as shipped, after its sample interactions changed, and unchanged; then
 * a new stack whose gated model fails while the other still trains; then an update whose new data
 * makes a worse model, rolled back; a retry that reuses what a failed deployment made; the
 * regulated example; and a model moved to another solution, rolled back under the update's grants.
 * Each step prints as it starts and ends, side by side.
 */

export interface PipelineDemo {
  /** The sample data folder the first deployment was synthesized with. */
  readonly sampleDir: string;
  readonly stackName: string;
  /** Synthesizes the pipeline with the data of `dataDir` and `options` (the regulated example, another recipe) into a new cloud assembly; answers its folder. */
  readonly synthesize: (dataDir: string, name: string, options?: Pick<PipelineStackProps, 'regulated' | 'segmentsRecipe'>) => string;
  /** The folder the first deployment was synthesized into. */
  readonly assemblyDir: string;
  /** The clock the deployment and the handlers read. */
  readonly clock: SimulatedClock;
}

/** What each step of bin/pipeline-stack.ts does, by construct id. */
const WHAT: Readonly<Record<(typeof PIPELINE_STEPS)[number][0], string>> = {
  ImportInteractions: 'import interactions.csv',
  ImportItems: 'import items.csv',
  SegmentsModel: 'train the segments model (Item-Affinity)',
  RecommendationsModel: 'train the recommendations model, gated on NDCG@10',
  Segments: 'batch segment job',
  Recommendations: 'batch inference job',
};
const STEPS = PIPELINE_STEPS.map(([id, type]) => ({ id, type, what: WHAT[id] }));

const NDCG = 'normalized_discounted_cumulative_gain_at_10';

export async function runPipelineScenario(demo: PipelineDemo, personalize: LocalPersonalize, say: (line?: string) => void): Promise<void> {
  let stepOf = (_logicalId: string): StepOfResource => ({ step: '', isLast: false });
  const progress = new StackProgress(say, (logicalId) => stepOf(logicalId), describe, (physicalId) => physicalId.startsWith(`${demo.stackName}-`), personalize.iam);
  const newDeployment = () => new LocalDeployment(demo.assemblyDir, demo.stackName, { clock: demo.clock, iam: personalize.iam, ...progress.hooks });
  let deployment = newDeployment();
  const order = STEPS.flatMap((step) => deployment.chainOf(step.id, step.type));
  const steps = new Map(
    STEPS.flatMap((step) => {
      const chain = deployment.chainOf(step.id, step.type);
      return chain.map((logicalId, index) => [logicalId, { step: step.what, isLast: index === chain.length - 1 }] as const);
    }),
  );
  stepOf = (logicalId) => steps.get(logicalId)!;
  // The datasets and solutions of the stack's L1 resources, by the ARNs its imports and trainings name.
  const arnsNamed = (type: string, field: string) => [...new Set(deployment.logicalIdsOf(type).map((id) => String(deployment.requestPropertiesOf(id)[WaiterProperty.JOB][field])))];
  const solutions = arnsNamed('Custom::PersonalizeSolutionVersion', TrainingField.SOLUTION_ARN);
  const datasets = arnsNamed('Custom::PersonalizeDatasetImportJob', ImportField.DATASET_ARN);
  const [segmentsSolution, recommendationsSolution] = solutions;
  scriptPersonalizeFor(datasets, solutions, personalize, say);
  // A new stack, deployed as shipped without printing its steps, for a scenario that updates it.
  const deployedQuietly = async () => {
    scriptPersonalizeFor(datasets, solutions, personalize, () => undefined);
    const quiet = newDeployment();
    progress.muted = true;
    await quiet.deployStack(order);
    progress.muted = false;
    return quiet;
  };

  say('  1. Deploy, with the sample data as shipped:');
  const first = await progress.run(() => deployment.deployStack(order));
  sumUp(first, CRITICAL_PATH.firstDeployment, say);
  if (first.failed !== undefined) {
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
    const second = await progress.run(() => deployment.redeployStack(changed, demo.stackName, order));
    sumUp(second, CRITICAL_PATH.update, say);
    if (second.failed !== undefined) {
      return;
    }
    countWork(personalize, say, counted);

    say();
    say('  3. Deploy again, the data unchanged since:');
    const unchanged = demo.synthesize(changedDir, 'pipeline-unchanged');
    personalize.resetCallsAndFaults();
    const third = await progress.run(() => deployment.redeployStack(unchanged, demo.stackName, order));
    say(`     ${third.updated.size} resources changed, so CloudFormation sends no request: ${personalize.calls.length} calls to Personalize`);

    say();
    say('  4. A new stack whose recommendations model fails its gate while the segments model, which takes 3h here, still trains:');
    scriptPersonalizeFor(datasets, solutions, personalize, () => undefined);
    personalize.trainings.addSolution(segmentsSolution, { activeAfterSeconds: 600, timeline: TRAINING_OF_THREE_HOURS });
    personalize.trainings.addSolution(recommendationsSolution, { activeAfterSeconds: 600, metrics: { [NDCG]: 0.12 } });
    deployment = newDeployment();
    const gated = await progress.run(() => deployment.deployStack(order));
    progress.cancelled(gated.cancelled.map((id) => stepOf(id).step));
    sumUp(gated, CRITICAL_PATH.firstDeployment, say);
    showTrainings(personalize, say);

    say();
    say('  5. New interactions make a worse recommendations model: the gate stops the update and CloudFormation rolls it back:');
    deployment = await deployedQuietly();
    const before = deployment.stackOutputs();
    say(`     (deployed as shipped first, quietly: ${countWork(personalize, () => undefined).trainings} trainings)`);
    const beforeUpdate = countWork(personalize, () => undefined);
    const interactions = datasets[0];
    const oldImport = personalize.imports.dataHeldBy(interactions)!;
    personalize.trainings.addSolution(recommendationsSolution, { metrics: { [NDCG]: 0.12 } });
    const updateStartedAt = Date.now();
    const rolledBack = await progress.run(() => deployment.redeployStack(changed, demo.stackName, order));
    progress.cancelled(rolledBack.cancelled.map((id) => stepOf(id).step));
    sumUp(rolledBack, CRITICAL_PATH.update, say);
    const rollbackFrom = updateStartedAt + rolledBack.elapsedSeconds * 1000;
    const trainingsInRollback = personalize.callsTo('CreateSolutionVersion').filter((call) => call.at >= rollbackFrom && call.error === undefined).length;
    const heldNow = personalize.imports.dataHeldBy(interactions)!;
    const sameData = JSON.stringify(personalize.imports.requestOf(heldNow)?.dataSource) === JSON.stringify(personalize.imports.requestOf(oldImport)?.dataSource);
    countWork(personalize, say, beforeUpdate);
    say(`     The rollback trained ${trainingsInRollback} versions; the stack's outputs are ${JSON.stringify(deployment.stackOutputs()) === JSON.stringify(before) ? 'those from before the update' : 'NOT those from before the update'}`);
    say(`     The interactions dataset holds the data of ${heldNow.split('/').pop()}: ${sameData ? 'the shipped file, imported again by the rollback' : 'NOT the shipped file'}`);
    showTrainings(personalize, say);

    say();
    say('  6. A new stack whose batch inference job fails on a malformed users.json, rolled back; then the file is fixed and the stack deployed again:');
    scriptPersonalizeFor(datasets, solutions, personalize, () => undefined);
    deployment = newDeployment();
    const inferenceJob = deployment.chainOf('Recommendations', 'Custom::PersonalizeBatchInferenceJob')[0];
    const usersPath = String(deployment.requestPropertiesOf(inferenceJob)[WaiterProperty.JOB].InputPath);
    personalize.setInputMalformed(usersPath, true);
    const badInput = await progress.run(() => deployment.deployStack(order));
    progress.cancelled(badInput.cancelled.map((id) => stepOf(id).step));
    sumUp(badInput, CRITICAL_PATH.firstDeployment, say);
    personalize.setInputMalformed(usersPath, false);
    say('     users.json is fixed (the stack copies it to the same key); deploy again:');
    const beforeRetry = countWork(personalize, () => undefined);
    deployment = newDeployment();
    const retry = await progress.run(() => deployment.deployStack(order));
    sumUp(retry, CRITICAL_PATH.retry, say);
    const reused = retry.created.filter((answer) => answer.response.Data?.[REUSED_ATTRIBUTE] === 'true').map((answer) => stepOf(answer.response.LogicalResourceId).step);
    countWork(personalize, say, beforeRetry, reused.length > 0 ? `; reused what the failed deployment made: ${reused.join(', ')}` : '; reused nothing');

    say();
    say('  7. The regulated example (regulated: true): the same pipeline, its functions in a VPC without internet access, traced, logs encrypted:');
    const regulatedDir = demo.synthesize(demo.sampleDir, 'pipeline-regulated', { regulated: true });
    say(`     ${describeRegulated(path.join(regulatedDir, `${demo.stackName}.template.json`))}`);
    scriptPersonalizeFor(datasets, solutions, personalize, () => undefined);
    const beforeRegulated = countWork(personalize, () => undefined);
    const regulatedDeployment = new LocalDeployment(regulatedDir, demo.stackName, { clock: demo.clock, iam: personalize.iam, ...progress.hooks });
    const regulated = await progress.run(() => regulatedDeployment.deployStack(order));
    sumUp(regulated, CRITICAL_PATH.firstDeployment, say);
    countWork(personalize, say, beforeRegulated);

    say();
    say('  8. The segments model moves to a new solution (another recipe, Item-Attribute-Affinity), and new interactions make a worse');
    say('     recommendations model: the gate fails while the moved model trains, and the rollback reads the old solution\'s model');
    say('     under the update\'s policy, which names only the new solution (CloudFormation rolls the policy back last):');
    deployment = await deployedQuietly();
    const beforeMove = deployment.stackOutputs();
    const moved = demo.synthesize(changedDir, 'pipeline-moved', { segmentsRecipe: 'aws-item-attribute-affinity' });
    const movedSolution = String(new LocalDeployment(moved, demo.stackName).requestPropertiesOf(order.find((id) => id.startsWith('SegmentsModel'))!)[WaiterProperty.JOB][TrainingField.SOLUTION_ARN]);
    personalize.trainings.addSolution(movedSolution, { activeAfterSeconds: 600, timeline: TRAINING_OF_THREE_HOURS });
    personalize.trainings.addSolution(recommendationsSolution, { metrics: { [NDCG]: 0.12 } });
    const beforeMoveWork = countWork(personalize, () => undefined);
    const movedBack = await progress.run(() => deployment.redeployStack(moved, demo.stackName, order));
    progress.cancelled(movedBack.cancelled.map((id) => stepOf(id).step));
    sumUp(movedBack, CRITICAL_PATH.update, say);
    countWork(personalize, say, beforeMoveWork);
    say(`     The stack's outputs are ${JSON.stringify(deployment.stackOutputs()) === JSON.stringify(beforeMove) ? 'those from before the update' : 'NOT those from before the update'}; the moved model's solution is ${movedSolution.split('/').pop()}`);
    showTrainings(personalize, say);
  } finally {
    fs.rmSync(changedDir, { recursive: true, force: true });
  }
}

/** How the regulated template places and configures the library's functions (the VPC itself is not emulated). */
function describeRegulated(templateFile: string): string {
  const resources = Object.values(JSON.parse(fs.readFileSync(templateFile, 'utf8')).Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>);
  const functions = resources.filter((resource) => resource.Type === 'AWS::Lambda::Function').map((resource) => resource.Properties);
  const logGroups = resources.filter((resource) => resource.Type === 'AWS::Logs::LogGroup').map((resource) => resource.Properties);
  const endpoints = resources.filter((resource) => resource.Type === 'AWS::EC2::VPCEndpoint').length;
  const count = (what: string, matching: number, of: number) => `${what} ${matching}/${of}`;
  return [
    count('functions in the VPC', functions.filter((fn) => fn.VpcConfig !== undefined).length, functions.length),
    count('traced', functions.filter((fn) => (fn.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active').length, functions.length),
    count('with reserved concurrency', functions.filter((fn) => fn.ReservedConcurrentExecutions !== undefined).length, functions.length),
    count('log groups encrypted', logGroups.filter((logGroup) => logGroup.KmsKeyId !== undefined).length, logGroups.length),
    `${endpoints} VPC endpoints (the VPC is not emulated here)`,
  ].join('; ');
}

/** A training that takes an hour longer than the live timeline's two. */
const TRAINING_OF_THREE_HOURS: readonly TimelineStep[] = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 3 * 3600, status: 'ACTIVE' },
];

const endOf = (timeline: readonly TimelineStep[]) => timeline[timeline.length - 1].afterSeconds;

/**
 * The least a deployment could take: what Personalize itself takes along the longest chain of
 * steps (a dataset ACTIVE after 5m, then an import, a training and a batch job), with no poll.
 */
const CRITICAL_PATH = {
  firstDeployment: { seconds: 300 + endOf(LIVE_IMPORT_TIMELINE) + endOf(LIVE_TRAINING_TIMELINE) + endOf(LIVE_SERVICE_TIMELINE), what: 'dataset ACTIVE 5m + import + training + job' },
  update: { seconds: endOf(LIVE_IMPORT_TIMELINE) + endOf(LIVE_TRAINING_TIMELINE) + endOf(LIVE_SERVICE_TIMELINE), what: 'import + training + job' },
  retry: { seconds: endOf(LIVE_SERVICE_TIMELINE), what: 'the job: the imports and trainings are reused' },
};

function sumUp(operation: StackDeployment, criticalPath: { readonly seconds: number; readonly what: string }, say: (line?: string) => void): void {
  if (operation.failed !== undefined) {
    say(`     Failed after ${formatDuration(operation.elapsedSeconds)}; rolled back, and everything it started had ended, ${formatDuration(operation.endedAfterSeconds)} after the start`);
    return;
  }
  say(
    `     Deployment took ${formatDuration(operation.elapsedSeconds)}; its critical path (${criticalPath.what}) takes ${formatDuration(criticalPath.seconds)} ` +
      `of Personalize's time: ${formatDuration(Math.max(0, operation.elapsedSeconds - criticalPath.seconds))} more, from polling`,
  );
}

/** How many trainings still run, and which the handlers stopped. */
function showTrainings(personalize: LocalPersonalize, say: (line?: string) => void): void {
  const versions = personalize.trainings.versionArns();
  const running = versions.filter((arn) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(personalize.trainings.statusOf(arn)!));
  const stopped = versions.filter((arn) => personalize.trainings.wasStopped(arn)).map((arn) => arn.split(':').pop());
  say(`     ${running.length} trainings left running${stopped.length > 0 ? `; stopped: ${stopped.join(', ')}` : ''}`);
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
  say('  the local deployment runs the stack as CloudFormation does: side by side where the template allows, cancelling and rolling back at the first failure;');
  say("  the stack's copies of its sample files into its bucket are not run here (no S3)");
}

function durationOf(timeline: readonly TimelineStep[]): string {
  return formatDuration(timeline[timeline.length - 1].afterSeconds);
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
  return 'done';
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

/** Says what Personalize ran (since `before`, if given, then `more`); answers the totals. */
function countWork(personalize: LocalPersonalize, say: (line?: string) => void, before?: WorkDone, more = ''): WorkDone {
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
  say(`     Personalize ran ${work.slice(0, -1).join(', ')} and ${work[work.length - 1]}${before === undefined ? '' : ' in this deployment'}${more}`);
  return now;
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
