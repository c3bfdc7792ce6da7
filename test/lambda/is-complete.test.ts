import {
  BatchSegmentJob,
  DescribeBatchSegmentJobCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/engine/is-complete';
import { REASON_BUDGET_BYTES, RESPONSE_LIMIT_BYTES } from '../../lambda/engine/response-budget';
import { WaiterError } from '../../lambda/engine/handler-error';
import { CapturedLogs } from '../support/captured-logs';
import { JOB_ARN, pollEvent, RESPONSE_URL, waiterProperties } from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const STARTED_AT = new Date('2026-11-28T10:00:00.000Z');

const activeJob: BatchSegmentJob = {
  jobName: 'spring-promo',
  batchSegmentJobArn: JOB_ARN,
  solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
  filterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
  numResults: 25000,
  jobInput: { s3DataSource: { path: 's3://promo-data/segments/queries.json', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in' } },
  jobOutput: { s3DataDestination: { path: 's3://promo-data/segments/out/', kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out' } },
  roleArn: 'arn:aws:iam::111122223333:role/PersonalizeBatch',
  status: 'ACTIVE',
  creationDateTime: new Date('2026-11-28T09:58:00.000Z'),
  lastUpdatedDateTime: new Date('2026-11-28T10:31:07.250Z'),
};

/** Runs one poll `elapsedSeconds` after the wait began. */
async function pollAt(elapsedSeconds: number, properties = waiterProperties()) {
  jest.setSystemTime(STARTED_AT.getTime() + elapsedSeconds * 1000);
  return handler(pollEvent(STARTED_AT, properties));
}

async function pollError(elapsedSeconds: number, properties = waiterProperties()): Promise<WaiterError> {
  const error = await pollAt(elapsedSeconds, properties).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WaiterError);
  return error as WaiterError;
}

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

describe('a job that has ended ACTIVE', () => {
  it('completes with every attribute of the described job', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: activeJob });

    await expect(pollAt(120)).resolves.toEqual({
      IsComplete: true,
      Data: {
        NumResults: '25000',
        OutputPath: 's3://promo-data/segments/out/',
        Status: 'ACTIVE',
        JobName: 'spring-promo',
        FailureReason: '',
        SolutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
        FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
        RoleArn: 'arn:aws:iam::111122223333:role/PersonalizeBatch',
        InputPath: 's3://promo-data/segments/queries.json',
        InputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in',
        OutputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out',
        CreationDateTime: '2026-11-28T09:58:00.000Z',
        LastUpdatedDateTime: '2026-11-28T10:31:07.250Z',
      },
    });
    expect(personalize).toHaveReceivedCommandTimes(DescribeBatchSegmentJobCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: JOB_ARN });
  });

  it('answers every attribute, empty where Personalize reported nothing', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });

    const result = await pollAt(60);

    expect(result.Data).toEqual({
      NumResults: '',
      OutputPath: '',
      Status: 'ACTIVE',
      JobName: '',
      FailureReason: '',
      SolutionVersionArn: '',
      FilterArn: '',
      RoleArn: '',
      InputPath: '',
      InputKmsKeyArn: '',
      OutputKmsKeyArn: '',
      CreationDateTime: '',
      LastUpdatedDateTime: '',
    });
  });

  it('completes even when the poll comes after the deadline', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: activeJob });

    await expect(pollAt(7200)).resolves.toMatchObject({ IsComplete: true });
  });

  it('keeps the attributes inside the response CloudFormation accepts, whatever their length', async () => {
    const long = (prefix: string) => prefix + 'é'.repeat(3000);
    personalize.on(DescribeBatchSegmentJobCommand).resolves({
      batchSegmentJob: {
        ...activeJob,
        jobOutput: { s3DataDestination: { path: long('s3://out/'), kmsKeyArn: long('arn:aws:kms:') } },
        jobInput: { s3DataSource: { path: long('s3://in/'), kmsKeyArn: long('arn:aws:kms:') } },
      },
    });

    const result = await pollAt(60);

    const envelope = {
      Status: 'SUCCESS',
      Reason: 'SUCCESS',
      StackId: `arn:aws:cloudformation:us-east-1:111122223333:stack/${'s'.repeat(128)}/8d3e4b60-0000-0000-0000-000000000000`,
      RequestId: 'b3a1c1f4-0000-0000-0000-000000000000',
      PhysicalResourceId: JOB_ARN.padEnd(256, 'x'),
      LogicalResourceId: 'L'.repeat(255),
      Data: result.Data,
    };
    expect(Buffer.byteLength(JSON.stringify(envelope))).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    expect(result.Data?.OutputPath.startsWith('s3://out/é')).toBe(true);
    expect(result.Data?.OutputPath.endsWith('…')).toBe(true);
    expect(result.Data?.NumResults).toBe('25000');
    expect(result.Data?.JobName).toBe('spring-promo');
  });
});

