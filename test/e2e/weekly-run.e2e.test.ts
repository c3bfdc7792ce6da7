import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RunBatchInferenceJob, RunBatchSegmentJob, TrainSolutionVersion } from '../../lib';
import type { LocalStateMachine } from '../../local/step-functions/local-state-machine';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';
import { localStateMachineOf, useFakeClock } from '../support/local-state-machines';

/*
 * End to end, a run that chains the building blocks as a weekly pipeline does: a training behind
 * the gate, then a batch inference job and a batch segment job on the version it trained, read
 * from the run's state. The synthesized state machine runs on the ASL interpreter with IAM
 * deciding each call with its role, whose Create grants name no version (it is known only then).
 */

const ACCOUNT = 'arn:aws:personalize:us-east-1:111122223333';
const SOLUTION_ARN = `${ACCOUNT}:solution/promo`;
const SUNDAY = { scheduledTime: '2026-11-29T01:00:00Z' };

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let machine: LocalStateMachine;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data', { bucketName: 'data' });
    const trained = sfn.JsonPath.stringAt('$.model.JobArn');
    const train = new TrainSolutionVersion(s, 'Model', { solutionArn: SOLUTION_ARN, jobNamePrefix: 'weekly', minimumMetrics: { coverage: 0.2 }, resultPath: '$.model', maxWait: Duration.hours(3) });
    const recommend = new RunBatchInferenceJob(s, 'Recommendations', {
      solutionVersionArn: trained,
      input: { bucket, key: 'users.json' },
      output: { bucket, prefix: 'recommendations/' },
      jobNamePrefix: 'weekly-recs',
      pollInterval: Duration.minutes(5),
      resultPath: '$.recommendations',
    });
    const segment = new RunBatchSegmentJob(s, 'Segments', {
      solutionVersionArn: trained,
      input: { bucket, key: 'items.json' },
      output: { bucket, prefix: 'segments/' },
      jobNamePrefix: 'weekly-segs',
      pollInterval: Duration.minutes(5),
      resultPath: '$.segments',
    });
    new sfn.StateMachine(s, 'Weekly', { definitionBody: sfn.DefinitionBody.fromChainable(train.next(recommend).next(segment)) });
  });
});

afterAll(() => stack.dispose());

beforeEach(() => {
  personalize.removeJobs();
  personalize.resetCallsAndFaults();
  personalize.trainings.removeAll();
  useFakeClock(new Date('2026-11-29T01:00:05Z'));
  machine = localStateMachineOf(stack, iam);
});

afterEach(() => expect(iam.refusals()).toEqual([]));

it('trains, then runs both batch jobs on the version it trained', async () => {
  personalize.trainings.addSolution(SOLUTION_ARN, { metrics: { coverage: 0.3 } });

  const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

  expect(outcome.status).toBe('SUCCEEDED');
  const [version] = personalize.trainings.versionArns();
  const output = outcome.output as Record<string, Record<string, unknown>>;
  expect(output.model.JobArn).toBe(version);
  expect(output.recommendations).toMatchObject({ Status: 'ACTIVE', Job: { SolutionVersionArn: version } });
  expect(output.segments).toMatchObject({ Status: 'ACTIVE', Job: { SolutionVersionArn: version } });
  expect(personalize.callsTo('CreateBatchInferenceJob').map((call) => call.body.solutionVersionArn)).toEqual([version]);
  expect(personalize.callsTo('CreateBatchSegmentJob').map((call) => call.body.solutionVersionArn)).toEqual([version]);
});

it('runs no batch job when the version is below the gate', async () => {
  personalize.trainings.addSolution(SOLUTION_ARN, { metrics: { coverage: 0.1 } });

  const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

  expect(outcome).toMatchObject({ status: 'FAILED', error: 'SolutionVersionBelowGate' });
  expect(personalize.callsTo('CreateBatchInferenceJob')).toEqual([]);
  expect(personalize.callsTo('CreateBatchSegmentJob')).toEqual([]);
});

it('stops a training that outlasts maxWait, and runs no batch job', async () => {
  personalize.trainings.addSolution(SOLUTION_ARN, { timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 5 * 3600, status: 'ACTIVE' }] });

  const outcome = await machine.execute({ name: 'sunday', input: SUNDAY });

  expect(outcome).toMatchObject({ status: 'FAILED', error: 'SolutionVersionTimedOut' });
  expect(personalize.trainings.wasStopped(personalize.trainings.versionArns()[0])).toBe(true);
  expect(personalize.callsTo('CreateBatchInferenceJob')).toEqual([]);
});

it('goes on from the first start\'s training when a start is re-delivered, and makes no second job', async () => {
  personalize.trainings.addSolution(SOLUTION_ARN, { metrics: { coverage: 0.3 } });
  await machine.execute({ name: 'sunday', input: SUNDAY });

  const again = await machine.execute({ name: 'sunday-again', input: SUNDAY });

  expect(again.status).toBe('SUCCEEDED');
  expect(personalize.trainings.versionArns()).toHaveLength(1);
  expect(personalize.jobArns()).toHaveLength(2);
});

it('uses every grant of the state machine\'s role and the jobs\' roles', () => {
  expectEveryGrantUsed(iam);
});
