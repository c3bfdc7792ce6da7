/**
 * `npm run demo`: the example app's waiter, batch segment job, batch inference job and training,
 * deployed on this machine.
 *
 * Synthesizes the example app (bin/), then deploys its waiter, or one of its jobs, through
 * the provider framework's own code and the handler bundle from the cloud assembly, against the
 * local Personalize endpoint, in simulated time. No AWS account, credentials or network.
 */
import * as fs from 'fs';
import * as path from 'path';
import FakeTimers from '@sinonjs/fake-timers';
import { App } from 'aws-cdk-lib';
import { RecommendationsJobStack } from '../bin/recommendations-job-stack';
import { SegmentsExportStack } from '../bin/segments-export-stack';
import { SegmentsJobStack } from '../bin/segments-job-stack';
import { PIPELINE_SAMPLE_DIR, PipelineStack } from '../bin/pipeline-stack';
import { TrainingStack } from '../bin/training-stack';
import { formatDuration } from '../lib/engine/wait-timing';
import { iamSummary } from './iam/iam-summary';
import { LocalIam } from './iam/local-iam';
import { CloudFormationResponse, LocalDeployment } from './local-deployment';
import { Fault, LocalPersonalize, TimelineStep } from './personalize-endpoint';
import { PipelineDemo, runPipelineScenario } from './pipeline-demo';
import { runTrainingScenario, TrainingDemo } from './training-demo';
import { PRICE_PER_TRANSITION_USD, PRICE_SOURCE, runScheduledWeek, swappingNightTimers, type Night } from './scheduled-week';

const STACK_NAME = 'PersonalizeSegmentsExample';
const JOB_STACK_NAME = 'PersonalizeSegmentsJobExample';
const INFERENCE_STACK_NAME = 'PersonalizeRecommendationsJobExample';
const TRAINING_STACK_NAME = 'PersonalizeTrainingExample';
const PIPELINE_STACK_NAME = 'PersonalizePipelineExample';
const SCHEDULED_STACK_NAME = 'PersonalizeScheduledPipelineExample';
const JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';
const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
const ROOT = path.join(__dirname, '..');
const ASSEMBLY_DIR = path.join(ROOT, 'cdk.out', 'local-demo');
const HANDLER_LOG = path.join(ASSEMBLY_DIR, 'handler-logs.txt');

interface Scenario {
  readonly summary: string;
  readonly timeline: readonly TimelineStep[];
  readonly failureReason?: string;
  readonly faults?: readonly Fault[];
  /** Deploy a job ARN that the endpoint does not know. */
  readonly missingJob?: boolean;
  /** Deploy a job stack instead, with the region's five slots for its kind taken for this long. */
  readonly createJobWithRegionBusyForSeconds?: number;
  /** Which job stack: the batch segment job's (default) or the batch inference job's. */
  readonly jobKind?: JobDemo;
  /** Deploy the training stack instead, the trained model having this NDCG@10. */
  readonly trainedNdcg?: number;
  /** Deploy the pipeline stack instead, three times. */
  readonly pipeline?: boolean;
  /** Deploy the scheduled example instead, and run a week of its nights. */
  readonly scheduled?: boolean;
}

/** What the demo needs to know of a job stack's kind. */
interface JobDemo {
  readonly stackName: string;
  readonly construct: string;
  readonly noun: string;
  readonly createOperation: string;
  readonly busyArn: (name: string) => string;
}

const SEGMENT_JOB_DEMO: JobDemo = {
  stackName: JOB_STACK_NAME,
  construct: 'BatchSegmentJob',
  noun: 'batch segment job',
  createOperation: 'CreateBatchSegmentJob',
  busyArn: (name) => JOB_ARN.replace('spring-promo', name),
};

const INFERENCE_JOB_DEMO: JobDemo = {
  stackName: INFERENCE_STACK_NAME,
  construct: 'BatchInferenceJob',
  noun: 'batch inference job',
  createOperation: 'CreateBatchInferenceJob',
  busyArn: (name) => `arn:aws:personalize:us-east-1:111122223333:batch-inference-job/${name}`,
};