describe('a job that is still running', () => {
  it.each([
    'PENDING',
    'IN PROGRESS',
    'CREATE PENDING',
    'CREATE IN_PROGRESS',
    'DELETE PENDING',
    'DELETE IN_PROGRESS',
    'A STATUS PERSONALIZE ADDS LATER',
  ])('keeps polling while the status is %s', async (status) => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { ...activeJob, status } });

    await expect(pollAt(600)).resolves.toEqual({ IsComplete: false });
  });

  it('keeps polling when Personalize reports no status or no job', async () => {
    personalize
      .on(DescribeBatchSegmentJobCommand)
      .resolvesOnce({ batchSegmentJob: { jobName: 'spring-promo' } })
      .resolvesOnce({});

    await expect(pollAt(30)).resolves.toEqual({ IsComplete: false });
    await expect(pollAt(60)).resolves.toEqual({ IsComplete: false });
  });

  it('says when the job reported no status at all', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: {} });

    expect((await pollError(1200, waiterProperties({ TimeoutSeconds: '1200' }))).message).toContain('its last status was (none).');
  });

  it('reuses one client per region across polls', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE PENDING' } });

    await pollAt(30);
    await pollAt(60);

    expect(personalize.call(1).thisValue).toBe(personalize.call(0).thisValue);
  });

  it('writes one log line per poll with the job, its status and the time waited, never the response URL', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });

    await pollAt(90);

    const pollLines = logs.lines.filter((line) => line.message === 'Polled batch segment job');
    expect(pollLines).toHaveLength(1);
    expect(pollLines[0]).toMatchObject({
      level: 'INFO',
      ref: JOB_ARN,
      status: 'CREATE IN_PROGRESS',
      elapsedSeconds: 90,
      requestType: 'Create',
      logicalResourceId: 'Segments06F6163E',
      physicalResourceId: JOB_ARN,
    });
    expect(logs.text).not.toContain(RESPONSE_URL);
  });

  it('logs nothing at INFO when the waiter asks for ERROR only', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });

    await pollAt(90, waiterProperties({ LogLevel: 'ERROR' }));

    expect(logs.lines.filter((line) => line.message === 'Polled batch segment job')).toHaveLength(0);
  });

  it('takes FATAL, Lambda\'s name for the most severe level', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.throttling());

    await expect(pollAt(90, waiterProperties({ LogLevel: 'FATAL' }))).resolves.toEqual({ IsComplete: false });
    expect(logs.lines.filter((line) => line.level === 'WARN')).toHaveLength(0);
  });

  it('gives up at the timeout, naming the job, its last status, the time waited and how to wait longer', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });
    const properties = waiterProperties({ TimeoutSeconds: '1200' });

    await expect(pollAt(1199, properties)).resolves.toEqual({ IsComplete: false });
    const error = await pollError(1230, properties);

    expect(error.message).toBe(
      `Gave up waiting for batch segment job ${JOB_ARN} after 20m 30s; its last status was CREATE IN_PROGRESS. ` +
        "To wait longer, raise the waiter's timeout (now 20m; at most 12h).",
    );
  });

  it('stops a waiter given the full hour early enough to answer inside CloudFormation\'s hour', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });

    await expect(pollAt(3389)).resolves.toEqual({ IsComplete: false });
    const error = await pollError(3390);

    expect(error.message).toBe(
      `Gave up waiting for batch segment job ${JOB_ARN} after 56m 30s; its last status was CREATE IN_PROGRESS. ` +
        "To wait longer, raise the waiter's timeout (now 1h; at most 12h).",
    );
  });

  it('measures the deadline from the start of the wait that onEvent recorded', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE PENDING' } });
    jest.setSystemTime(STARTED_AT.getTime() + 99_000);
    const laterStart = new Date(STARTED_AT.getTime() + 40_000);

    await expect(handler(pollEvent(laterStart, waiterProperties({ TimeoutSeconds: '60', PollIntervalSeconds: '5' })))).resolves.toEqual({ IsComplete: false });
  });
});

