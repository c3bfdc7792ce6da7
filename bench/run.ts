/**
 * `npm run bench`: what a waiter costs a stack, a deployment and an AWS account, measured on this
 * machine in one run, printed and written to BENCHMARKS.md. Figures only: nothing here asserts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { frameworkAssetBytes, measureBundleCost } from './bundle-cost';
import { measureConcurrentWaiters } from './concurrent-waiters';
import { measureKindCost, measureMixedDeployment } from './kinds-cost';
import { measurePipelineTime } from './pipeline-time';
import { measurePollingCost } from './polling-cost';
import { measureRetryCost } from './retry-cost';
import { measureScheduledWeek } from './scheduled-cost';
import { PRICE_PER_TRANSITION_USD, PRICE_SOURCE } from '../local/scheduled-week';
import { measureSynthTime } from './synth-time';
import { measureTemplateCost } from './template-cost';
import { measureTrainingCost } from './training-cost';
import { formatDuration as formatWaiterDuration } from '../lib/engine/wait-timing';

const OUTPUT = path.join(__dirname, '..', 'BENCHMARKS.md');
const formatDuration = (seconds: number) => formatWaiterDuration(Math.round(seconds));
const SIZES = [1, 10, 50, 100];

function table(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const verdict = (holds: boolean) => (holds ? 'met' : '**not met**');

async function main(): Promise<void> {
  const started = Date.now();
  const log = (text: string) => console.log(text);

  log('1/10 template cost …');
  const templates = measureTemplateCost(SIZES);
  const [first, last] = [templates[0], templates[templates.length - 1]];
  const extraResources = (last.resources - first.resources) / (last.waiters - first.waiters);
  const extraBytes = (last.bytes - first.bytes) / (last.waiters - first.waiters);

  log('2/10 synth time (fresh processes, 3 runs per size) …');
  const synth = measureSynthTime(SIZES, 3);
  const synthRatio = synth[synth.length - 1].processMedianMs / synth[0].processMedianMs;
  const inProcessRatio = synth[synth.length - 1].inProcessMedianMs / synth[0].inProcessMedianMs;

  log('3/10 handler bundle …');
  const bundles = await measureBundleCost(9);
  const [shipped, , baseline] = bundles;
  // Powertools Logger and the packages it brings.
  const powertoolsBytes = Object.entries(shipped.bytesByPackage ?? {})
    .filter(([name]) => name.startsWith('@aws-lambda-powertools/') || name === '@aws/lambda-invoke-store')
    .reduce((sum, [, bytes]) => sum + bytes, 0);

  log('4/10 polling cost and detection lag …');
  const polling = await measurePollingCost();
  const lagHolds = polling.every((row) => row.lagSeconds === undefined || row.lagSeconds <= Number(row.interval.split(' ')[0]));
  const zeroPollFailures = polling.filter((row) => row.job === 'missing job' || row.job === 'malformed ARN').every((row) => row.polls === 0);

  log('5/10 twenty waiters at once …');
  const concurrent = await measureConcurrentWaiters([undefined, 10]);

  log('6/10 both kinds, and a mixed stack …');
  const kindCost = measureKindCost();
  const mixed = await measureMixedDeployment();

  log('7/10 a six-hour training …');
  const training = await measureTrainingCost();

  log('8/10 the example pipeline, side by side …');
  const pipeline = await measurePipelineTime();
  const pipelineHolds = pipeline.every((row) => row.seconds - row.criticalPathSeconds <= row.allowedExcessSeconds);

  log('9/10 a retry after a failed batch job, with and without reuse …');
  const retries = await measureRetryCost();

  log('10/10 a week of the scheduled example\'s nights …');
  const week = await measureScheduledWeek();
  const weekTransitions = week.reduce((sum, night) => sum + night.transitions, 0);

  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node.js ${process.version}`;
  const report = `# Benchmarks

What a \`BatchSegmentJobWaiter\` costs a stack, a deployment and an AWS account, what each
kind of construct (segment and inference, waiter and job) adds to a stack that mixes them, and what
waiting for a six-hour training costs. Produced by
\`npm run bench\` (\`bench/run.ts\`) on ${new Date().toISOString().slice(0, 10)}, on: ${machine}.
The whole run took ${((Date.now() - started) / 1000).toFixed(0)} s. Times are wall-clock medians on this
machine; counts are exact. Deployments run on the local Personalize endpoint with simulated time
(see [docs/running-locally.md](docs/running-locally.md)).

## Goals

| Goal | Measured | Verdict |
| --- | --- | --- |
| Each extra waiter adds exactly one resource | ${extraResources} resource per extra waiter, 1 to 100 waiters | ${verdict(extraResources === 1)} |
| … and under 1 KiB of template | ${extraBytes.toFixed(0)} bytes per extra waiter | ${verdict(extraBytes < 1024)} |
| 100 waiters synthesize in under 1.5× the time of one | ${synthRatio.toFixed(2)}× as \`cdk synth\` runs it (fresh process); ${inProcessRatio.toFixed(2)}× for the synthesis alone, aws-cdk-lib already loaded | ${verdict(synthRatio < 1.5)} (fresh process) |
| Handler bundle under 32 KiB | ${kib(shipped.bytes)}, of which Powertools Logger ${kib(powertoolsBytes)} | ${verdict(shipped.bytes < 32 * 1024)} |
| Cold-start initialisation under 100 ms | ${shipped.coldStartMs.toFixed(0)} ms, of which loading the AWS SDK client alone ${baseline.coldStartMs.toFixed(0)} ms | ${verdict(shipped.coldStartMs < 100)} |
| Detection lag never above one poll interval | ${Math.max(...polling.map((row) => row.lagSeconds ?? 0))} s at most | ${verdict(lagHolds)} |
| A missing job or malformed ARN fails with zero polls | ${zeroPollFailures ? 'zero polls' : 'polls made'} | ${verdict(zeroPollFailures)} |
| The pipeline takes its critical path plus at most one poll interval per step | ${pipeline.map((row) => `${row.deployment}: ${formatDuration(row.seconds)} for a path of ${formatDuration(row.criticalPathSeconds)} (allowed ${formatDuration(row.allowedExcessSeconds)} more)`).join('; ')} | ${verdict(pipelineHolds)} |
| A retry after a failed batch job runs only the jobs | with reuse: ${retries[0].imports} imports, ${retries[0].trainings} trainings, ${retries[0].batchJobs} batch jobs in ${formatDuration(retries[0].seconds)} | ${verdict(retries[0].imports === 0 && retries[0].trainings === 0)} |
| Throttling slows twenty waiters down instead of failing them | ${concurrent[1].succeeded} of ${concurrent[1].waiters} succeeded under a 10 calls/s limit | ${verdict(concurrent[1].succeeded === concurrent[1].waiters)} |

## 1. Template cost

Resources (\`AWS::CDK::Metadata\` aside) and minified template bytes, against the naive design in
which every waiter brings its own handlers and \`Provider\` (\`bench/stacks.ts\`). CloudFormation
allows 500 resources per stack; a naive stack over that does not synthesize.

${table(
  ['Waiters', 'Resources', 'Template bytes', 'Naive: resources', 'Naive: template bytes'],
  templates.map((row) => [row.waiters, row.resources, row.bytes, row.naiveResources, row.naiveBytes ?? 'does not synthesize']),
)}

Fixed cost of the first waiter: ${first.resources} resources (the handlers, their role and log
group, one provider with its functions, roles, state machine and log group), ${kib(first.bytes)}.
Marginal cost of each extra waiter: ${extraResources} resource and ${extraBytes.toFixed(0)} bytes.

## 2. Synth time

Median of 3 runs per size, interleaved. "Fresh process" runs \`bench/synth-app.ts\` with tsx, as
\`cdk synth\` runs an app; most of it is loading TypeScript and aws-cdk-lib.

${table(
  ['Waiters', 'Fresh process (ms)', 'Ratio to one', 'Synthesis alone (ms)', 'Ratio to one'],
  synth.map((row) => [row.waiters, row.processMedianMs.toFixed(0), (row.processMedianMs / synth[0].processMedianMs).toFixed(2), row.inProcessMedianMs.toFixed(0), (row.inProcessMedianMs / synth[0].inProcessMedianMs).toFixed(2)]),
)}

## 3. Handler bundle

Bytes of the handler asset, and the median over 9 fresh Node.js processes of loading it and
constructing a \`PersonalizeClient\` (the SDK comes from node_modules when it is left out, as it
comes from the runtime in Lambda). The provider framework's own asset, deployed with every
provider, is ${kib(frameworkAssetBytes())} of JavaScript.

${table(
  ['Bundle', 'Bytes', 'Cold-start init (ms)'],
  bundles.map((row) => [row.variant, `${row.bytes} (${kib(row.bytes)})`, row.coldStartMs.toFixed(0)]),
)}

What the shipped bundle holds, by package (esbuild's metafile):

${table(
  ['Package', 'Bytes'],
  Object.entries(shipped.bytesByPackage ?? {}).sort((a, b) => b[1] - a[1]).map(([name, bytes]) => [name, bytes]),
)}

## 4. Polling cost and detection lag

One deployment per row. Jobs go \`CREATE PENDING\` → \`CREATE IN_PROGRESS\` → their end, and were
started 13 s before the deployment, so that they do not end on a poll. Lambda invocations count
the framework's and the handler's function for onEvent and for each poll; each poll is one Step
Functions state transition. Lag is from the job's end to the answer CloudFormation gets. Every
waiter has a 2-hour timeout, relayed by a chain of three links at each interval: the
figures add up every link CloudFormation created, each of which costs an onEvent and one poll at
least.

${table(
  ['Poll interval', 'Job', 'Outcome', 'Links created', 'Describe calls', 'Polls', 'Lambda invocations', 'State transitions', 'Lag (s)'],
  polling.map((row) => [row.interval, row.job, row.outcome, row.links, row.describeCalls, row.polls, row.lambdaInvocations, row.stateTransitions, row.lagSeconds ?? '–']),
)}

## 5. Twenty waiters at once

Twenty waiters in one stack, created together, polling one region for jobs that end between 5 and
24 minutes. "Describe requests" count every request the endpoint received, the SDK's retries of
throttled calls included. The rate limit is applied per second of simulated time; the SDK's
retries come within the same simulated second, so it is harsher than a real token bucket.

${table(
  ['Scenario', 'Waiters', 'Succeeded', 'Peak requests/s', 'Peak answered/s', 'Describe requests', 'Throttled', 'Max lag (s)'],
  concurrent.map((row) => [row.scenario, row.waiters, row.succeeded, row.peakDescribesPerSecond, row.peakAnsweredPerSecond, row.describeCalls, row.throttledCalls, row.maxLagSeconds]),
)}

The peak comes at the start: the twenty onEvent calls and the twenty first polls fall in the same
second. After that the waiters poll in step, twenty calls every 30 seconds.

## 6. Both kinds, and a mixed stack

A stack with one of each construct (\`bench/kinds-cost.ts\`) has ${kindCost.base.resources} resources and
${kib(kindCost.base.bytes)} of template: one pair of handlers and one provider serve all four. What one
more construct of each kind adds to it (a job construct adds its role, its policy and a bucket
policy statement beside its custom resource):

${table(
  ['One more', 'Resources', 'Template bytes'],
  kindCost.rows.map((row) => [row.construct, row.extraResources, row.extraBytes]),
)}

The mixed stack's four custom resources created together on the local endpoint: the waiters wait
for jobs that end 14 minutes after the deployment starts, the jobs are created then and end 10
minutes later. Personalize calls of the whole deployment: ${Object.entries(mixed.calls).sort().map(([operation, count]) => `${operation} ${count}`).join(', ')}.

${table(
  ['Construct', 'Outcome', 'Answered after (s)', 'Polls'],
  mixed.rows.map((row) => [row.construct, row.outcome, row.elapsedSeconds, row.polls]),
)}

## 7. A six-hour training

What waiting for a training of six hours costs with the training defaults (8-hour timeout, relayed
by links of about 56 minutes; \`bench/training-cost.ts\`), at the default poll interval and the
longest: by the \`SolutionVersion\` that starts it (each poll lists the solution's versions and
describes its own, which it finds by name), and by a \`SolutionVersionWaiter\` on a training started
elsewhere (one Describe per poll). Both check a quality gate: one \`GetSolutionMetrics\` in each
poll that answers with the version \`ACTIVE\` (each link from the training's end on; a link's
onEvent reads only the status). Lambda invocations count the framework's and the handler's function for
each link's onEvent and each poll; lag is from the training's end to the last link's answer.

${table(
  ['Construct', 'Poll interval', 'Outcome', 'Links created', 'Polls', 'Personalize calls', 'Lambda invocations', 'State transitions', 'Lag (s)'],
  training.map((row) => [
    row.construct,
    row.interval,
    row.outcome,
    row.links,
    row.polls,
    Object.entries(row.calls).sort().map(([operation, count]) => `${operation} ${count}`).join(', '),
    row.lambdaInvocations,
    row.stateTransitions,
    row.lagSeconds,
  ]),
)}

## 8. The example pipeline, side by side

The example pipeline (\`bin/pipeline-stack.ts\`; \`bench/pipeline-time.ts\`) on the local endpoint, whose
datasets are ACTIVE 5 minutes and solutions 10 minutes after the deployment starts, an import
takes 15 minutes, a training 2 hours and a batch job 10 minutes. The local deployment runs it as
CloudFormation does, side by side where the template allows; "one at a time" runs the same
resources one after the other, as the local deployment did before, for comparison. The critical
path is what Personalize itself takes along the longest chain (dataset, import, training, job);
the goal allows one poll interval of each of its steps (import, training, job) beyond it.

${table(
  ['Deployment', 'Side by side', 'Critical path', 'Beyond it', 'Allowed', 'One at a time'],
  pipeline.map((row) => [row.deployment, formatDuration(row.seconds), formatDuration(row.criticalPathSeconds), formatDuration(row.seconds - row.criticalPathSeconds), formatDuration(row.allowedExcessSeconds), formatDuration(row.oneAtATimeSeconds)]),
)}

## 9. A retry after a failed batch job

The example pipeline's first deployment fails when its batch inference job reads a malformed
input (after both imports and both trainings); CloudFormation rolls it back; the input is fixed
under the same key and the stack deployed again (\`bench/retry-cost.ts\`). What the retry costs,
with the constructs' default reuse window and with \`reuseWithin: Duration.seconds(0)\`; training
hours are those Personalize reports for the versions the retry trained.

${table(
  ['Reuse', 'Outcome', 'Retry took', 'Imports', 'Trainings', 'Batch jobs', 'Training hours'],
  retries.map((row) => [row.reuse, row.outcome, formatDuration(row.seconds), row.imports, row.trainings, row.batchJobs, row.trainingHours.toFixed(3)]),
)}

## 10. A week of scheduled runs

The scheduled example (\`bin/scheduled-runs.ts\`, \`PipelineStack\` \`scheduled\`) deployed, then its
state machine run once a night for a week on the ASL interpreter, with the input its schedules
give (\`bench/scheduled-cost.ts\`, \`local/scheduled-week.ts\`): every night the day's import and
both batch jobs, on Sunday both models trained again first. The waits are Wait, Describe and
Choice states (every 5 minutes, every 15 for a training), no Lambda function: the same looks made
by a function through the provider framework would each cost one state transition and two Lambda
invocations besides. Price: ${PRICE_SOURCE}. The Personalize work is billed by its own units
(training hours, which Personalize reports; records imported and recommended), whose prices were
not in the stored copy of Personalize's price list read here. "Noticed within" is the interval
between the last two looks at a piece of work, the most the run can have been late.

${table(
  ['Night', 'Outcome', 'Took', 'Work', 'State transitions', 'Price', 'Looks', 'Same looks by a polling function', 'Training hours', 'Noticed within'],
  week.map((night) => [
    `${night.day} (${night.retrain ? 'retrain' : 'nightly'})`,
    night.status,
    formatDuration(night.seconds),
    `${night.imports} import, ${night.trainings} trainings, ${night.batchJobs} batch jobs`,
    night.transitions,
    `$${(night.transitions * PRICE_PER_TRANSITION_USD).toFixed(4)}`,
    night.lookCount,
    `${night.lookCount} transitions, ${2 * night.lookCount} Lambda invocations`,
    night.trainingHours.toFixed(3),
    night.detectionLagSeconds.length > 0 ? formatDuration(Math.max(...night.detectionLagSeconds)) : '-',
  ]),
)}

The week: ${weekTransitions} state transitions, $${(weekTransitions * PRICE_PER_TRANSITION_USD).toFixed(4)}.
`;
  fs.writeFileSync(OUTPUT, report);
  log(report);
  log(`Wrote ${path.relative(process.cwd(), OUTPUT)} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
