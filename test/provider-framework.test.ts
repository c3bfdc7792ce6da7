import { DescribeBatchSegmentJobCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { Duration } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchSegmentJobWaiter } from '../lib';
import { CapturedLogs } from './support/captured-logs';
import { FrameworkHarness } from './support/framework-harness';
import { sdkErrors } from './support/sdk-errors';

/*
 * The waiter deployed through the real provider framework code and the real handler bundle from
 * the cloud assembly, with Personalize mocked and time simulated (see FrameworkHarness).
 */

const JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';
const NEW_JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/summer-promo';
const EU_JOB_ARN = 'arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/eu-promo';
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
let harness: FrameworkHarness;
let properties: Record<string, string>;
let shortProperties: Record<string, string>;

const job = (status: string, extra: Record<string, unknown> = {}) => ({
  batchSegmentJob: {
    jobName: 'spring-promo',
    status,
    numResults: 100000,
    jobOutput: { s3DataDestination: { path: 's3://promo-data/segments/out/' } },
    ...extra,
  },
});

beforeAll(() => {
  harness = new FrameworkHarness((stack) => {
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    new BatchSegmentJobWaiter(stack, 'Short', { batchSegmentJobArn: JOB_ARN, timeout: Duration.minutes(20) });
  });
  properties = harness.waiterProperties('Waiter');
  shortProperties = harness.waiterProperties('Short');
});

afterAll(() => harness.dispose());

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ now: new Date('2026-11-28T10:00:00.000Z'), doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

it('answers SUCCESS with the attributes once the job is ACTIVE, through the statuses the live service returns', async () => {
  personalize
    .on(DescribeBatchSegmentJobCommand)
    .resolvesOnce(job('CREATE PENDING'))
    .resolvesOnce(job('CREATE PENDING'))
    .resolvesOnce(job('CREATE IN_PROGRESS'))
    .resolves(job('ACTIVE'));

  const { response, polls, elapsedSeconds } = await harness.deploy('Create', properties);

  expect(response).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: JOB_ARN,
    Data: { NumResults: '100000', OutputPath: 's3://promo-data/segments/out/', Status: 'ACTIVE', JobName: 'spring-promo' },
  });
  expect(polls).toBe(3);
  expect(elapsedSeconds).toBe(60);
  expect(personalize).toHaveReceivedCommandTimes(DescribeBatchSegmentJobCommand, 4);
  expect(logs.text).not.toContain('X-Amz-Signature=secret');
});

it('completes through the documented statuses too', async () => {
  personalize.on(DescribeBatchSegmentJobCommand).resolvesOnce(job('PENDING')).resolvesOnce(job('IN PROGRESS')).resolves(job('ACTIVE'));

  const { response, polls } = await harness.deploy('Create', properties);

  expect(response.Status).toBe('SUCCESS');
  expect(polls).toBe(2);
});

it("fails with the job's reason when the job ends CREATE FAILED, inside CloudFormation's 4096 bytes", async () => {
  personalize
    .on(DescribeBatchSegmentJobCommand)
    .resolvesOnce(job('CREATE IN_PROGRESS'))
    .resolves(job('CREATE FAILED', { failureReason: `Invalid input: ${'x'.repeat(5000)}` }));

  const { response } = await harness.deploy('Create', properties);

  expect(response.Status).toBe('FAILED');
  expect(response.PhysicalResourceId).toBe(JOB_ARN);
  expect(response.Reason.startsWith(`Batch segment job ${JOB_ARN} ended CREATE FAILED.`)).toBe(true);
  expect(response.Reason).toContain("Personalize's reason: Invalid input: xxx");
  expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThan(4096);
});

it('fails from onEvent, without starting the wait, when the job does not exist; the Delete that follows is skipped', async () => {
  personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());

  const { response, polls } = await harness.deploy('Create', properties);

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(new RegExp(`^Batch segment job ${JOB_ARN} does not exist in us-east-1`));
  expect(response.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
  expect(polls).toBe(0);

  personalize.reset();
  const cleanup = await harness.deploy('Delete', properties, { physicalResourceId: CREATE_FAILED_MARKER });
  expect(cleanup.response.Status).toBe('SUCCESS');
  expect(personalize.calls()).toHaveLength(0);
});