describe('a link of a wait longer than an hour', () => {
  const link = (index: number) => waiterProperties({ TimeoutSeconds: '18000', LinkIndex: String(index), LinkCount: '6' });

  it('keeps polling until its share of the hour is spent', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });

    await expect(pollAt(3389, link(1))).resolves.toEqual({ IsComplete: false });
  });

  it('hands over to the next link by completing with what it last saw', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { ...activeJob, status: 'CREATE IN_PROGRESS' } });

    const result = await pollAt(3390, link(2));

    expect(result).toMatchObject({ IsComplete: true, Data: { Status: 'CREATE IN_PROGRESS', JobName: 'spring-promo' } });
    expect(logs.lines.find((line) => line.message === 'Handing the wait over to the next link')).toMatchObject({
      ref: JOB_ARN,
      lastStatus: 'CREATE IN_PROGRESS',
      linkIndex: 2,
      linkCount: 6,
    });
  });

  it('hands over with empty attributes when its last Describe failed', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.throttling());

    const result = await pollAt(3390, link(5));

    expect(result).toEqual({ IsComplete: true, Data: expect.objectContaining({ Status: '', OutputPath: '' }) });
  });

  it('fails as the last link at the end of the whole timeout, counting every link', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });

    await expect(pollAt(1049, link(6))).resolves.toEqual({ IsComplete: false });
    expect((await pollError(1050, link(6))).message).toBe(
      `Gave up waiting for batch segment job ${JOB_ARN} after 5h; its last status was CREATE IN_PROGRESS. ` +
        "To wait longer, raise the waiter's timeout (now 5h; at most 12h).",
    );
  });

  it('says the timeout cannot grow past 12 hours', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE IN_PROGRESS' } });
    const last = waiterProperties({ TimeoutSeconds: '43200', LinkIndex: '13', LinkCount: '13' });

    expect((await pollError(43200 - 12 * 3390, last)).message).toBe(
      `Gave up waiting for batch segment job ${JOB_ARN} after 12h; its last status was CREATE IN_PROGRESS. ` +
        'The timeout is already at its most (12h). Start the job earlier, or deploy what needs its results in a later deployment.',
    );
  });
});

describe('a job that has ended CREATE FAILED', () => {
  const failedJob = { ...activeJob, status: 'CREATE FAILED', failureReason: 'Input file has invalid JSON on line 3.' };

  it("fails the deployment with the job's failure reason", async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: failedJob });

    const error = await pollError(300);

    expect(error.message).toBe(
      `Batch segment job ${JOB_ARN} ended CREATE FAILED. Fix the cause and point the waiter at a new job, ` +
        'or set failOnJobFailure: false to let the deployment go on and read the Status attribute. ' +
        "Personalize's reason: Input file has invalid JSON on line 3.",
    );
    expect(error.stack).toBe(`WaiterError: ${error.message}`);
  });

  it.each([undefined, '', '  \n '])('says so when Personalize gave no reason (%p)', async (failureReason) => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE FAILED', failureReason } });

    expect((await pollError(300)).message).toMatch(/Personalize's reason: \(none given\)$/);
  });

  it('keeps the beginning of the message and stays within the reason budget for a 5,000-character reason', async () => {
    const reason = 'Line 1 of the input could not be parsed.\n' + 'x'.repeat(5000);
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { ...failedJob, failureReason: reason } });

    const error = await pollError(300);

    expect(error.message.startsWith(`Batch segment job ${JOB_ARN} ended CREATE FAILED.`)).toBe(true);
    expect(error.message).toContain("Personalize's reason: Line 1 of the input could not be parsed. xxx");
    expect(error.message.endsWith('…')).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(Buffer.byteLength(JSON.stringify(error.stack))).toBeLessThanOrEqual(REASON_BUDGET_BYTES + 40);
  });

  it('completes with status CREATE FAILED when failOnJobFailure is "false"', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: failedJob });

    const result = await pollAt(300, waiterProperties({ FailOnJobFailure: 'false' }));

    expect(result).toMatchObject({
      IsComplete: true,
      Data: { Status: 'CREATE FAILED', FailureReason: 'Input file has invalid JSON on line 3.', NumResults: '25000' },
    });
  });
});

