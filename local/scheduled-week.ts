import FakeTimers from '@sinonjs/fake-timers';
import { PIPELINE_STEPS } from '../bin/pipeline-stack';
import { formatDuration } from '../lib/engine/wait-timing';
import { ImportField } from '../lib/kinds/dataset-import-job/contract';
import { TrainingField } from '../lib/kinds/solution-version/contract';
import { WaiterProperty } from '../lib/engine/wait-contract';
import { iamSummary } from './iam/iam-summary';
import { LocalDeployment, SimulatedClock } from './local-deployment';
import type { LocalPersonalize } from './personalize-endpoint';
import { LocalStateMachine, VirtualTimers } from './step-functions/local-state-machine';
import { LocalServices } from './step-functions/service-tasks';

/*
 * A week of the scheduled example's nights (bin/scheduled-runs.ts), on this machine: the stack
 * deployed as CloudFormation would, then its state machine from the template run once a night on
 * the ASL interpreter with the input its schedule gives, on simulated time. What each night
 * started, how many state transitions it made and what they cost, and how long after each piece
 * of work ended the run noticed. Shared by the demo and the benchmark.
 */

/**
 * Step Functions' price per state transition of a standard workflow in US East (N. Virginia):
 * $0.025 per 1,000 (aws.amazon.com/step-functions/pricing, as stored for this project's search
 * tool, read 2026-12-08), beyond the free tier's 4,000 a month.
 */
export const PRICE_PER_TRANSITION_USD = 0.025 / 1000;
export const PRICE_SOURCE = 'Step Functions standard workflows, US East (N. Virginia): $0.025 per 1,000 state transitions (aws.amazon.com/step-functions/pricing, read 2026-12-08)';

export interface ScheduledWeekSetup {
  readonly assemblyDir: string;
  readonly stackName: string;
  /** The deployment's clock, which the handlers read too. */
  readonly clock: SimulatedClock;
  /** Timers that the state machine's Wait states and retries sleep on, moved on by the runner; `release` ends them. */
  readonly virtualTimers: () => NightTimers;
}

/** The timers of the nights: the runner moves them on; `setTime` starts a night at its scheduled time; `release` ends them. */
export interface NightTimers extends VirtualTimers {
  setTime(epochMs: number): void;
  release(): void;
}

export interface Night {
  readonly day: string;
  readonly retrain: boolean;
  readonly status: string;
  readonly error?: string;
  /** From the scheduled time to the run's end. */
  readonly seconds: number;
  readonly transitions: number;
  readonly imports: number;
  readonly trainings: number;
  readonly trainingHours: number;
  readonly batchJobs: number;
  /** For each piece of work, the most the run can have noticed its end late: the interval between its last two looks. */
  readonly detectionLagSeconds: readonly number[];
  /** How many times the run looked at its work (Describe calls answered, the training lookup's included). */
  readonly lookCount: number;
  readonly stages: readonly string[];
}

/** The seven days after the one `epochMs` falls on (UTC), as dates: the nights after a deployment, time running forward only. */
function weekAfter(epochMs: number): string[] {
  const dayMs = 86_400_000;
  const firstNight = Math.floor(epochMs / dayMs) * dayMs + dayMs;
  return Array.from({ length: 7 }, (_, night) => new Date(firstNight + night * dayMs).toISOString().slice(0, 10));
}

/** Deploys the scheduled example, then runs its week; answers each night. */
export async function runScheduledWeek(setup: ScheduledWeekSetup, personalize: LocalPersonalize, say: (line?: string) => void): Promise<Night[]> {
  const deployment = new LocalDeployment(setup.assemblyDir, setup.stackName, { clock: setup.clock, iam: personalize.iam });
  const order = PIPELINE_STEPS.flatMap(([id, type]) => deployment.chainOf(id, type));
  scriptPersonalizeFor(deployment, personalize);
  const fromDecision = personalize.iam.decisions.length;
  const { failed } = await deployment.deployStack(order);
  if (failed !== undefined) {
    throw new Error(`The scheduled example's deployment failed at ${failed.response.LogicalResourceId}: ${failed.response.Reason}`);
  }
  say(`  deployed ${setup.stackName} (the pipeline, its state machine and two schedules); ${iamSummary(personalize.iam, fromDecision)}`);

  const services = new LocalServices(personalize.iam, 'us-east-1', (name) => {
    const logicalId = deployment.logicalIdsOf('AWS::SSM::Parameter').find((id) => deployment.refOf(id) === name);
    return logicalId === undefined ? undefined : String(deployment.requestPropertiesOf(logicalId).Value);
  });
  const [machineId] = deployment.logicalIdsOf('AWS::StepFunctions::StateMachine').filter((id) => id.startsWith('ScheduledRunsStateMachine'));
  const timers = setup.virtualTimers();
  const nights: Night[] = [];
  try {
    const machine = new LocalStateMachine(deployment, machineId, { iam: personalize.iam, personalizeEndpoint: String(process.env.AWS_ENDPOINT_URL_PERSONALIZE), timers, services });
    for (const day of weekAfter(Date.now())) {
      nights.push(await runNight(day, deployment, machine, services, personalize, timers));
      say(`  ${describeNight(nights[nights.length - 1])}`);
    }
  } finally {
    timers.release();
  }
  return nights;
}

