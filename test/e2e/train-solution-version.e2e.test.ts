import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { TrainSolutionVersion, TrainSolutionVersionProps, TrainingMode } from '../../lib';
import { aslErrorsOf } from '../../local/step-functions/asl-validation';
import type { LocalStateMachine } from '../../local/step-functions/local-state-machine';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';
import { localStateMachineOf, useFakeClock } from '../support/local-state-machines';

/*
 * End to end: the state machine a TrainSolutionVersion builds, from the synthesized template,
 * executed by an Amazon States Language interpreter, its Personalize tasks (those in its Map too)
 * answered by the local endpoint through the real SDK with IAM deciding each call with the state
 * machine's role, its Wait states and retries on jest's fake timers. Trainings follow the live
 * service's statuses: CREATE PENDING, CREATE IN_PROGRESS after 5 minutes, ACTIVE after 2 hours.
 */

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const SUNDAY = { scheduledTime: '2026-11-29T01:00:00Z' };
const GATE = { normalized_discounted_cumulative_gain_at_10: 0.2, 'precision.at-5': 0.05 };

const { personalize, iam } = useLocalPersonalize();
const stacks: SynthesizedStack[] = [];
let machine: LocalStateMachine;

function trainingMachine(props: Partial<TrainSolutionVersionProps> = {}): LocalStateMachine {
  const stack = new SynthesizedStack((s) => {
    const run = new TrainSolutionVersion(s, 'Weekly', {
      solutionArn: SOLUTION_ARN,
      trainingMode: TrainingMode.FULL,
      jobNamePrefix: 'weekly',
      minimumMetrics: GATE,
      tags: { team: 'growth' },
      ...props,
    });
    new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(run) });
  });
  stacks.push(stack);
  return localStateMachineOf(stack, iam);
}

beforeAll(() => {
  useFakeClock(new Date('2026-11-29T01:00:05Z'));
  machine = trainingMachine();
});

afterAll(() => stacks.forEach((stack) => stack.dispose()));

function addSolution(metrics: Record<string, number> = { normalized_discounted_cumulative_gain_at_10: 0.24, 'precision.at-5': 0.09, coverage: 0.3 }): void {
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(SOLUTION_ARN, { metrics });
}

beforeEach(() => {
  personalize.resetCallsAndFaults();
  addSolution();
  useFakeClock(new Date('2026-11-29T01:00:05Z'));
});

afterEach(() => expect(iam.refusals()).toEqual([]));

const accepted = (operation: string) => personalize.callsTo(operation).filter((call) => call.error === undefined && call.fault === undefined);