const SCENARIOS: Record<string, Scenario> = {
  success: {
    summary: 'a job that goes CREATE PENDING → CREATE IN_PROGRESS → ACTIVE in 14 minutes',
    timeline: [
      { afterSeconds: 0, status: 'CREATE PENDING' },
      { afterSeconds: 150, status: 'CREATE IN_PROGRESS' },
      { afterSeconds: 14 * 60, status: 'ACTIVE' },
    ],
  },
  failure: {
    summary: 'a job that fails after 2 minutes',
    timeline: [
      { afterSeconds: 0, status: 'CREATE PENDING' },
      { afterSeconds: 60, status: 'CREATE IN_PROGRESS' },
      { afterSeconds: 120, status: 'CREATE FAILED' },
    ],
    failureReason: 'Input file s3://promo-data/segments/queries.json has invalid JSON on line 3.',
  },
  slow: {
    summary: 'a job that is still running when the waiter gives up (after 56m 30s of its 1h timeout)',
    timeline: [
      { afterSeconds: 0, status: 'CREATE PENDING' },
      { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
    ],
  },
  throttling: {
    summary: 'a job that takes 5 minutes while Personalize throttles and fails with 503s',
    timeline: [
      { afterSeconds: 0, status: 'CREATE IN_PROGRESS' },
      { afterSeconds: 300, status: 'ACTIVE' },
    ],
    faults: [
      ...Array.from({ length: 6 }, () => ({ kind: 'throttling' as const })),
      ...Array.from({ length: 3 }, () => ({ kind: 'serverError' as const, status: 503 as const })),
    ],
  },
  missing: {
    summary: 'a job ARN that does not exist',
    timeline: [],
    missingJob: true,
  },
  create: {
    summary: 'a BatchSegmentJob that waits 12 minutes for one of the region\'s five job slots, then creates its job',
    timeline: [],
    createJobWithRegionBusyForSeconds: 12 * 60,
  },
  inference: {
    summary: 'a BatchInferenceJob with item exploration that waits 5 minutes for a slot, creates its job and waits for it',
    timeline: [],
    createJobWithRegionBusyForSeconds: 5 * 60,
    jobKind: INFERENCE_JOB_DEMO,
  },
  training: {
    summary: 'a SolutionVersion that waits for its new solution, trains 1h 45m, passes its quality gate, then a BatchSegmentJob uses it',
    timeline: [],
    trainedNdcg: 0.24,
  },
  gate: {
    summary: 'the same training, whose model fails the quality gate: the deployment stops before the segment job',
    timeline: [],
    trainedNdcg: 0.17,
  },
  pipeline: {
    summary: 'the whole pipeline (imports, two trainings, a gate, both batch jobs) run side by side: deployed, redeployed after its data changed, then unchanged; a gate failing while the other model trains; an update rolled back; a retry that reuses what a failed deployment trained; the regulated example, its functions in a VPC; a model moved to another solution, rolled back under the update\'s grants',
    timeline: [],
    pipeline: true,
  },
  nightly: {
    summary: 'the scheduled example: a week of nights run by its state machine on an ASL interpreter (the day\'s import, both models retrained on Sunday behind their gates, segments and recommendations), what each started and cost',
    timeline: [],
    scheduled: true,
  },
};

const DEFAULT_SCENARIOS = ['pipeline', 'nightly', 'success', 'failure', 'create', 'inference', 'training', 'gate'];
const TRAINING_DEMO: TrainingDemo = { assemblyDir: ASSEMBLY_DIR, stackName: TRAINING_STACK_NAME, minimumNdcg: 0.2 };

const write = process.stdout.write.bind(process.stdout);
const say = (line = '') => write(`${line}\n`);

function usage(): string {
  return [
    'Usage: npm run demo [-- --scenario NAME ...]',
    '',
    "Deploys the example app's BatchSegmentJobWaiter (or its BatchSegmentJob, BatchInferenceJob or training stack) on this machine, against",
    'a local Personalize endpoint, in simulated time. No AWS account, credentials or network are used.',
    '',
    `Scenarios (default: ${DEFAULT_SCENARIOS.join(', ')}):`,
    ...Object.entries(SCENARIOS).map(([name, scenario]) => `  ${name.padEnd(11)} ${scenario.summary}`),
    '',
    'Options:',
    '  --scenario NAME   run this scenario (repeat for several, or "all")',
    '  --help            show this help',
  ].join('\n');
}

function parseArguments(args: readonly string[]): string[] {
  const chosen: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--help' || args[i] === '-h') {
      say(usage());
      process.exit(0);
    }
    if (args[i] === '--scenario' && i + 1 < args.length) {
      const name = args[++i];
      if (name === 'all') {
        chosen.push(...Object.keys(SCENARIOS));
      } else if (name in SCENARIOS) {
        chosen.push(name);
      } else {
        throw new Error(`Unknown scenario "${name}"; choose from ${Object.keys(SCENARIOS).join(', ')} or all.`);
      }
      continue;
    }
    throw new Error(`Unknown argument "${args[i]}".\n\n${usage()}`);
  }
  return chosen.length > 0 ? chosen : DEFAULT_SCENARIOS;
}

