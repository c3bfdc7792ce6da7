import { PIPELINE_STEPS, PipelineStack } from '../../bin/pipeline-stack';
import { RUN_EVENT_DETAIL_TYPE, RUN_EVENT_SOURCE, SCHEDULES } from '../../bin/scheduled-runs';
import { aslErrorsOf } from '../../local/step-functions/asl-validation';
import { LocalStateMachine } from '../../local/step-functions/local-state-machine';
import type { LocalServices } from '../../local/step-functions/service-tasks';
import { SynthesizedStack, useLocalPersonalize, useSimulatedTime } from '../support/local-stack';
import { localServicesOf } from '../support/local-services';
import { jestTimers, useFakeClock } from '../support/local-state-machines';

/*
 * End to end: the scheduled example (PipelineStack with `scheduled`, bin/scheduled-runs.ts). The
 * stack is deployed locally first, as CloudFormation would; then its state machine, from the
 * synthesized template, runs a week of nights on the ASL interpreter, each started with the input
 * its EventBridge Scheduler schedule gives (the scheduled time in place of
 * <aws.scheduler.scheduled-time>), its Personalize, SSM and EventBridge calls decided by IAM with
 * the state machine's role.
 */

const ACCOUNT = 'arn:aws:personalize:us-east-1:111122223333';
const DATASETS = [`${ACCOUNT}:dataset/promo-pipeline/INTERACTIONS`, `${ACCOUNT}:dataset/promo-pipeline/ITEMS`];
const SEGMENTS_SOLUTION = `${ACCOUNT}:solution/promo-pipeline-item-affinity`;
const RECOMMENDATIONS_SOLUTION = `${ACCOUNT}:solution/promo-pipeline-user-personalization-v2`;
const WEEK = ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05'];

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let machine: LocalStateMachine;
let services: LocalServices;
let deployedVersions: string[];

/** The input EventBridge Scheduler gives the state machine for the night of `day`: the schedule of that weekday, its placeholder filled in. */
function scheduledInput(day: string): { scheduledTime: string; retrain: boolean } {
  const sunday = new Date(`${day}T00:00:00Z`).getUTCDay() === 0;
  const [logicalId] = stack.deployment.logicalIdsOf('AWS::Scheduler::Schedule').filter((id) => {
    const expression = String(stack.deployment.propertiesOf(id).ScheduleExpression);
    return sunday ? expression.includes('* SUN *') : expression.includes('* MON-SAT *');
  });
  const target = stack.deployment.propertiesOf(logicalId).Target as { Input: string };
  return JSON.parse(target.Input.replace('<aws.scheduler.scheduled-time>', `${day}T02:00:00Z`));
}

async function night(day: string) {
  useFakeClock(new Date(`${day}T02:00:05Z`));
  return machine.execute({ name: `night-${day}`, input: scheduledInput(day) });
}

beforeAll(async () => {
  stack = new SynthesizedStack({ stack: (app, id) => new PipelineStack(app, id, { scheduled: true }) });
});

afterAll(() => stack.dispose());

beforeEach(async () => {
  stack.undeploy();
  personalize.imports.removeAll();
  personalize.trainings.removeAll();
  personalize.removeJobs();
  personalize.resetCallsAndFaults();
  DATASETS.forEach((arn) => personalize.imports.addDataset(arn));
  personalize.trainings.addSolution(SEGMENTS_SOLUTION);
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION);
  useSimulatedTime(new Date('2026-11-28T10:00:00Z'));
  const { failed } = await stack.deployment.deployStack(PIPELINE_STEPS.flatMap(([id, type]) => stack.deployment.chainOf(id, type)));
  expect(failed).toBeUndefined();
  deployedVersions = personalize.trainings.versionArns();
  services = localServicesOf(stack, iam);
  const [logicalId] = stack.deployment.logicalIdsOf('AWS::StepFunctions::StateMachine').filter((id) => id.startsWith('ScheduledRunsStateMachine'));
  machine = new LocalStateMachine(stack.deployment, logicalId, { iam, personalizeEndpoint: process.env.AWS_ENDPOINT_URL_PERSONALIZE!, timers: jestTimers, services });
});

afterEach(() => expect(iam.refusals()).toEqual([]));

const stagesOf = (day: string) => services.events.filter((event) => event.detail.ScheduledTime === `${day}T02:00:00Z`).map((event) => `${event.detail.Stage} ${event.detail.Status}`);

it('is scheduled nightly at 02:00 UTC, on Sundays with a retraining, with the scheduled time as the input that names the work', () => {
  const schedules = stack.deployment.logicalIdsOf('AWS::Scheduler::Schedule').map((id) => stack.deployment.propertiesOf(id) as { ScheduleExpression: string; FlexibleTimeWindow: unknown; Target: { Input: string } });
  expect(schedules.map((schedule) => [schedule.ScheduleExpression, JSON.parse(schedule.Target.Input)])).toEqual(
    SCHEDULES.map(({ expression, retrain }) => [expression, { scheduledTime: '<aws.scheduler.scheduled-time>', retrain }]),
  );
  expect(schedules.every((schedule) => JSON.stringify(schedule.FlexibleTimeWindow) === '{"Mode":"OFF"}')).toBe(true);
  expect(aslErrorsOf(machine.deployedDefinition)).toEqual([]);
});