it('fails a malformed ARN that arrives at deploy time without calling Personalize', async () => {
  const { response, polls } = await harness.deploy('Create', { ...properties, BatchSegmentJobArn: 'spring-promo' });

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toContain('The BatchSegmentJobArn property must be the ARN of an Amazon Personalize batch segment job');
  expect(polls).toBe(0);
  expect(personalize.calls()).toHaveLength(0);
});

it('rides out throttling and 5xx bursts and still answers with the attributes', async () => {
  personalize
    .on(DescribeBatchSegmentJobCommand)
    .rejectsOnce(sdkErrors.throttling())
    .rejectsOnce(sdkErrors.throttling())
    .rejectsOnce(sdkErrors.internalFailure())
    .rejectsOnce(sdkErrors.serviceUnavailable())
    .rejectsOnce(sdkErrors.sdkTimeout())
    .resolves(job('ACTIVE'));

  const { response, polls } = await harness.deploy('Create', properties);

  expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'ACTIVE', NumResults: '100000' } });
  expect(polls).toBe(5);
});

it('describes a job in another region there', async () => {
  personalize.on(DescribeBatchSegmentJobCommand).resolves(job('ACTIVE'));

  const { response } = await harness.deploy('Create', { ...properties, BatchSegmentJobArn: EU_JOB_ARN });

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: EU_JOB_ARN });
  const client = personalize.call(0).thisValue as PersonalizeClient;
  await expect(client.config.region()).resolves.toBe('eu-west-1');
});

it('waits for the new job when an Update points the waiter at it', async () => {
  personalize.on(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: JOB_ARN }).resolves(job('ACTIVE'));
  personalize
    .on(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: NEW_JOB_ARN })
    .resolvesOnce(job('CREATE PENDING', { jobName: 'summer-promo' }))
    .resolvesOnce(job('CREATE IN_PROGRESS', { jobName: 'summer-promo' }))
    .resolves(job('ACTIVE', { jobName: 'summer-promo' }));

  const { response, polls } = await harness.deploy('Update', { ...properties, BatchSegmentJobArn: NEW_JOB_ARN }, {
    physicalResourceId: JOB_ARN,
    oldProperties: properties,
  });

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: NEW_JOB_ARN, Data: { JobName: 'summer-promo' } });
  expect(polls).toBe(2);
});

it('answers an Update that changes only settings on its first poll', async () => {
  personalize.on(DescribeBatchSegmentJobCommand).resolves(job('ACTIVE'));

  const { response, polls } = await harness.deploy('Update', { ...properties, LogLevel: 'DEBUG' }, { physicalResourceId: JOB_ARN, oldProperties: properties });

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: JOB_ARN, Data: { Status: 'ACTIVE' } });
  expect(polls).toBe(1);
});

it('deletes successfully without calling Personalize while AWS is down', async () => {
  personalize.onAnyCommand().rejects(sdkErrors.serviceUnavailable());

  const { response } = await harness.deploy('Delete', properties, { physicalResourceId: JOB_ARN });

  expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: JOB_ARN });
  expect(personalize.calls()).toHaveLength(0);
});

it('gives up at the waiter timeout with its own message, before the provider would', async () => {
  personalize.on(DescribeBatchSegmentJobCommand).resolves(job('CREATE IN_PROGRESS'));

  const { response, elapsedSeconds } = await harness.deploy('Create', shortProperties);

  expect(response.Status).toBe('FAILED');
  expect(response.Reason).toMatch(
    new RegExp(`^Gave up waiting for batch segment job ${JOB_ARN} after 20m; its last status was CREATE IN_PROGRESS\\. To wait longer, raise the waiter's timeout`),
  );
  expect(elapsedSeconds).toBe(1200);
});

it("gives a full-hour waiter's timeout message inside CloudFormation's hour", async () => {
  personalize.on(DescribeBatchSegmentJobCommand).resolves(job('CREATE IN_PROGRESS'));

  const { response, elapsedSeconds } = await harness.deploy('Create', properties);

  expect(response.Reason).toMatch(/^Gave up waiting for batch segment job .* after 56m 30s; its last status was CREATE IN_PROGRESS\. The timeout is already at its most/);
  expect(elapsedSeconds).toBeLessThanOrEqual(3600 - 180);
});
