import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RunBatchSegmentJob } from '../../lib';
import { aslErrorsOf } from '../../local/step-functions/asl-validation';
import type { LocalStateMachine } from '../../local/step-functions/local-state-machine';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';
import { localStateMachineOf, useFakeClock } from '../support/local-state-machines';

/*
 * End to end: the state machine a RunBatchSegmentJob builds, from the synthesized template,
 * executed by an Amazon States Language interpreter (local/step-functions), its Personalize tasks
 * answered by the local endpoint through the real SDK with IAM deciding each call with the state
 * machine's role, its Wait states and retries on jest's fake timers. Created jobs follow the live
 * service's statuses: CREATE PENDING, CREATE IN_PROGRESS after 1 minute, ACTIVE after 10.
 */

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
const MONDAY = { scheduledTime: '2026-11-30T02:00:00Z' };
const TUESDAY = { scheduledTime: '2026-12-01T02:00:00Z' };

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let machine: LocalStateMachine;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data', { bucketName: 'data' });
    const run = new RunBatchSegmentJob(s, 'Segments', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'segments/queries.json' },
      output: { bucket, prefix: 'segments/out/' },
      numResults: 100_000,
      jobNamePrefix: 'nightly',
      pollInterval: Duration.minutes(2),
      slotTimeout: Duration.hours(6),
    });
    new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(run) });
  });
  personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
});

afterAll(() => stack.dispose());

beforeEach(() => {
  personalize.removeJobs();
  // The Wait states and the retries sleep on setTimeout: faked too, and moved on by the runner.
  useFakeClock(new Date('2026-11-30T02:00:05Z'));
  machine = localStateMachineOf(stack, iam);
});

afterEach(() => expect(iam.refusals()).toEqual([]));

const accepted = (operation: string) => personalize.callsTo(operation).filter((call) => call.error === undefined && call.fault === undefined);

describe('a nightly run', () => {
  it('is a valid Amazon States Language definition, as deployed', () => {
    expect(aslErrorsOf(machine.deployedDefinition)).toEqual([]);
  });

  it('reports what a validator finds in a broken definition', () => {
    expect(aslErrorsOf({ ...machine.deployedDefinition, StartAt: 'no such state' })).toContain("MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: no such state");
  });

  it('creates one job named from the scheduled time, waits for it and ends with what Describe answered', async () => {
    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const output = outcome.output as Record<string, unknown>;
    expect(output.JobName).toMatch(/^nightly-[0-9a-f]{32}$/);
    expect(output.JobArn).toBe(`arn:aws:personalize:us-east-1:111122223333:batch-segment-job/${output.JobName}`);
    expect(output).toMatchObject({
      Status: 'ACTIVE',
      OutputPath: `s3://data/segments/out/${output.JobName}/`,
      Job: { BatchSegmentJobArn: output.JobArn, NumResults: 100_000, SolutionVersionArn: SOLUTION_VERSION_ARN, JobInput: { S3DataSource: { Path: 's3://data/segments/queries.json' } } },
    });
    expect(accepted('CreateBatchSegmentJob')).toHaveLength(1);
    // Ten minutes at a two-minute interval: five looks, the last one ACTIVE.
    expect(accepted('DescribeBatchSegmentJob')).toHaveLength(5);
    expect(new Date().toISOString()).toBe('2026-11-30T02:10:05.000Z');
  });

  it('names each night\'s job from its own time, so two nights make two jobs', async () => {
    const monday = await machine.execute({ name: 'monday', input: MONDAY });
    const tuesday = await machine.execute({ name: 'tuesday', input: TUESDAY });

    expect((monday.output as { JobName: string }).JobName).not.toBe((tuesday.output as { JobName: string }).JobName);
    expect(personalize.jobArns()).toHaveLength(2);
  });

  it('finds the job a first start of the same run created, instead of starting a second (a re-delivered start)', async () => {
    const first = await machine.execute({ name: 'monday', input: MONDAY });
    const again = await machine.execute({ name: 'monday-redelivered', input: MONDAY });

    expect(again.status).toBe('SUCCEEDED');
    expect((again.output as { JobArn: string }).JobArn).toBe((first.output as { JobArn: string }).JobArn);
    expect(personalize.jobArns()).toHaveLength(1);
    expect(personalize.callsTo('CreateBatchSegmentJob').map((call) => call.error)).toEqual([undefined, 'ResourceAlreadyExistsException']);
  });

  it('waits for a slot while the region has five jobs in flight, then creates its job', async () => {
    for (let i = 1; i <= 5; i++) {
      personalize.addJob({
        batchSegmentJobArn: `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/other-${i}`,
        timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 3600, status: 'ACTIVE' }],
      });
    }

    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const creates = personalize.callsTo('CreateBatchSegmentJob');
    // Refused every two minutes for the hour the other jobs run, then accepted.
    expect(creates.filter((call) => call.error === 'LimitExceededException')).toHaveLength(30);
    expect(creates.at(-1)?.error).toBeUndefined();
    expect(creates.at(-1)?.at).toBe(Date.parse('2026-11-30T03:00:05Z'));
  });

  it('retries throttling and server errors of both calls, and succeeds', async () => {
    personalize.injectFaultsInto('CreateBatchSegmentJob', { kind: 'throttling' }, { kind: 'serverError', status: 503 });
    personalize.injectFaultsInto('DescribeBatchSegmentJob', { kind: 'serverError' }, { kind: 'throttling' });

    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    expect(personalize.callsTo('CreateBatchSegmentJob').map((call) => call.fault)).toEqual(['throttling', 'serverError', undefined]);
    expect(personalize.jobArns()).toHaveLength(1);
    expect(outcome.statesEntered.filter((state) => state === 'Segments: create the job')).toHaveLength(1);
  });

  it('fails the execution with Personalize\'s reason when the job fails', async () => {
    personalize.setInputMalformed('s3://data/segments/queries.json', true);
    try {
      const outcome = await machine.execute({ name: 'monday', input: MONDAY });

      expect(outcome).toMatchObject({
        status: 'FAILED',
        error: 'BatchSegmentJobFailed',
        cause: 'Invalid input data at s3://data/segments/queries.json: the lines are not JSON objects.',
      });
    } finally {
      personalize.setInputMalformed('s3://data/segments/queries.json', false);
    }
  });

  it('fails at once, without retrying, when Personalize cannot find the solution version', async () => {
    personalize.removeJobs();
    const otherStack = new SynthesizedStack((s) => {
      const bucket = new s3.Bucket(s, 'Data');
      const run = new RunBatchSegmentJob(s, 'Segments', {
        solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/gone/1a2b3c4d',
        input: { bucket, key: 'segments/queries.json' },
        output: { bucket, prefix: 'segments/out/' },
        jobNamePrefix: 'nightly',
      });
      new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(run) });
    });
    try {
      const gone = localStateMachineOf(otherStack, iam);

      const outcome = await gone.execute({ name: 'monday', input: MONDAY });

      expect(outcome).toMatchObject({ status: 'FAILED', error: 'Personalize.ResourceNotFoundException', cause: expect.stringContaining('solution/gone/1a2b3c4d') });
      expect(personalize.callsTo('CreateBatchSegmentJob')).toHaveLength(1);
    } finally {
      otherStack.dispose();
    }
  });

  it('uses every grant of the state machine\'s role and the job\'s role', () => {
    expectEveryGrantUsed(iam);
  });
});