describe('faults while polling', () => {
  it.each([
    ['throttling', sdkErrors.throttling],
    ['LimitExceededException', sdkErrors.limitExceeded],
    ['a 500', sdkErrors.internalFailure],
    ['a 503', sdkErrors.serviceUnavailable],
    ['an SDK timeout', sdkErrors.sdkTimeout],
    ['a dropped connection', sdkErrors.connectionReset],
  ])('%s only waits for the next poll', async (_name, makeError) => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(makeError());

    await expect(pollAt(600)).resolves.toEqual({ IsComplete: false });
    expect(logs.lines.find((line) => line.message === 'Describe failed; the next poll tries again')).toMatchObject({
      level: 'WARN',
      failure: 'transient',
      ref: JOB_ARN,
    });
  });

  it('recovers when the job is described again after a burst of faults', async () => {
    personalize
      .on(DescribeBatchSegmentJobCommand)
      .rejectsOnce(sdkErrors.throttling())
      .rejectsOnce(sdkErrors.internalFailure())
      .resolves({ batchSegmentJob: activeJob });

    await expect(pollAt(30)).resolves.toEqual({ IsComplete: false });
    await expect(pollAt(60)).resolves.toEqual({ IsComplete: false });
    await expect(pollAt(90)).resolves.toMatchObject({ IsComplete: true, Data: { Status: 'ACTIVE' } });
  });

  it('times out with the last fault when the faults outlast the timeout', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.throttling());

    const error = await pollError(1200, waiterProperties({ TimeoutSeconds: '1200' }));

    expect(error.message).toContain(
      'its last status was unknown (the last Describe failed: ThrottlingException: Rate exceeded)',
    );
  });

  it('fails at once when the job does not exist', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());

    const error = await pollError(30);

    expect(error.message).toBe(
      `Batch segment job ${JOB_ARN} does not exist in us-east-1: check the job name, account and region in the ARN. ` +
        '(ResourceNotFoundException: Could not find batch segment job)',
    );
  });

  it('fails at once when Personalize rejects the ARN', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.invalidInput());

    expect((await pollError(30)).message).toBe(
      `Personalize rejected the batch segment job ARN ${JOB_ARN} as invalid. (InvalidInputException: 1 validation error detected)`,
    );
  });

  it('fails at once when the SDK throws something that is not an error', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).callsFake(() => Promise.reject('boom'));

    expect((await pollError(30)).message).toBe(`Could not describe batch segment job ${JOB_ARN}. ("boom")`);
  });

  it('fails at once on an error it does not know', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.unknownClientError());

    expect((await pollError(30)).message).toBe(
      `Could not describe batch segment job ${JOB_ARN}. (ValidationException: Something the waiter does not know)`,
    );
  });

  it('retries access denied while IAM may still be propagating, then reports the refused call and that the library grants it', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.accessDenied('personalize:DescribeBatchSegmentJob', JOB_ARN));

    await expect(pollAt(59)).resolves.toEqual({ IsComplete: false });
    const error = await pollError(60);

    expect(error.message).toBe(
      `Access to batch segment job ${JOB_ARN} is still denied after 1m. AWS refused personalize:DescribeBatchSegmentJob on ${JOB_ARN}. ` +
        "This library grants its handlers' role personalize:DescribeBatchSegmentJob for this batch segment job, so something else stands in the way: " +
        "a permissions boundary, a service control policy or a resource policy (for a job in another account, that account's policies). " +
        `(AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/Handlers/onEvent is not authorized to perform: personalize:DescribeBatchSegmentJob on resource: ${JOB_ARN} because no identity-based policy allows the personalize:DescribeBatchSegmentJob action)`,
    );
  });

  it('names a refused action the library does not grant as its own defect, with the statement the role lacks', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.accessDenied('kms:Decrypt', 'arn:aws:kms:us-east-1:111122223333:key/k'));

    const error = await pollError(60);

    expect(error.message).toContain(
      `Access to batch segment job ${JOB_ARN} is still denied after 1m. AWS refused kms:Decrypt on arn:aws:kms:us-east-1:111122223333:key/k. ` +
        "This library does not grant its handlers' role kms:Decrypt: a defect in cdk-personalize-batch-jobs; please report it. " +
        'Until it is fixed, add to the role a statement that allows kms:Decrypt on arn:aws:kms:us-east-1:111122223333:key/k. (AccessDeniedException: ',
    );
  });

  it('says what to check when the refusal names no action', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.accessDeniedUnnamed());

    const error = await pollError(60);

    expect(error.message).toBe(
      `Access to batch segment job ${JOB_ARN} is still denied after 1m. This library grants the handlers' role what a batch segment job needs: ` +
        "check permissions boundaries, service control policies and resource policies, and for a job in another account, that account's policies. " +
        '(AccessDeniedException: Access denied)',
    );
  });
});

