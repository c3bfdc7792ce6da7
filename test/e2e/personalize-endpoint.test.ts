import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  ListBatchInferenceJobsCommand,
  ListBatchSegmentJobsCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { LocalPersonalize } from '../../local/personalize-endpoint';

/** The local endpoint as the real AWS SDK client sees it. */

const SOLUTION_VERSION = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
let now = Date.parse('2026-11-28T10:00:00.000Z');
const personalize = new LocalPersonalize({ clock: () => now });
let clients: Record<string, PersonalizeClient>;

const createRequest = (jobName: string) =>
  new CreateBatchSegmentJobCommand({
    jobName,
    solutionVersionArn: SOLUTION_VERSION,
    jobInput: { s3DataSource: { path: 's3://promo-data/in.json' } },
    jobOutput: { s3DataDestination: { path: 's3://promo-data/out/' } },
    roleArn: 'arn:aws:iam::111122223333:role/PersonalizeBatch',
    numResults: 50,
  });

beforeAll(async () => {
  const endpoint = await personalize.start();
  const client = (region: string) =>
    new PersonalizeClient({ region, endpoint, maxAttempts: 1, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'secret' } });
  clients = { 'us-east-1': client('us-east-1'), 'eu-west-1': client('eu-west-1') };
  personalize.addSolutionVersion(SOLUTION_VERSION);
});

afterAll(() => personalize.stop());

beforeEach(() => personalize.resetCallsAndFaults());

it('creates a job that moves through the live statuses as the clock advances, then describes it', async () => {
  const { batchSegmentJobArn } = await clients['us-east-1'].send(createRequest('timeline'));
  expect(batchSegmentJobArn).toBe('arn:aws:personalize:us-east-1:111122223333:batch-segment-job/timeline');

  const statusAfter = async (seconds: number) => {
    const created = Date.parse('2026-11-28T10:00:00.000Z');
    now = created + seconds * 1000;
    return (await clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn }))).batchSegmentJob;
  };
  now = Date.parse('2026-11-28T10:00:00.000Z');
  expect((await statusAfter(0))?.status).toBe('CREATE PENDING');
  expect((await statusAfter(60))?.status).toBe('CREATE IN_PROGRESS');
  const done = await statusAfter(600);
  expect(done).toMatchObject({
    status: 'ACTIVE',
    jobName: 'timeline',
    numResults: 50,
    jobOutput: { s3DataDestination: { path: 's3://promo-data/out/' } },
    creationDateTime: new Date('2026-11-28T10:00:00.000Z'),
    lastUpdatedDateTime: new Date('2026-11-28T10:10:00.000Z'),
  });
  expect(personalize.calls.map((call) => [call.operation, call.region])).toContainEqual(['CreateBatchSegmentJob', 'us-east-1']);
});

it('answers the real errors of CreateBatchSegmentJob', async () => {
  now = Date.parse('2026-11-28T12:00:00.000Z');
  const eu = clients['eu-west-1'];
  await eu.send(createRequest('first'));
  await expect(eu.send(createRequest('first'))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
  await expect(eu.send(createRequest('bad name!'))).rejects.toMatchObject({ name: 'InvalidInputException' });
  await expect(
    eu.send(new CreateBatchSegmentJobCommand({ ...createRequest('x').input, solutionVersionArn: `${SOLUTION_VERSION}-unknown` })),
  ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  for (const name of ['second', 'third', 'fourth', 'fifth']) {
    await eu.send(createRequest(name));
  }
  await expect(eu.send(createRequest('sixth'))).rejects.toMatchObject({ name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } });
});

it('lists the jobs of its region, by solution version', async () => {
  const listed = await clients['eu-west-1'].send(new ListBatchSegmentJobsCommand({ solutionVersionArn: SOLUTION_VERSION }));
  expect(listed.batchSegmentJobs?.map((job) => job.jobName).sort()).toEqual(['fifth', 'first', 'fourth', 'second', 'third']);
  const other = await clients['eu-west-1'].send(new ListBatchSegmentJobsCommand({ solutionVersionArn: `${SOLUTION_VERSION}-other` }));
  expect(other.batchSegmentJobs).toEqual([]);
});

it('does not find a job from another region', async () => {
  await expect(
    clients['eu-west-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/timeline' })),
  ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
});

it('rejects an ARN outside the service pattern as invalid input', async () => {
  await expect(clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: 'not-an-arn' }))).rejects.toMatchObject({
    name: 'InvalidInputException',
  });
});

it.each([
  [{ kind: 'throttling' as const }, 'ThrottlingException', 400],
  [{ kind: 'serverError' as const }, 'InternalServerError', 500],
  [{ kind: 'serverError' as const, status: 503 as const }, 'ServiceUnavailableException', 503],
  [{ kind: 'accessDenied' as const }, 'AccessDeniedException', 400],
])('injects %p as the SDK sees it', async (fault, name, httpStatusCode) => {
  personalize.injectFaults(fault);
  await expect(
    clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/timeline' })),
  ).rejects.toMatchObject({ name, $metadata: { httpStatusCode } });
  expect(personalize.calls[0].fault).toBe(fault.kind);
});

it('drops a connection when asked to', async () => {
  personalize.injectFaults({ kind: 'drop' });
  await expect(
    clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/timeline' })),
  ).rejects.toThrow(/socket hang up/);
});

