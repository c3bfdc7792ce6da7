import {
  CreateBatchSegmentJobCommand,
  InvalidInputException,
  DescribeBatchSegmentJobCommand,
  PersonalizeClient,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-personalize';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as isComplete } from '../../lambda/engine/is-complete';
import { handler as onEvent } from '../../lambda/engine/on-event';
import { WaiterError } from '../../lambda/engine/handler-error';
import { CapturedLogs } from '../support/captured-logs';
import { createEvent, deleteEvent, JOB_ROLE_ARN, jobDefinition, jobProperties, SOLUTION_VERSION_ARN, updateEvent } from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const NOW = new Date('2026-11-28T10:00:00.000Z');
const JOB_ARN_OF_REQUEST = /^arn:aws:personalize:us-east-1:111122223333:batch-segment-job\/spring-promo-[0-9a-f]{12}$/;

function createRequest(requestId: string, properties = jobProperties(), logicalId = 'SpringPromo1A2B3C4D'): CloudFormationCustomResourceEvent {
  return { ...createEvent(properties), RequestId: requestId, LogicalResourceId: logicalId };
}

function updateRequest(properties: Record<string, unknown>, oldProperties: Record<string, unknown>, physicalId: string): CloudFormationCustomResourceEvent {
  return { ...updateEvent(properties, oldProperties, physicalId), RequestId: 'update-request' };
}

async function startedArn(event: CloudFormationCustomResourceEvent): Promise<string> {
  return (await onEvent(event)).PhysicalResourceId;
}

async function rejection(promise: Promise<unknown>): Promise<WaiterError> {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(WaiterError);
  return error as WaiterError;
}

/** A poll of the first resource, `elapsedSeconds` into the wait for `jobArn`. */
function poll(jobArn: string, elapsedSeconds: number, properties = jobProperties()) {
  jest.setSystemTime(NOW.getTime() + elapsedSeconds * 1000);
  return isComplete({ ...createEvent(properties), PhysicalResourceId: jobArn, WaitStartedAt: NOW.toISOString() });
}

beforeEach(() => {
  personalize.reset();
  personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());
  personalize.on(CreateBatchSegmentJobCommand).callsFake(async (input) => ({ batchSegmentJobArn: `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/${input.jobName}` }));
  jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

describe('naming the job', () => {
  it('names it after the prefix and the request, in the solution version\'s region and account', async () => {
    const arn = await startedArn(createRequest('request-1'));
    expect(arn).toMatch(JOB_ARN_OF_REQUEST);
  });

  it('gives a retried request the same name, and every other request its own', async () => {
    const first = await startedArn(createRequest('request-1'));
    expect(await startedArn(createRequest('request-1'))).toBe(first);
    expect(await startedArn(createRequest('request-2'))).not.toBe(first);
    expect(await startedArn(createRequest('request-1', jobProperties(), 'AutumnPromo5E6F7A8B'))).not.toBe(first);
  });

  it('creates the job where the solution version lives, in any partition', async () => {
    const chinaVersion = 'arn:aws-cn:personalize:cn-north-1:222233334444:solution/promo/1a2b3c4d';
    const arn = await startedArn(createRequest('request-1', jobProperties(jobDefinition({ SolutionVersionArn: chinaVersion }))));
    expect(arn).toMatch(/^arn:aws-cn:personalize:cn-north-1:222233334444:batch-segment-job\/spring-promo-[0-9a-f]{12}$/);
  });
});

describe('Create', () => {
  it('creates the job it named with every setting, and starts the wait on its ARN', async () => {
    const response = await onEvent(createRequest('request-1'));

    expect(response).toEqual({ PhysicalResourceId: expect.stringMatching(JOB_ARN_OF_REQUEST), WaitStartedAt: NOW.toISOString() });
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: response.PhysicalResourceId });
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 1);
    expect(personalize.commandCalls(CreateBatchSegmentJobCommand)[0].args[0].input).toEqual({
      jobName: response.PhysicalResourceId.split('/')[1],
      solutionVersionArn: SOLUTION_VERSION_ARN,
      numResults: 100000,
      roleArn: JOB_ROLE_ARN,
      jobInput: { s3DataSource: { path: 's3://promo-data/segments/queries.json' } },
      // Each job writes to a folder of its own, named after it.
      jobOutput: { s3DataDestination: { path: `s3://promo-data/segments/out/${response.PhysicalResourceId.split('/')[1]}/` } },
    });
  });

  it('passes the filter, the KMS keys and the tags when they are given', async () => {
    const job = jobDefinition({
      FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
      InputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in',
      OutputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out',
      Tags: { team: 'promo', cost: 'marketing' },
    });
    const { PhysicalResourceId } = await onEvent(createRequest('request-1', jobProperties(job)));

    expect(personalize).toHaveReceivedCommandWith(CreateBatchSegmentJobCommand, {
      filterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
      jobInput: { s3DataSource: { path: 's3://promo-data/segments/queries.json', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in' } },
      jobOutput: { s3DataDestination: { path: `s3://promo-data/segments/out/${PhysicalResourceId.split('/')[1]}/`, kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out' } },
      tags: [
        { tagKey: 'team', tagValue: 'promo' },
        { tagKey: 'cost', tagValue: 'marketing' },
      ],
    });
  });

  it('adopts the job a retried request already created instead of creating another', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });

    await expect(startedArn(createRequest('request-1'))).resolves.toMatch(JOB_ARN_OF_REQUEST);
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 0);
    const started = logs.lines.find((line) => line.message === 'Waiting for batch segment job');
    expect(started).toMatchObject({ status: 'CREATE IN_PROGRESS' });
    expect(started).not.toHaveProperty('outcome');
  });

  it('takes "already exists" as its own job, created by an attempt whose answer was lost', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }));

    await expect(startedArn(createRequest('request-1'))).resolves.toMatch(JOB_ARN_OF_REQUEST);
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({ outcome: 'started' });
  });

  it('leaves a region at its job limit to the polls', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.limitExceeded());

    await expect(startedArn(createRequest('request-1'))).resolves.toMatch(JOB_ARN_OF_REQUEST);
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({ outcome: 'waitingForSlot' });
  });

  it.each([
    ['throttling', sdkErrors.throttling, 'transient'],
    ['a 500', sdkErrors.internalFailure, 'transient'],
    ['access denied (IAM may still be propagating)', sdkErrors.accessDenied, 'accessDenied'],
  ])('leaves %s on Create to the polls', async (_what, error, kind) => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(error());

    await expect(startedArn(createRequest('request-1'))).resolves.toMatch(JOB_ARN_OF_REQUEST);
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({ outcome: kind });
  });

  // Only "not found" says the job does not exist: any other failed Describe leaves it unknown,
  // and a Create then could start a second job (or bill one nobody asked for).
  it.each([
    ['throttling', sdkErrors.throttling],
    ['a 500', sdkErrors.internalFailure],
    ['a 503', sdkErrors.serviceUnavailable],
    ['access denied', sdkErrors.accessDenied],
    ['a rejected ARN', sdkErrors.invalidInput],
    ['an unknown client error', sdkErrors.unknownClientError],
    ['an SDK timeout', sdkErrors.sdkTimeout],
    ['a reset connection', sdkErrors.connectionReset],
    ['a thrown non-error', () => 'not an Error' as unknown as Error],
  ])('creates nothing while a Describe fails with %s, in onEvent and in the polls', async (_name, failure) => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(failure());

    await onEvent(createRequest('request-1')).catch(() => undefined);
    await poll('arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-0123456789ab', 30).catch(() => undefined);
    expect(personalize).toHaveReceivedCommandTimes(DescribeBatchSegmentJobCommand, 2);
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 0);
  });

  it('creates once Describe says the job is not found, after failing for another reason', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejectsOnce(sdkErrors.throttling()).rejects(sdkErrors.notFound());

    await onEvent(createRequest('request-1'));
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 0);
    await poll('arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-0123456789ab', 30);
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 1);
  });

  it('fails at once when the solution version does not exist', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.notFound());

    const error = await rejection(onEvent(createRequest('request-1')));
    expect(error.message).toMatch(
      new RegExp(`^Could not create batch segment job spring-promo-[0-9a-f]{12} in us-east-1\\. Personalize could not find the solution version ${SOLUTION_VERSION_ARN}: check that it exists, is ACTIVE and lives in us-east-1\\. \\(ResourceNotFoundException: `),
    );
  });

  it('names the filter too when the job has one', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.notFound());
    const job = jobDefinition({ FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users' });

    const error = await rejection(onEvent(createRequest('request-1', jobProperties(job))));
    expect(error.message).toContain(`the solution version ${SOLUTION_VERSION_ARN} or the filter arn:aws:personalize:us-east-1:111122223333:filter/active-users: check`);
  });

  it('leaves settings Personalize rejects to the polls, since a new role may still be propagating', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.invalidInput());

    await expect(startedArn(createRequest('request-1'))).resolves.toMatch(JOB_ARN_OF_REQUEST);
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({ outcome: 'settingsRejected' });
  });

  it('fails at once on any other refusal, quoting it', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.unknownClientError());

    const error = await rejection(onEvent(createRequest('request-1')));
    expect(error.message).toMatch(/in us-east-1\. Personalize refused to create it\. \(ValidationException: Something the waiter does not know\)$/);
  });

  it('fails at once on a bad job setting, before any call', async () => {
    const error = await rejection(onEvent(createRequest('request-1', jobProperties(jobDefinition({ NumResults: '0' })))));
    expect(error.message).toContain('NumResults must be a whole number of users from 1 to 5000000; got "0".');
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('Update', () => {
  const oldArn = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-0123456789ab';

  beforeEach(() => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });
  });

  it.each([
    ['the timeout', jobProperties(jobDefinition(), { TimeoutSeconds: '1800' })],
    ['the poll interval and log level', jobProperties(jobDefinition(), { PollIntervalSeconds: '60', LogLevel: 'DEBUG' })],
    ['the tags', jobProperties(jobDefinition({ Tags: { team: 'promo' } }))],
  ])('keeps the job when only %s changed', async (_what, properties) => {
    await expect(startedArn(updateRequest(properties, jobProperties(), oldArn))).resolves.toBe(oldArn);
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: oldArn });
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 0);
  });

  it.each([
    ['numResults', { NumResults: '500' }],
    ['the solution version', { SolutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/9f8e7d6c' }],
    ['the output', { OutputPath: 's3://promo-data/segments/next/' }],
    ['the name prefix', { NamePrefix: 'autumn-promo' }],
    ['the role', { RoleArn: 'arn:aws:iam::111122223333:role/Other' }],
  ])('starts a new job when %s changed', async (_what, change) => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());

    const arn = await startedArn(updateRequest(jobProperties(jobDefinition(change)), jobProperties(), oldArn));
    expect(arn).not.toBe(oldArn);
    expect(arn).toMatch(/batch-segment-job\/[a-z-]+-[0-9a-f]{12}$/);
    expect(personalize).toHaveReceivedCommandWith(CreateBatchSegmentJobCommand, { jobName: arn.split('/')[1] });
  });

  describe('when the job it points at is already the one asked for', () => {
    const describedAs = (changes: Record<string, unknown> = {}) => ({
      batchSegmentJob: {
        batchSegmentJobArn: oldArn,
        status: 'ACTIVE',
        solutionVersionArn: SOLUTION_VERSION_ARN,
        roleArn: JOB_ROLE_ARN,
        numResults: 100000,
        jobInput: { s3DataSource: { path: 's3://promo-data/segments/queries.json' } },
        jobOutput: { s3DataDestination: { path: 's3://promo-data/segments/out/spring-promo-0123456789ab/' } },
        ...changes,
      },
    });
    // What CloudFormation sends to roll back a failed update: the old settings, the resource's id.
    const rollback = () => updateRequest(jobProperties(), jobProperties(jobDefinition({ NumResults: '500' })), oldArn);
    const oldJobDescribedAs = (changes: Record<string, unknown> = {}) => {
      personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());
      personalize.on(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: oldArn }).resolves(describedAs(changes));
    };

    it('keeps that job on a rollback, starting none', async () => {
      oldJobDescribedAs();

      await expect(startedArn(rollback())).resolves.toBe(oldArn);
      expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 0);
    });

    it('takes a job created without numResults as matching whatever default Personalize reports', async () => {
      oldJobDescribedAs({ numResults: 25 });
      const withoutNumResults = jobDefinition({ NumResults: undefined });

      await expect(startedArn(updateRequest(jobProperties(withoutNumResults), jobProperties(jobDefinition({ FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/x' })), oldArn))).resolves.toBe(oldArn);
    });

    it.each([
      ['numResults', { numResults: 25 }],
      ['the solution version', { solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/9f8e7d6c' }],
      ['the role', { roleArn: 'arn:aws:iam::111122223333:role/Other' }],
      ['the filter', { filterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/x' }],
      ['the input', { jobInput: { s3DataSource: { path: 's3://promo-data/other.json' } } }],
      ['the input key', { jobInput: { s3DataSource: { path: 's3://promo-data/segments/queries.json', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in' } } }],
      ['the output', { jobOutput: { s3DataDestination: { path: 's3://promo-data/other/' } } }],
      ['the output path the user gave, not its own folder', { jobOutput: { s3DataDestination: { path: 's3://promo-data/segments/out/' } } }],
      ['the output key', { jobOutput: { s3DataDestination: { path: 's3://promo-data/segments/out/spring-promo-0123456789ab/', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out' } } }],
    ])('starts a new job when that job differs in %s', async (_what, changes) => {
      oldJobDescribedAs(changes);

      await expect(startedArn(rollback())).resolves.not.toBe(oldArn);
      expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 1);
    });

    it('starts a new job when that job is described without its input or output', async () => {
      oldJobDescribedAs({ jobInput: undefined, jobOutput: undefined });

      await expect(startedArn(rollback())).resolves.not.toBe(oldArn);
      oldJobDescribedAs({ jobInput: {}, jobOutput: {} });
      await expect(startedArn(rollback())).resolves.not.toBe(oldArn);
    });

    it.each([
      ['another prefix', 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/autumn-promo-0123456789ab'],
      ['no hash suffix', 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo'],
      ['no job ARN at all', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ])('does not even describe a physical id with %s', async (_what, physicalId) => {
      personalize.on(DescribeBatchSegmentJobCommand).resolves(describedAs());

      await expect(startedArn(updateRequest(jobProperties(), jobProperties(jobDefinition({ NumResults: '500' })), physicalId))).resolves.not.toBe(physicalId);
      expect(personalize).not.toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: physicalId });
    });
  });

  it('starts a job when the old settings held none to compare with', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());

    const arn = await startedArn(updateRequest(jobProperties(), jobProperties({ NamePrefix: '-' }), oldArn));
    expect(arn).not.toBe(oldArn);
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 1);
  });
});

describe('Delete', () => {
  it('leaves the job alone and calls nothing', async () => {
    await expect(onEvent(deleteEvent(jobProperties()))).resolves.toEqual({ PhysicalResourceId: expect.any(String) });
    await expect(isComplete({ ...deleteEvent(jobProperties()), WaitStartedAt: NOW.toISOString() })).resolves.toEqual({ IsComplete: true });
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('polling a job to create', () => {
  const jobArn = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-0123456789ab';

  it('creates the job its physical id names when it does not exist yet, and polls on', async () => {
    await expect(poll(jobArn, 30)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandWith(CreateBatchSegmentJobCommand, { jobName: 'spring-promo-0123456789ab' });
    expect(logs.lines.find((line) => line.message === 'Created batch segment job')).toMatchObject({ ref: jobArn });
  });

  it('waits for a slot while the region is at its job limit', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.limitExceeded());

    await expect(poll(jobArn, 600)).resolves.toEqual({ IsComplete: false });
    expect(logs.lines.find((line) => line.message === 'Waiting for a slot to create the batch segment job')).toMatchObject({ ref: jobArn });
  });

  it('gives up at the timeout, saying the region stayed at its job limit', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.limitExceeded());

    const error = await rejection(poll(jobArn, 3600, jobProperties(jobDefinition(), { TimeoutSeconds: '3600' })));
    expect(error.message).toBe(
      `Gave up waiting for batch segment job ${jobArn} after 1h; its last status was not created yet, because us-east-1 ` +
        'stayed at Personalize\'s limit of five pending or in-progress batch segment jobs (LimitExceededException: Rate exceeded). ' +
        'To wait longer, raise the waiter\'s timeout (now 1h; at most 12h).',
    );
  });

  it('gives up at the timeout on a job created but never described', async () => {
    const error = await rejection(poll(jobArn, 3600));
    expect(error.message).toContain('its last status was created, not described yet.');
  });

  it('retries settings Personalize rejects while IAM may be propagating, then fails saying what to check', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.invalidInput());

    await expect(poll(jobArn, 59)).resolves.toEqual({ IsComplete: false });
    expect(logs.lines.find((line) => line.message === "Personalize rejected the job's settings; retrying while IAM may be propagating")).toMatchObject({ ref: jobArn, elapsedSeconds: 59 });
    const error = await rejection(poll(jobArn, 60));
    expect(error.message).toBe(
      'Could not create batch segment job spring-promo-0123456789ab in us-east-1. Personalize rejected the job\'s settings: check the ' +
        'solution version, the S3 paths and the role it names. (InvalidInputException: 1 validation error detected)',
    );
  });

  it.each([
    ['the S3 data', 'Insufficient privileges for accessing data in S3 s3://promo-data/segments/queries.json.'],
    ['the role', 'Amazon Personalize cannot assume the role arn:aws:iam::111122223333:role/R.'],
    ['a key', 'User is not authorized to use the KMS key'],
  ])('says what must allow the data to be read and written when Personalize cannot reach %s with the role', async (_what, message) => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(new InvalidInputException({ message, $metadata: { httpStatusCode: 400 } }));

    const error = await rejection(poll(jobArn, 60));
    expect(error.message).toBe(
      "Could not create batch segment job spring-promo-0123456789ab in us-east-1. Personalize could not reach the batch segment job's data with its role: " +
        "the role's trust policy must let personalize.amazonaws.com assume it, and the role, the bucket policy (for the service personalize.amazonaws.com) " +
        'and the policy of any KMS key must allow the reads and writes. This library sets them up on a bucket and key of the stack; on one from elsewhere, ' +
        `add them there. (InvalidInputException: ${message})`,
    );
  });

  it('fails at once on any other refusal of the job', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.unknownClientError());

    const error = await rejection(poll(jobArn, 30));
    expect(error.message).toMatch(/^Could not create batch segment job spring-promo-0123456789ab in us-east-1\. Personalize refused to create it\./);
  });

  it('rides out a failing Create, then reports what the last one said at the timeout', async () => {
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.serviceUnavailable());

    await expect(poll(jobArn, 30)).resolves.toEqual({ IsComplete: false });
    expect(logs.lines.find((line) => line.message === 'Create failed; the next poll tries again')).toMatchObject({ failure: 'transient' });
    const error = await rejection(poll(jobArn, 3600));
    expect(error.message).toContain('its last status was unknown (the last Create failed: ServiceUnavailable: Service unavailable).');
  });

  it('retries access denied on Create while IAM may be propagating, then names the refused grant, here the role it passes', async () => {
    const roleArn = 'arn:aws:iam::111122223333:role/SegmentsRole';
    personalize.on(CreateBatchSegmentJobCommand).rejects(sdkErrors.accessDenied('iam:PassRole', roleArn));

    await expect(poll(jobArn, 59)).resolves.toEqual({ IsComplete: false });
    const error = await rejection(poll(jobArn, 60));
    expect(error.message).toMatch(
      new RegExp(`^Access to batch segment job ${jobArn} is still denied after 1m\\. AWS refused iam:PassRole on ${roleArn}\\. This library grants its handlers' role iam:PassRole for this batch segment job, so something else stands in the way`),
    );
  });

  it('waits on the ARN a later link is given, creating the job under that name if need be', async () => {
    const linkArn = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-fedcba987654';
    const properties = jobProperties(jobDefinition(), { BatchSegmentJobArn: linkArn, LinkIndex: '2', LinkCount: '3' });

    await expect(poll(linkArn, 30, properties)).resolves.toEqual({ IsComplete: false });
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: linkArn });
    expect(personalize).toHaveReceivedCommandWith(CreateBatchSegmentJobCommand, { jobName: 'spring-promo-fedcba987654' });
  });

  it('fails when the job it created ends CREATE FAILED, saying that the next deployment starts a new one', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE FAILED', failureReason: 'Access denied to s3://promo-data/segments/queries.json' } });

    const error = await rejection(poll(jobArn, 900));
    expect(error.message).toBe(
      `Batch segment job ${jobArn} ended CREATE FAILED. Fix the cause (often the input, or what the job's role may read and write) ` +
        'and deploy again: the next deployment starts a new job, or set failOnJobFailure: false to let the deployment go on and read ' +
        "the Status attribute. Personalize's reason: Access denied to s3://promo-data/segments/queries.json",
    );
  });

  it('completes with the attributes once the job it created is ACTIVE', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE', numResults: 100000, batchSegmentJobArn: jobArn } });

    await expect(poll(jobArn, 900)).resolves.toMatchObject({ IsComplete: true, Data: { Status: 'ACTIVE', NumResults: '100000' } });
    expect(personalize).toHaveReceivedCommandTimes(CreateBatchSegmentJobCommand, 0);
  });
});