interface SynthesizedStack {
  readonly resources: number;
  /** The logical id of the stack's waiter or job. */
  readonly waiterId: string;
  /** The start of the names of the jobs a job stack creates. */
  readonly jobNamePrefix?: string;
}

function synthesizeExampleApp(): Record<string, SynthesizedStack> {
  fs.rmSync(ASSEMBLY_DIR, { recursive: true, force: true });
  const app = new App({ outdir: ASSEMBLY_DIR });
  new SegmentsExportStack(app, STACK_NAME, { batchSegmentJobArn: JOB_ARN });
  new SegmentsJobStack(app, JOB_STACK_NAME, { solutionVersionArn: SOLUTION_VERSION_ARN });
  new RecommendationsJobStack(app, INFERENCE_STACK_NAME, { solutionVersionArn: SOLUTION_VERSION_ARN });
  new TrainingStack(app, TRAINING_STACK_NAME, {
    datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo',
    minimumNdcg: TRAINING_DEMO.minimumNdcg,
  });
  new PipelineStack(app, PIPELINE_STACK_NAME);
  app.synth();
  const stackOf = (stackName: string, resourceType: string): SynthesizedStack => {
    const template = JSON.parse(fs.readFileSync(path.join(ASSEMBLY_DIR, `${stackName}.template.json`), 'utf8'));
    const waiterId = Object.keys(template.Resources).find((id) => template.Resources[id].Type === resourceType)!;
    const jobNamePrefix: string | undefined = template.Resources[waiterId].Properties.Job?.NamePrefix;
    return { resources: Object.keys(template.Resources).length, waiterId, jobNamePrefix };
  };
  return {
    [STACK_NAME]: stackOf(STACK_NAME, 'Custom::PersonalizeBatchSegmentJobWaiter'),
    [JOB_STACK_NAME]: stackOf(JOB_STACK_NAME, 'Custom::PersonalizeBatchSegmentJob'),
    [INFERENCE_STACK_NAME]: stackOf(INFERENCE_STACK_NAME, 'Custom::PersonalizeBatchInferenceJob'),
    [TRAINING_STACK_NAME]: stackOf(TRAINING_STACK_NAME, 'Custom::PersonalizeSolutionVersion'),
    [PIPELINE_STACK_NAME]: stackOf(PIPELINE_STACK_NAME, 'Custom::PersonalizeDatasetImportJob'),
  };
}