describe('a weekly training', () => {
  it('is a valid Amazon States Language definition, as deployed', () => {
    expect(aslErrorsOf(machine.deployedDefinition)).toEqual([]);
  });

  it('trains one version named from the scheduled time, checks it against the gate and ends with its metrics', async () => {
    const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const output = outcome.output as Record<string, unknown>;
    expect(output.JobName).toMatch(/^weekly-[0-9a-f]{32}$/);
    const [version] = personalize.trainings.versionArns();
    expect(output).toMatchObject({
      JobArn: version,
      Status: 'ACTIVE',
      TrainingHours: personalize.trainings.trainingHoursOf(version),
      Metrics: { normalized_discounted_cumulative_gain_at_10: 0.24, 'precision.at-5': 0.09, coverage: 0.3 },
      Job: { SolutionVersionArn: version, Name: output.JobName, TrainingMode: 'FULL' },
    });
    expect(personalize.trainings.tagsOf(version)).toEqual([{ tagKey: 'team', tagValue: 'growth' }]);
    // Two hours at the training's default of a look every fifteen minutes: eight looks.
    expect(accepted('DescribeSolutionVersion')).toHaveLength(8);
    expect(new Date().toISOString()).toBe('2026-11-29T03:00:05.000Z');
    // Name, list, look through (no version yet), more?, create; eight waits, looks and choices,
    // seven counts; metrics, gate and done.
    expect(outcome.transitions).toBe(5 + 8 * 3 + 7 + 3);
  });

  it('fails the run, naming the metric, its value and the minimum, when the version is below the gate', async () => {
    addSolution({ normalized_discounted_cumulative_gain_at_10: 0.12, 'precision.at-5': 0.09 });

    const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

    const [version] = personalize.trainings.versionArns();
    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: 'SolutionVersionBelowGate',
      cause: `Solution version ${version} did not pass the quality gate: normalized_discounted_cumulative_gain_at_10 is 0.12, below its minimum of 0.2.`,
    });
  });

  it('fails the run when a gated metric is not reported, under a name that needs brackets', async () => {
    addSolution({ normalized_discounted_cumulative_gain_at_10: 0.3 });

    const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

    const [version] = personalize.trainings.versionArns();
    expect(outcome.cause).toBe(`Solution version ${version} did not pass the quality gate: precision.at-5 is not among its metrics, which has a minimum of 0.05.`);
  });

  it('finds the version a first start of the same run created among the solution\'s versions, and makes no second Create', async () => {
    personalize.trainings.addVersion(SOLUTION_ARN, { name: 'autotrained', createdAt: Date.now() - 3600_000, status: 'ACTIVE', trainingType: 'AUTOMATIC' });
    const first = await machine.execute({ name: 'sunday', input: SUNDAY });
    const again = await machine.execute({ name: 'sunday-redelivered', input: SUNDAY });

    expect(again.status).toBe('SUCCEEDED');
    expect((again.output as { JobArn: string }).JobArn).toBe((first.output as { JobArn: string }).JobArn);
    expect(personalize.callsTo('CreateSolutionVersion')).toHaveLength(1);
    expect(personalize.trainings.versionArns()).toHaveLength(2);
    // Each lookup described the version trained automatically and found it was not the run's.
    expect(personalize.callsTo('DescribeSolutionVersion').filter((call) => call.body.solutionVersionArn === personalize.trainings.versionArns()[0])).toHaveLength(2);
  });

  it('looks past the first page of versions, a hundred to a page', async () => {
    for (let i = 0; i < 150; i++) {
      personalize.trainings.addVersion(SOLUTION_ARN, { name: `old-${i}`, createdAt: Date.now() - 86_400_000, status: 'ACTIVE' });
    }
    const first = await machine.execute({ name: 'sunday', input: SUNDAY });
    const again = await machine.execute({ name: 'sunday-redelivered', input: SUNDAY });

    expect((again.output as { JobArn: string }).JobArn).toBe((first.output as { JobArn: string }).JobArn);
    expect(personalize.callsTo('CreateSolutionVersion')).toHaveLength(1);
    expect(personalize.callsTo('ListSolutionVersions').map((call) => call.body.nextToken)).toEqual([undefined, '100', undefined, '100']);
  });

  it('fails, and trains nothing more, when another start of the run creates the version between its lookup and its Create', async () => {
    const first = await machine.execute({ name: 'sunday', input: SUNDAY });
    const name = (first.output as { JobName: string }).JobName;
    addSolution();

    const raced = await machine.execute({
      name: 'sunday-raced',
      input: SUNDAY,
      onStateEntered: (state) => {
        if (state === 'Weekly: create the job') {
          personalize.trainings.startTraining(SOLUTION_ARN, name);
        }
      },
    });

    expect(raced).toMatchObject({ status: 'FAILED', error: 'SolutionVersionNotFound' });
    expect(raced.cause).toContain('another start of the same run created it meanwhile, and that start waits for it.');
    expect(personalize.trainings.versionArns()).toHaveLength(1);
  });

  it('stops the training and fails when it has not ended within maxWait', async () => {
    const impatient = trainingMachine({ maxWait: Duration.hours(1), pollInterval: Duration.minutes(20) });

    const outcome = await impatient.execute({ name: 'sunday', input: SUNDAY });

    const [version] = personalize.trainings.versionArns();
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'SolutionVersionTimedOut', cause: 'The solution version had not ended after 1 hour: the run stopped it, so that it bills no more.' });
    expect(personalize.trainings.wasStopped(version)).toBe(true);
    expect(accepted('DescribeSolutionVersion')).toHaveLength(3);
  });

  it('fails with Personalize\'s reason when the training fails', async () => {
    personalize.trainings.removeAll();
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 1800, status: 'CREATE FAILED' }] });

    const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'SolutionVersionFailed', cause: 'Not enough interactions to train' });
  });

  it('waits for a slot while the region has twenty trainings in flight, and retries throttling', async () => {
    for (let i = 0; i < 20; i++) {
      personalize.trainings.startTraining(SOLUTION_ARN, `other-${i}`);
    }
    personalize.injectFaultsInto('DescribeSolutionVersion', { kind: 'throttling' });

    const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const creates = personalize.callsTo('CreateSolutionVersion');
    expect(creates.filter((call) => call.error === 'LimitExceededException').length).toBeGreaterThan(0);
    expect(creates.at(-1)?.error).toBeUndefined();
  });

  it('uses every grant of the state machine\'s role', () => {
    expectEveryGrantUsed(iam);
  });
});