it('runs a week of nights: an import every night, both models retrained on Sunday, and every night\'s jobs on the newest versions that passed', async () => {
  for (const day of WEEK) {
    const outcome = await night(day);
    expect({ day, status: outcome.status, error: outcome.error, cause: outcome.cause }).toEqual({ day, status: 'SUCCEEDED', error: undefined, cause: undefined });
  }

  const trained = personalize.trainings.versionArns().filter((arn) => !deployedVersions.includes(arn));
  expect(trained).toHaveLength(2);
  const jobsOn = (operation: string) => personalize.callsTo(operation).filter((call) => call.error === undefined && call.fault === undefined).map((call) => String(call.body.solutionVersionArn));
  // The deployment's job, then seven nights', each on Sunday's new version.
  expect(jobsOn('CreateBatchSegmentJob').slice(1)).toEqual(WEEK.map(() => trained.find((arn) => arn.startsWith(SEGMENTS_SOLUTION))));
  expect(jobsOn('CreateBatchInferenceJob').slice(1)).toEqual(WEEK.map(() => trained.find((arn) => arn.startsWith(RECOMMENDATIONS_SOLUTION))));
  const nightlyImports = personalize.callsTo('CreateDatasetImportJob').filter((call) => call.error === undefined && call.fault === undefined && String((call.body.dataSource as { dataLocation: string }).dataLocation).endsWith('/daily/interactions/'));
  expect(nightlyImports.map((call) => call.body.importMode)).toEqual(WEEK.map(() => 'INCREMENTAL'));
  expect(stagesOf(WEEK[0])).toEqual(['import SUCCEEDED', 'retrain SUCCEEDED', 'segments SUCCEEDED', 'recommendations SUCCEEDED']);
  expect(stagesOf(WEEK[1])).toEqual(['import SUCCEEDED', 'segments SUCCEEDED', 'recommendations SUCCEEDED']);
  expect(services.events.every((event) => event.source === RUN_EVENT_SOURCE && event.detailType === RUN_EVENT_DETAIL_TYPE)).toBe(true);
  const [retrained] = services.events.filter((event) => event.detail.Stage === 'retrain');
  expect(retrained.detail).toMatchObject({ RecommendationsMetrics: expect.objectContaining({ normalized_discounted_cumulative_gain_at_10: expect.any(Number) }), RecommendationsTrainingHours: expect.any(Number) });
  // Step Functions itself uses the log delivery and X-Ray grants, which the local world does not run.
  const unusedOfTheRuns = iam.unusedGrants().filter((grant) => grant.roleLogicalId.startsWith('ScheduledRunsStateMachine') && !/^(logs|xray):/.test(grant.actions[0]));
  // Only the stops, which a training that outlasts maxWait needs.
  expect(unusedOfTheRuns.map((grant) => `${grant.actions.join(', ')} on ${grant.resource}`).sort()).toEqual(['personalize:StopSolutionVersionCreation on arn:aws:personalize:us-east-1:111122223333:solution/promo-pipeline-item-affinity/*', 'personalize:StopSolutionVersionCreation on arn:aws:personalize:us-east-1:111122223333:solution/promo-pipeline-user-personalization-v2/*']);
});

it('publishes a failure when Sunday\'s model is below its gate, and the nights after keep the version that passed', async () => {
  personalize.trainings.addSolution(RECOMMENDATIONS_SOLUTION, { metrics: { normalized_discounted_cumulative_gain_at_10: 0.1 } });

  const sunday = await night(WEEK[0]);
  const monday = await night(WEEK[1]);

  expect(sunday).toMatchObject({ status: 'FAILED', error: 'SolutionVersionBelowGate' });
  expect(stagesOf(WEEK[0])).toEqual(['import SUCCEEDED', 'run FAILED']);
  const [failure] = services.events.filter((event) => event.detail.Status === 'FAILED');
  expect(failure.detail).toMatchObject({ Error: 'SolutionVersionBelowGate', Cause: expect.stringContaining('normalized_discounted_cumulative_gain_at_10 is 0.1, below its minimum of 0.2') });
  expect(monday.status).toBe('SUCCEEDED');
  const [, mondayJob] = personalize.callsTo('CreateBatchInferenceJob').filter((call) => call.error === undefined && call.fault === undefined);
  expect(mondayJob.body.solutionVersionArn).toBe(deployedVersions.find((arn) => arn.startsWith(RECOMMENDATIONS_SOLUTION)));
});
