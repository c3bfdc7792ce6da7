import { DescribeBatchSegmentJobCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/engine/on-event';
import { CapturedLogs } from '../support/captured-logs';
import {
  createEvent,
  deleteEvent,
  JOB_ARN,
  OTHER_JOB_ARN,
  RESPONSE_URL,
  updateEvent,
  waiterProperties,
} from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const NOW = new Date('2026-11-28T10:00:00.000Z');

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ now: NOW, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

describe('Create', () => {
  it('describes the job once and starts the wait with the job ARN as physical id', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE PENDING' } });

    await expect(handler(createEvent())).resolves.toEqual({
      PhysicalResourceId: JOB_ARN,
      WaitStartedAt: '2026-11-28T10:00:00.000Z',
    });
    expect(personalize).toHaveReceivedCommandTimes(DescribeBatchSegmentJobCommand, 1);
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: JOB_ARN });
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({
      ref: JOB_ARN,
      status: 'CREATE PENDING',
      timeoutSeconds: 3600,
      requestType: 'Create',
    });
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).not.toHaveProperty('describeFailure');
    expect(logs.text).not.toContain(RESPONSE_URL);
  });

  it('fails at once when the job does not exist', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());

    await expect(handler(createEvent())).rejects.toThrow(
      `Batch segment job ${JOB_ARN} does not exist in us-east-1: check the job name, account and region in the ARN.`,
    );
  });

  it('fails at once when Personalize rejects the ARN', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.invalidInput());

    await expect(handler(createEvent())).rejects.toThrow(`Personalize rejected the batch segment job ARN ${JOB_ARN} as invalid.`);
  });

  it.each([
    ['throttling', sdkErrors.throttling, 'transient'],
    ['a 500', sdkErrors.internalFailure, 'transient'],
    ['a dropped connection', sdkErrors.connectionReset, 'transient'],
    ['access denied (IAM may still be propagating)', sdkErrors.accessDenied, 'accessDenied'],
  ])('leaves %s to the polls', async (_name, makeError, kind) => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(makeError());

    await expect(handler(createEvent())).resolves.toEqual({ PhysicalResourceId: JOB_ARN, WaitStartedAt: NOW.toISOString() });
    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({
      outcome: kind,
    });
  });

  it('rejects a malformed ARN before calling AWS, naming the value and what was expected', async () => {
    const event = createEvent(waiterProperties({ BatchSegmentJobArn: 'spring-promo' }));

    await expect(handler(event)).rejects.toThrow(
      'The BatchSegmentJobArn property must be the ARN of an Amazon Personalize batch segment job, such as ' +
        'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo; got "spring-promo".',
    );
    expect(personalize.calls()).toHaveLength(0);
  });

  it('rejects a resource type these handlers do not serve before calling AWS, naming the ones they do', async () => {
    const event = { ...createEvent(), ResourceType: 'Custom::SomethingElse' };

    await expect(handler(event)).rejects.toThrow(
      'These handlers serve the resource types Custom::PersonalizeBatchSegmentJobWaiter, Custom::PersonalizeBatchSegmentJob, ' +
        'Custom::PersonalizeBatchInferenceJobWaiter, Custom::PersonalizeBatchInferenceJob, ' +
        'Custom::PersonalizeSolutionVersionWaiter, Custom::PersonalizeSolutionVersion, ' +
        'Custom::PersonalizeDatasetImportJobWaiter, Custom::PersonalizeDatasetImportJob; got "Custom::SomethingElse".',
    );
    expect(personalize.calls()).toHaveLength(0);
  });

  it('reads property values that arrive as strings', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });
    const event = createEvent(waiterProperties({ TimeoutSeconds: '1200', PollIntervalSeconds: '60', FailOnJobFailure: 'false' }));

    await handler(event);

    expect(logs.lines.find((line) => line.message === 'Waiting for batch segment job')).toMatchObject({ timeoutSeconds: 1200 });
  });

  it('rejects a timeout that is not a whole number of seconds, naming it', async () => {
    await expect(handler(createEvent(waiterProperties({ TimeoutSeconds: '20m' })))).rejects.toThrow(
      'The TimeoutSeconds property must be a whole number of seconds from 60 to 43200; got "20m".',
    );
    expect(personalize.calls()).toHaveLength(0);
  });
});

describe('Update', () => {
  it('waits for the new job when the waiter points at another job', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'CREATE PENDING' } });
    const event = updateEvent(waiterProperties({ BatchSegmentJobArn: OTHER_JOB_ARN }), waiterProperties());

    await expect(handler(event)).resolves.toEqual({ PhysicalResourceId: OTHER_JOB_ARN, WaitStartedAt: NOW.toISOString() });
    expect(personalize).toHaveReceivedCommandWith(DescribeBatchSegmentJobCommand, { batchSegmentJobArn: OTHER_JOB_ARN });
  });

  it('keeps the physical id when only the settings change', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: { status: 'ACTIVE' } });
    const event = updateEvent(waiterProperties({ TimeoutSeconds: '600' }), waiterProperties());

    await expect(handler(event)).resolves.toEqual({ PhysicalResourceId: JOB_ARN, WaitStartedAt: NOW.toISOString() });
  });

  it('fails at once when the new job does not exist', async () => {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(sdkErrors.notFound());
    const event = updateEvent(waiterProperties({ BatchSegmentJobArn: OTHER_JOB_ARN }), waiterProperties());

    await expect(handler(event)).rejects.toThrow(`Batch segment job ${OTHER_JOB_ARN} does not exist in us-east-1`);
  });
});

describe('Delete', () => {
  it('succeeds at once without calling AWS, even when AWS is down', async () => {
    personalize.onAnyCommand().rejects(sdkErrors.serviceUnavailable());

    await expect(handler(deleteEvent())).resolves.toEqual({ PhysicalResourceId: JOB_ARN });
    expect(personalize.calls()).toHaveLength(0);
    expect(logs.lines.find((line) => line.message === 'Delete: nothing to clean up')).toMatchObject({ requestType: 'Delete' });
  });

  it('succeeds whatever the properties hold', async () => {
    await expect(handler(deleteEvent({ BatchSegmentJobArn: 'garbage', TimeoutSeconds: 'x' }))).resolves.toEqual({
      PhysicalResourceId: JOB_ARN,
    });
  });
});