describe('an execution that ends while it trains', () => {
  let stopStack: SynthesizedStack;

  beforeAll(() => {
    stopStack = new SynthesizedStack((s) => {
      const run = new TrainSolutionVersion(s, 'Weekly', { solutionArn: SOLUTION_ARN, jobNamePrefix: 'weekly' });
      const machine = new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(run) });
      run.stopWhenExecutionEnds(machine);
    });
    stacks.push(stopStack);
  });

  /** The event EventBridge delivers when the execution `name` of the state machine ends with `status` (the "Step Functions Execution Status Change" detail). */
  const statusChange = (name: string, status: string) => ({
    version: '0',
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: `arn:aws:states:us-east-1:111122223333:execution:Nightly:${name}`,
      stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:Nightly',
      name,
      status,
      input: JSON.stringify(SUNDAY),
    },
  });

  it('is caught by a rule on the state machine\'s executions that end stopped, timed out or failed', () => {
    const [ruleId] = stopStack.deployment.logicalIdsOf('AWS::Events::Rule');
    const rule = stopStack.deployment.propertiesOf(ruleId) as { EventPattern: Record<string, unknown>; Targets: { Arn: { Ref: string } }[] };
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [{ Ref: expect.stringMatching(/^Nightly/) }] },
    });
    expect(rule.Targets[0].Arn.Ref).toMatch(/^WeeklyStopWhenExecutionEnds/);
  });

  it('stops the training of an execution stopped while it trains', async () => {
    const main = localStateMachineOf(stopStack, iam, 'Nightly');
    const stopper = localStateMachineOf(stopStack, iam, 'WeeklyStopWhenExecutionEnds');
    let waits = 0;

    const stopped = await main.execute({
      name: 'sunday',
      input: SUNDAY,
      onStateEntered: (state, abort) => {
        if (state === 'Weekly: wait' && ++waits === 2) {
          abort();
        }
      },
    });
    const [version] = personalize.trainings.versionArns();
    expect(stopped.status).toBe('ABORTED');
    expect(personalize.trainings.statusOf(version)).toBe('CREATE IN_PROGRESS');

    const cleanup = await stopper.execute({ name: 'sunday-stopped', input: statusChange('sunday', 'ABORTED') });

    expect(cleanup.status).toBe('SUCCEEDED');
    expect(personalize.trainings.wasStopped(version)).toBe(true);
  });

  it('leaves a training that had ended before its execution failed', async () => {
    const main = localStateMachineOf(stopStack, iam, 'Nightly');
    const stopper = localStateMachineOf(stopStack, iam, 'WeeklyStopWhenExecutionEnds');
    await main.execute({ name: 'sunday', input: SUNDAY });

    const cleanup = await stopper.execute({ name: 'sunday-failed', input: statusChange('sunday', 'FAILED') });

    expect(cleanup.status).toBe('SUCCEEDED');
    expect(personalize.trainings.wasStopped(personalize.trainings.versionArns()[0])).toBe(false);
    expect(personalize.callsTo('StopSolutionVersionCreation').map((call) => call.error)).toEqual(['ResourceInUseException']);
  });

  it('refuses at synth a run key it cannot read from the execution\'s input', () => {
    expect(() =>
      new SynthesizedStack((s) => {
        const run = new TrainSolutionVersion(s, 'Weekly', { solutionArn: SOLUTION_ARN, jobNamePrefix: 'weekly', runKey: '$.night' });
        run.stopWhenExecutionEnds(new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(run) }));
      }),
    ).toThrow(`Local/Weekly: stopWhenExecutionEnds finds the training by the run key, which it reads from the execution's input; runKey "$.night" is not a path into it ('$$.Execution.Input.scheduledTime').`);
  });

  it('uses every grant of the stopping state machine\'s role', () => {
    const unused = iam.unusedGrants().filter((grant) => grant.roleLogicalId.startsWith('WeeklyStopWhenExecutionEnds'));
    expect(unused).toEqual([]);
  });
});
