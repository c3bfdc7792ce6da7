import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BatchInferenceJob, RunBatchInferenceJob } from '../../lib';
import { aslErrorsOf } from '../../local/step-functions/asl-validation';
import type { LocalStateMachine } from '../../local/step-functions/local-state-machine';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';
import { localStateMachineOf, useFakeClock } from '../support/local-state-machines';

/*
 * End to end: the nightly run of a stack's BatchInferenceJob (RunBatchInferenceJob.sameAs), from
 * the synthesized template, executed by an ASL interpreter with IAM deciding each call with the
 * state machine's role, its tasks answered by the local Personalize endpoint. The stack's own job
 * is not deployed here: the run needs nothing of it but its definition and role.
 */

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/movies/1a2b3c4d';
const MONDAY = { scheduledTime: '2026-11-30T02:00:00Z' };

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let machine: LocalStateMachine;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data', { bucketName: 'data' });
    const job = new BatchInferenceJob(s, 'Recommendations', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'batch/users.json' },
      output: { bucket, prefix: 'batch/recommendations/' },
      jobNamePrefix: 'recommendations',
      numResults: 25,
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' }, rankingInfluence: { freshness: 0.5 } },
    });
    new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(RunBatchInferenceJob.sameAs(s, 'Tonight', job)) });
  });
  personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
});

afterAll(() => stack.dispose());

beforeEach(() => {
  personalize.removeJobs();
  useFakeClock(new Date('2026-11-30T02:00:05Z'));
  machine = localStateMachineOf(stack, iam, 'Nightly');
});

afterEach(() => expect(iam.refusals()).toEqual([]));

describe('the nightly run of a stack\'s batch inference job', () => {
  it('is a valid Amazon States Language definition, as deployed', () => {
    expect(aslErrorsOf(machine.deployedDefinition)).toEqual([]);
  });

  it('creates the job the stack defines, with its configuration\'s keys as given, and ends with its output path', async () => {
    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const [create] = personalize.callsTo('CreateBatchInferenceJob');
    const jobName = String(create.body.jobName);
    expect(jobName).toMatch(/^recommendations-[0-9a-f]{32}$/);
    expect(create.body).toMatchObject({
      solutionVersionArn: SOLUTION_VERSION_ARN,
      numResults: 25,
      jobInput: { s3DataSource: { path: 's3://data/batch/users.json' } },
      jobOutput: { s3DataDestination: { path: `s3://data/batch/recommendations/${jobName}/` } },
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' }, rankingInfluence: { FRESHNESS: 0.5 } },
    });
    expect(outcome.output).toMatchObject({
      JobName: jobName,
      Status: 'ACTIVE',
      OutputPath: `s3://data/batch/recommendations/${jobName}/`,
      Job: { BatchInferenceJobConfig: { ItemExplorationConfig: { explorationWeight: '0.3' } }, NumResults: 25 },
    });
  });

  it('fails with Personalize\'s reason when the job fails', async () => {
    personalize.setInputMalformed('s3://data/batch/users.json', true);
    try {
      const outcome = await machine.execute({ name: 'monday', input: MONDAY });

      expect(outcome).toMatchObject({ status: 'FAILED', error: 'BatchInferenceJobFailed', cause: expect.stringContaining('s3://data/batch/users.json') });
    } finally {
      personalize.setInputMalformed('s3://data/batch/users.json', false);
    }
  });

  it('uses every grant of the state machine\'s role and the job\'s role', () => {
    expectEveryGrantUsed(iam);
  });
});