describe('the job region', () => {
  it('describes a job in the region its ARN names', async () => {
    const arn = 'arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/eu-promo';
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });

    await pollAt(30, waiterProperties({ BatchSegmentJobArn: arn }));

    const client = personalize.call(0).thisValue as PersonalizeClient;
    await expect(client.config.region()).resolves.toBe('eu-west-1');
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: arn });
  });
});

describe('events it must refuse or ignore', () => {
  it('completes a Delete without calling AWS, even when AWS is down', async () => {
    personalize.onAnyCommand().rejects(sdkErrors.serviceUnavailable());
    jest.setSystemTime(STARTED_AT.getTime() + 10_000);

    await expect(handler(pollEvent(STARTED_AT, waiterProperties(), 'Delete'))).resolves.toEqual({ IsComplete: true });
    expect(personalize.calls()).toHaveLength(0);
  });

  it('rejects a malformed ARN before calling AWS', async () => {
    const error = await pollError(30, waiterProperties({ BatchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo' }));

    expect(error.message).toContain('got "arn:aws:personalize:us-east-1:111122223333:solution/promo"');
    expect(personalize.calls()).toHaveLength(0);
  });

  it.each([
    [undefined, 'undefined'],
    ['yesterday', '"yesterday"'],
    [42, '42'],
  ])('rejects an event whose WaitStartedAt is %p', async (waitStartedAt, shown) => {
    const event = { ...pollEvent(STARTED_AT), WaitStartedAt: waitStartedAt as never };

    await expect(handler(event)).rejects.toThrow(
      `The isComplete event carries no valid WaitStartedAt (got ${shown}); it must come from the waiter onEvent handler through the provider framework.`,
    );
    expect(personalize.calls()).toHaveLength(0);
  });

  it('reports an unexpected failure as a short error and logs the full one', async () => {
    personalize
      .on(DescribeBatchSegmentJobCommand)
      .resolves({ batchSegmentJob: { status: 'ACTIVE', creationDateTime: 'not a date' as unknown as Date } });

    const error = await pollError(30);

    expect(error.message).toMatch(/^The Personalize job handler failed unexpectedly: TypeError: .*getTime.*\. See its log for details\.$/);
    expect(logs.lines.find((line) => line.message === 'Failing the deployment')).toMatchObject({ level: 'ERROR' });
  });
});