/** Sends what the handlers and the framework log to a file, so the demo's own lines stay readable. */
function routeHandlerLogsToFile(): void {
  const log = fs.openSync(HANDLER_LOG, 'a');
  const toFile = ((chunk: string | Uint8Array) => {
    fs.writeSync(log, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = toFile;
  process.stderr.write = toFile;
}

function showResponse(response: CloudFormationResponse, outputs: Record<string, string>, waiterId: string): void {
  if (response.Status === 'SUCCESS') {
    say(`  ✔ CREATE_COMPLETE  ${waiterId}  (physical id ${response.PhysicalResourceId})`);
    say('  Stack outputs:');
    for (const [name, value] of Object.entries(outputs)) {
      say(`    ${name.padEnd(11)} = ${value}`);
    }
  } else {
    say(`  ✘ CREATE_FAILED  ${waiterId}  — what CloudFormation shows as the reason:`);
    for (const line of response.Reason.trim().split('\n').filter((text) => text.trim() !== '')) {
      say(`    ${line}`);
    }
  }
}

async function main(): Promise<void> {
  const scenarios = parseArguments(process.argv.slice(2));
  const started = Date.now();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

  say(`Synthesizing the example app (bin/app.ts) into ${path.relative(ROOT, ASSEMBLY_DIR)}/ …`);
  const stacks = synthesizeExampleApp();
  say(`  ${STACK_NAME}: ${stacks[STACK_NAME].resources} resources; waiter ${stacks[STACK_NAME].waiterId} waits for ${JOB_ARN}`);
  say(`  ${JOB_STACK_NAME}: ${stacks[JOB_STACK_NAME].resources} resources; BatchSegmentJob ${stacks[JOB_STACK_NAME].waiterId} creates a job from ${SOLUTION_VERSION_ARN}`);
  say(`  ${INFERENCE_STACK_NAME}: ${stacks[INFERENCE_STACK_NAME].resources} resources; BatchInferenceJob ${stacks[INFERENCE_STACK_NAME].waiterId} creates a job from it too`);
  say(`  ${TRAINING_STACK_NAME}: ${stacks[TRAINING_STACK_NAME].resources} resources; a CfnSolution, a SolutionVersion trained from it, and a BatchSegmentJob from that`);
  say(`  ${PIPELINE_STACK_NAME}: ${stacks[PIPELINE_STACK_NAME].resources} resources; a dataset group, two imports, two trained models and a batch job on each`);

  let clock = FakeTimers.install({ toFake: ['Date'], now: new Date('2026-11-28T10:00:00.000Z') });
  const personalize = new LocalPersonalize({ clock: () => Date.now(), iam: new LocalIam() });
  personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
  const endpoint = await personalize.start();
  process.env.AWS_ENDPOINT_URL_PERSONALIZE = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALDEMO';
  process.env.AWS_SECRET_ACCESS_KEY = 'local-demo-secret';
  delete process.env.AWS_PROFILE;
  say(`Local Personalize endpoint listening at ${endpoint} (AWS_ENDPOINT_URL_PERSONALIZE)`);
  say(`Handler and provider-framework logs go to ${path.relative(ROOT, HANDLER_LOG)}`);
  routeHandlerLogsToFile();

  try {
    for (const [index, name] of scenarios.entries()) {
      const scenario = SCENARIOS[name];
      personalize.resetCallsAndFaults();
      say();
      say(`▶ Scenario "${name}": ${scenario.summary}`);
      if (scenario.pipeline) {
        await runPipelineScenario(pipelineDemo(clock), personalize, say);
      } else if (scenario.scheduled) {
        const nights = await runScheduledWeek(
          {
            assemblyDir: synthesizeScheduledExample(),
            stackName: SCHEDULED_STACK_NAME,
            clock: { now: () => Date.now(), set: (epochMs) => clock.setSystemTime(epochMs) },
            virtualTimers: swappingNightTimers({ current: () => clock, replace: (next) => (clock = next) }),
          },
          personalize,
          say,
        );
        sumUpWeek(nights, say);
      } else if (scenario.trainedNdcg !== undefined) {
        personalize.removeJobs();
        await runTrainingScenario(TRAINING_DEMO, scenario.trainedNdcg, personalize, (statusNow) => localDeployment(TRAINING_STACK_NAME, clock, personalize, statusNow), say);
      } else if (scenario.createJobWithRegionBusyForSeconds !== undefined) {
        const kind = scenario.jobKind ?? SEGMENT_JOB_DEMO;
        await runJobScenario(kind, scenario.createJobWithRegionBusyForSeconds, `busy-${index + 1}`, stacks[kind.stackName], personalize, clock);
      } else {
        await runWaiterScenario(name, scenario, JOB_ARN, stacks[STACK_NAME], personalize, clock);
      }
    }
  } finally {
    clock.uninstall();
    await personalize.stop();
  }
  say();
  say(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s of real time.`);
}

type Clock = ReturnType<typeof FakeTimers.install>;

/** The scheduled example alone, in an assembly of its own. */
function synthesizeScheduledExample(): string {
  const outdir = path.join(ASSEMBLY_DIR, 'scheduled');
  const app = new App({ outdir });
  new PipelineStack(app, SCHEDULED_STACK_NAME, { scheduled: true });
  app.synth();
  return outdir;
}

function sumUpWeek(nights: readonly Night[], say: (line?: string) => void): void {
  const transitions = nights.reduce((sum, night) => sum + night.transitions, 0);
  const trainingHours = nights.reduce((sum, night) => sum + night.trainingHours, 0);
  say(
    `  the week: ${nights.filter((night) => night.status === 'SUCCEEDED').length}/${nights.length} nights succeeded; ${transitions} state transitions, ` +
      `$${(transitions * PRICE_PER_TRANSITION_USD).toFixed(4)} (${PRICE_SOURCE}); ${trainingHours.toFixed(2)} training hours; no Lambda function in any wait`,
  );
}

function pipelineDemo(clock: Clock): PipelineDemo {
  return {
    sampleDir: PIPELINE_SAMPLE_DIR,
    stackName: PIPELINE_STACK_NAME,
    assemblyDir: ASSEMBLY_DIR,
    clock: { now: () => Date.now(), set: (epochMs) => clock.setSystemTime(epochMs) },
    synthesize: (dataDir, name, options) => {
      const outdir = path.join(ASSEMBLY_DIR, name);
      const app = new App({ outdir });
      new PipelineStack(app, PIPELINE_STACK_NAME, { dataDir, ...options });
      app.synth();
      return outdir;
    },
  };
}

async function runWaiterScenario(name: string, scenario: Scenario, jobArn: string, stack: SynthesizedStack, personalize: LocalPersonalize, clock: Clock): Promise<void> {
  // The waiter waits for the job its template names, which is all the handlers' policy allows them to describe.
  personalize.removeJobs();
  if (!scenario.missingJob) {
    personalize.addJob({ batchSegmentJobArn: jobArn, timeline: scenario.timeline, failureReason: scenario.failureReason, numResults: 100000, outputPath: `s3://promo-data/segments/out/${name}/` });
  }
  personalize.injectFaults(...(scenario.faults ?? []));
  say(`  CREATE_IN_PROGRESS  ${stack.waiterId}  (job ${jobArn})`);
  const deployment = localDeployment(STACK_NAME, clock, personalize, () => personalize.statusOf(jobArn) ?? '(no such job)');
  const decidedBefore = personalize.iam!.decisions.length;
  const { response, polls, elapsedSeconds } = await deployment.deploy({ requestType: 'Create', logicalId: stack.waiterId });
  const describes = personalize.callsTo('DescribeBatchSegmentJob');
  const faults = describes.filter((call) => call.fault !== undefined).length;
  say(
    `  answered after ${formatDuration(elapsedSeconds)} of simulated time: ${polls} polls, ` +
      `${describes.length} DescribeBatchSegmentJob calls${faults > 0 ? ` (${faults} met a fault and were retried)` : ''}`,
  );
  say(`  ${iamSummary(personalize.iam!, decidedBefore)}`);
  showResponse(response, deployment.stackOutputs(), stack.waiterId);
}

async function runJobScenario(kind: JobDemo, busySeconds: number, busyName: string, stack: SynthesizedStack, personalize: LocalPersonalize, clock: Clock): Promise<void> {
  const timeline = [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: busySeconds, status: 'ACTIVE' }];
  for (let slot = 1; slot <= 5; slot++) {
    const arn = kind.busyArn(`${busyName}-${slot}`);
    personalize.addJob(kind === INFERENCE_JOB_DEMO ? { batchInferenceJobArn: arn, timeline } : { batchSegmentJobArn: arn, timeline });
  }
  say(`  us-east-1 has 5 other ${kind.noun}s in progress, Personalize's limit, for ${formatDuration(busySeconds)}`);
  say(`  CREATE_IN_PROGRESS  ${stack.waiterId}`);
  const ourJobs = () => personalize.jobArns().filter((arn) => arn.split('/')[1].startsWith(`${stack.jobNamePrefix}-`));
  const ourJob = () => ourJobs()[0];
  const decidedBefore = personalize.iam!.decisions.length;
  const deployment = localDeployment(kind.stackName, clock, personalize, () => {
    const arn = ourJob();
    return arn === undefined ? `not created yet: ${kind.createOperation} answers LimitExceededException` : `${personalize.statusOf(arn)} (${arn.split('/')[1]})`;
  });
  const { response, polls, elapsedSeconds } = await deployment.deploy({ requestType: 'Create', logicalId: stack.waiterId });
  const creates = personalize.callsTo(kind.createOperation).length;
  say(
    `  answered after ${formatDuration(elapsedSeconds)} of simulated time: ${polls} polls, ${creates} ${kind.createOperation} calls ` +
      `(${creates - ourJobs().length} refused for the job limit), ${ourJobs().length} job created`,
  );
  say(`  ${iamSummary(personalize.iam!, decidedBefore)}`);
  showResponse(response, deployment.stackOutputs(), stack.waiterId);
}

/** A local deployment on the demo's clock that prints the job's status whenever it changes. */
function localDeployment(stackName: string, clock: Clock, personalize: LocalPersonalize, statusNow: () => string): LocalDeployment {
  let lastStatus: string | undefined;
  // From the first request: a stack's later resources poll on after the earlier ones answered.
  const startedAt = Date.now();
  return new LocalDeployment(ASSEMBLY_DIR, stackName, {
    clock: { now: () => Date.now(), set: (epochMs) => clock.setSystemTime(epochMs) },
    iam: personalize.iam,
    onPoll: ({ number }) => {
      const status = statusNow();
      if (status !== lastStatus) {
        say(`  ${formatDuration((Date.now() - startedAt) / 1000).padStart(8)}  poll ${String(number).padStart(3)}: ${status}`);
        lastStatus = status;
      }
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write = process.stdout.write = write;
  say(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