async function runNight(day: string, deployment: LocalDeployment, machine: LocalStateMachine, services: LocalServices, personalize: LocalPersonalize, timers: NightTimers): Promise<Night> {
  const input = scheduledInput(deployment, day);
  const start = Date.parse(input.scheduledTime);
  timers.setTime(start);
  const before = { calls: personalize.calls.length, events: services.events.length, versions: personalize.trainings.versionArns().length };
  const outcome = await machine.execute({ name: `night-${day}`, input });
  const calls = personalize.calls.slice(before.calls).filter((call) => call.error === undefined && call.fault === undefined);
  const trained = personalize.trainings.versionArns().slice(before.versions);
  return {
    day,
    retrain: input.retrain,
    status: outcome.status,
    error: outcome.error,
    seconds: (Date.now() - start) / 1000,
    transitions: outcome.transitions,
    imports: calls.filter((call) => call.operation === 'CreateDatasetImportJob').length,
    trainings: trained.length,
    trainingHours: trained.reduce((hours, arn) => hours + personalize.trainings.trainingHoursOf(arn), 0),
    batchJobs: calls.filter((call) => call.operation === 'CreateBatchSegmentJob' || call.operation === 'CreateBatchInferenceJob').length,
    detectionLagSeconds: detectionLags(calls),
    lookCount: calls.filter((call) => call.operation.startsWith('Describe')).length,
    stages: services.events.slice(before.events).map((event) => `${event.detail.Stage} ${String(event.detail.Status).toLowerCase()}`),
  };
}

/**
 * For each piece of work the night looked at: the interval between the last look that saw it
 * running and the look that saw it ended, within which it ended: the most the run can have been late.
 */
function detectionLags(calls: LocalPersonalize['calls']): number[] {
  const looks = new Map<string, number[]>();
  for (const call of calls.filter((done) => /^Describe(DatasetImportJob|SolutionVersion|BatchSegmentJob|BatchInferenceJob)$/.test(done.operation))) {
    const arn = String(Object.values(call.body)[0]);
    looks.set(arn, [...(looks.get(arn) ?? []), call.at]);
  }
  return [...looks.values()].filter((times) => times.length > 1).map((times) => (times[times.length - 1] - times[times.length - 2]) / 1000);
}

/** The input EventBridge Scheduler gives the state machine for the night of `day`: its weekday's schedule, the placeholder filled in. */
function scheduledInput(deployment: LocalDeployment, day: string): { scheduledTime: string; retrain: boolean } {
  const sunday = new Date(`${day}T00:00:00Z`).getUTCDay() === 0;
  const logicalId = deployment.logicalIdsOf('AWS::Scheduler::Schedule').find((id) => String(deployment.propertiesOf(id).ScheduleExpression).includes(sunday ? '* SUN *' : '* MON-SAT *'));
  const target = deployment.propertiesOf(logicalId!).Target as { Input: string };
  return JSON.parse(target.Input.replace('<aws.scheduler.scheduled-time>', `${day}T02:00:00Z`));
}

function scriptPersonalizeFor(deployment: LocalDeployment, personalize: LocalPersonalize): void {
  const arnsNamed = (type: string, field: string) => [...new Set(deployment.logicalIdsOf(type).map((id) => String(deployment.requestPropertiesOf(id)[WaiterProperty.JOB][field])))];
  personalize.imports.removeAll();
  personalize.trainings.removeAll();
  personalize.removeJobs();
  arnsNamed('Custom::PersonalizeDatasetImportJob', ImportField.DATASET_ARN).forEach((arn) => personalize.imports.addDataset(arn));
  arnsNamed('Custom::PersonalizeSolutionVersion', TrainingField.SOLUTION_ARN).forEach((arn) => personalize.trainings.addSolution(arn));
}

export function describeNight(night: Night): string {
  const weekday = new Date(`${night.day}T00:00:00Z`).toUTCString().slice(0, 3);
  const work = [`${night.imports} import`, ...(night.trainings > 0 ? [`${night.trainings} trainings (${night.trainingHours.toFixed(2)} training hours)`] : []), `${night.batchJobs} batch jobs`].join(', ');
  const lag = night.detectionLagSeconds.length > 0 ? formatDuration(Math.max(...night.detectionLagSeconds)) : '-';
  return (
    `${weekday} ${night.day} 02:00 ${night.retrain ? 'retrain' : 'nightly'}: ${night.status}${night.error !== undefined ? ` (${night.error})` : ''} in ${formatDuration(night.seconds)}; ` +
    `${work}; ${night.transitions} state transitions ($${(night.transitions * PRICE_PER_TRANSITION_USD).toFixed(4)}); noticed each ending within ${lag}; stages: ${night.stages.join(', ')}`
  );
}

/**
 * The nights' timers, for a process whose clock fakes only Date (the deployments' HTTP traffic
 * needs real timers): while the nights run, setTimeout is faked too, so that the Wait states and
 * retries sleep on simulated time; `release` puts a clock that fakes only Date back.
 */
export function swappingNightTimers(clock: { current(): FakeTimers.InstalledClock; replace(next: FakeTimers.InstalledClock): void }): () => NightTimers {
  return () => {
    const now = Date.now();
    clock.current().uninstall();
    const timers = FakeTimers.install({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now });
    clock.replace(timers);
    return {
      pending: () => timers.countTimers(),
      next: () => void timers.next(),
      setTime: (epochMs) => timers.setSystemTime(epochMs),
      release: () => {
        const at = Date.now();
        timers.uninstall();
        clock.replace(FakeTimers.install({ toFake: ['Date'], now: at }));
      },
    };
  };
}
