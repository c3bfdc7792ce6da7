import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DatasetImportSource, ImportMode, RunDatasetImportJob } from '../../lib';
import { aslErrorsOf } from '../../local/step-functions/asl-validation';
import type { LocalStateMachine } from '../../local/step-functions/local-state-machine';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';
import { localStateMachineOf, useFakeClock } from '../support/local-state-machines';

/*
 * End to end: the state machine a RunDatasetImportJob builds, from the synthesized template,
 * executed by an Amazon States Language interpreter, its Personalize tasks answered by the local
 * endpoint through the real SDK with IAM deciding each call with the state machine's role (and
 * Personalize's own checks with the import's role), its Wait states and retries on jest's fake
 * timers. Imports follow the live service's statuses: CREATE PENDING, CREATE IN_PROGRESS after 2
 * minutes, ACTIVE after 15.
 */

const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';
const MONDAY = { scheduledTime: '2026-11-30T01:00:00Z' };

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let machine: LocalStateMachine;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data', { bucketName: 'data' });
    const run = new RunDatasetImportJob(s, 'Interactions', {
      datasetArn: DATASET_ARN,
      source: DatasetImportSource.fromBucket(bucket, 'interactions/daily/'),
      importMode: ImportMode.INCREMENTAL,
      jobNamePrefix: 'nightly',
      pollInterval: Duration.minutes(5),
      slotTimeout: Duration.hours(2),
    });
    new sfn.StateMachine(s, 'Nightly', { definitionBody: sfn.DefinitionBody.fromChainable(run) });
  });
});

afterAll(() => stack.dispose());

beforeEach(() => {
  personalize.imports.removeAll();
  personalize.resetCallsAndFaults();
  personalize.imports.addDataset(DATASET_ARN);
  useFakeClock(new Date('2026-11-30T01:00:05Z'));
  machine = localStateMachineOf(stack, iam);
});

afterEach(() => expect(iam.refusals()).toEqual([]));

const accepted = (operation: string) => personalize.callsTo(operation).filter((call) => call.error === undefined && call.fault === undefined);

describe('a nightly import', () => {
  it('is a valid Amazon States Language definition, as deployed', () => {
    expect(aslErrorsOf(machine.deployedDefinition)).toEqual([]);
  });

  it('imports the day\'s folder once, named from the scheduled time, and ends with what Describe answered', async () => {
    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const output = outcome.output as Record<string, unknown>;
    expect(output.JobName).toMatch(/^nightly-[0-9a-f]{32}$/);
    expect(output).toMatchObject({
      JobArn: `arn:aws:personalize:us-east-1:111122223333:dataset-import-job/${output.JobName}`,
      Status: 'ACTIVE',
      DatasetArn: DATASET_ARN,
      DataLocation: 's3://data/interactions/daily/',
      Job: { ImportMode: 'INCREMENTAL', DataSource: { DataLocation: 's3://data/interactions/daily/' } },
    });
    expect(personalize.imports.importArns()).toEqual([output.JobArn]);
    // Fifteen minutes at a five-minute interval: three looks, the last one ACTIVE.
    expect(accepted('DescribeDatasetImportJob')).toHaveLength(3);
    expect(new Date().toISOString()).toBe('2026-11-30T01:15:05.000Z');
    // Name, ARN, create, then wait, describe and choice three times, and done.
    expect(outcome.transitions).toBe(3 + 3 * 3 + 1);
  });

  it('finds the import a first start of the same run created, instead of starting a second (a re-delivered start)', async () => {
    const first = await machine.execute({ name: 'monday', input: MONDAY });
    const again = await machine.execute({ name: 'monday-redelivered', input: MONDAY });

    expect(again.status).toBe('SUCCEEDED');
    expect((again.output as { JobArn: string }).JobArn).toBe((first.output as { JobArn: string }).JobArn);
    expect(personalize.imports.importArns()).toHaveLength(1);
    expect(personalize.callsTo('CreateDatasetImportJob').map((call) => call.error)).toEqual([undefined, 'ResourceAlreadyExistsException']);
  });

  it('waits for a slot while the region has five imports in flight, then imports', async () => {
    for (let i = 1; i <= 5; i++) {
      personalize.imports.addImport(`arn:aws:personalize:us-east-1:111122223333:dataset-import-job/other-${i}`, DATASET_ARN, [
        { afterSeconds: 0, status: 'CREATE IN_PROGRESS' },
        { afterSeconds: 1800, status: 'ACTIVE' },
      ]);
    }

    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    const creates = personalize.callsTo('CreateDatasetImportJob');
    // Refused every five minutes for the half hour the other imports run, then accepted.
    expect(creates.filter((call) => call.error === 'LimitExceededException')).toHaveLength(6);
    expect(creates.at(-1)?.error).toBeUndefined();
    expect(creates.at(-1)?.at).toBe(Date.parse('2026-11-30T01:30:05Z'));
  });

  it('retries throttling and server errors, and imports once', async () => {
    personalize.injectFaultsInto('CreateDatasetImportJob', { kind: 'throttling' }, { kind: 'serverError', status: 500 });
    personalize.injectFaultsInto('DescribeDatasetImportJob', { kind: 'throttling' });

    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome.status).toBe('SUCCEEDED');
    expect(personalize.callsTo('CreateDatasetImportJob').map((call) => call.fault)).toEqual(['throttling', 'serverError', undefined]);
    expect(personalize.imports.importArns()).toHaveLength(1);
  });

  it('fails the execution with Personalize\'s reason when the import fails', async () => {
    personalize.imports.removeAll();
    personalize.imports.addDataset(DATASET_ARN, {
      timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 600, status: 'CREATE FAILED' }],
      failureReason: 'Input CSV is missing the required column USER_ID.',
    });

    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'DatasetImportJobFailed', cause: 'Input CSV is missing the required column USER_ID.' });
  });

  it('fails at once, without retrying, when the dataset does not exist', async () => {
    personalize.imports.removeAll();

    const outcome = await machine.execute({ name: 'monday', input: MONDAY });

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'Personalize.ResourceNotFoundException', cause: `Could not find dataset ${DATASET_ARN}` });
    expect(personalize.callsTo('CreateDatasetImportJob')).toHaveLength(1);
  });

  it('uses every grant of the state machine\'s role and the import\'s role', () => {
    expectEveryGrantUsed(iam);
  });
});