it('carries out a request and then answers 500 when asked to, for one operation only', async () => {
  personalize.injectFaultsInto('CreateBatchSegmentJob', { kind: 'failAfterHandling' });
  const arn = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/half-answered';

  await expect(clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: arn }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  await expect(clients['us-east-1'].send(createRequest('half-answered'))).rejects.toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
  expect(personalize.jobArns()).toContain(arn);
  await expect(clients['us-east-1'].send(createRequest('half-answered'))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
});

it('describes the KMS keys and keeps the tags a job was created with, and forgets its jobs when asked', async () => {
  await clients['us-east-1'].send(
    new CreateBatchSegmentJobCommand({
      jobName: 'encrypted',
      solutionVersionArn: SOLUTION_VERSION,
      jobInput: { s3DataSource: { path: 's3://promo-data/in.json', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in' } },
      jobOutput: { s3DataDestination: { path: 's3://promo-data/out/', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out' } },
      roleArn: 'arn:aws:iam::111122223333:role/PersonalizeBatch',
      tags: [{ tagKey: 'team', tagValue: 'promo' }],
    }),
  );
  const arn = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/encrypted';
  const { batchSegmentJob } = await clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: arn }));
  expect(batchSegmentJob?.jobInput?.s3DataSource?.kmsKeyArn).toBe('arn:aws:kms:us-east-1:111122223333:key/in');
  expect(batchSegmentJob?.jobOutput?.s3DataDestination?.kmsKeyArn).toBe('arn:aws:kms:us-east-1:111122223333:key/out');
  expect(personalize.jobOf(arn)?.tags).toEqual([{ tagKey: 'team', tagValue: 'promo' }]);

  personalize.removeJobs();
  expect(personalize.jobArns()).toEqual([]);
});

describe('batch inference jobs', () => {
  const inferenceRequest = (jobName: string, extra: Partial<CreateBatchInferenceJobCommand['input']> = {}) =>
    new CreateBatchInferenceJobCommand({
      jobName,
      solutionVersionArn: SOLUTION_VERSION,
      jobInput: { s3DataSource: { path: 's3://promo-data/users.json' } },
      jobOutput: { s3DataDestination: { path: 's3://promo-data/recommendations/' } },
      roleArn: 'arn:aws:iam::111122223333:role/PersonalizeBatch',
      numResults: 25,
      ...extra,
    });

  beforeEach(() => {
    now = Date.parse('2026-11-28T10:00:00.000Z');
    personalize.removeJobs();
  });

  it('creates a job with its mode and configuration, and describes them back as the live service does', async () => {
    const { batchInferenceJobArn } = await clients['us-east-1'].send(
      inferenceRequest('themed', {
        batchInferenceJobMode: 'THEME_GENERATION',
        themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } },
        batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' } },
      }),
    );
    expect(batchInferenceJobArn).toBe('arn:aws:personalize:us-east-1:111122223333:batch-inference-job/themed');
    now += 600_000;

    const { batchInferenceJob } = await clients['us-east-1'].send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }));
    expect(batchInferenceJob).toMatchObject({
      batchInferenceJobArn,
      status: 'ACTIVE',
      numResults: 25,
      batchInferenceJobMode: 'THEME_GENERATION',
      themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } },
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' } },
    });
    const { batchInferenceJobs } = await clients['us-east-1'].send(new ListBatchInferenceJobsCommand({ solutionVersionArn: SOLUTION_VERSION }));
    expect(batchInferenceJobs?.map((job) => job.batchInferenceJobArn)).toEqual([batchInferenceJobArn]);
  });

  it('reports BATCH_INFERENCE for a job created without a mode', async () => {
    const { batchInferenceJobArn } = await clients['us-east-1'].send(inferenceRequest('plain'));
    const { batchInferenceJob } = await clients['us-east-1'].send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }));
    expect(batchInferenceJob?.batchInferenceJobMode).toBe('BATCH_INFERENCE');
    expect(batchInferenceJob).not.toHaveProperty('batchInferenceJobConfig');
  });

  it('refuses themes without the item-name field', async () => {
    await expect(clients['us-east-1'].send(inferenceRequest('themes', { batchInferenceJobMode: 'THEME_GENERATION' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
  });

  it('counts each kind against its own limit of five jobs in flight', async () => {
    for (let i = 0; i < 5; i++) {
      await clients['us-east-1'].send(createRequest(`segments-${i}`));
    }
    await expect(clients['us-east-1'].send(createRequest('segments-5'))).rejects.toMatchObject({ name: 'LimitExceededException' });
    for (let i = 0; i < 5; i++) {
      await clients['us-east-1'].send(inferenceRequest(`recommendations-${i}`));
    }
    await expect(clients['us-east-1'].send(inferenceRequest('recommendations-5'))).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: 'The limit on the number of pending or in progress batch inference jobs has been exceeded',
    });
  });

  it('finds no batch inference job under a batch segment job ARN, nor the other way round', async () => {
    const { batchSegmentJobArn } = await clients['us-east-1'].send(createRequest('segments-only'));
    const { batchInferenceJobArn } = await clients['us-east-1'].send(inferenceRequest('inference-only'));

    await expect(clients['us-east-1'].send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: batchSegmentJobArn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(clients['us-east-1'].send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: batchInferenceJobArn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
