import { CreateBatchSegmentJobCommand, DescribeBatchSegmentJobCommand, PersonalizeClient, ResourceAlreadyExistsException } from '@aws-sdk/client-personalize';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { handler as isComplete } from '../../lambda/engine/is-complete';
import { handler as onEvent } from '../../lambda/engine/on-event';
import { RESPONSE_LIMIT_BYTES } from '../../lambda/engine/response-budget';
import { WaiterError } from '../../lambda/engine/handler-error';
import { BATCH_SEGMENT_JOB } from '../../lib/kinds/batch-segment-job/contract';
import { jobArnPattern } from '../../lib/engine/job-kind';
import { CapturedLogs } from '../support/captured-logs';
import { JOB_ARN, jobDefinition, jobProperties, pollEvent, waiterProperties } from '../support/events';
import { sdkErrors } from '../support/sdk-errors';

const BATCH_SEGMENT_JOB_ARN_PATTERN = jobArnPattern(BATCH_SEGMENT_JOB);

/*
 * Property tests: whatever CloudFormation or Personalize hands the handlers, they answer
 * correctly or fail with a clear WaiterError, and what they send back fits CloudFormation's
 * 4096-byte response.
 */

const personalize = mockClient(PersonalizeClient);
const logs = new CapturedLogs();
const STARTED_AT = new Date('2026-11-28T10:00:00.000Z');
/** The longest ids CloudFormation and the framework put around our data or reason. */
const WORST_CASE_ENVELOPE = {
  StackId: `arn:aws-us-gov:cloudformation:us-gov-west-1:111122223333:stack/${'S'.repeat(128)}/8d3e4b60-0000-0000-0000-000000000000`,
  RequestId: '8d3e4b60-0000-0000-0000-000000000000',
  PhysicalResourceId: `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/${'j'.repeat(63)}`.padEnd(256, 'x'),
  LogicalResourceId: 'L'.repeat(255),
};
const FUNCTION_NAME = 'F'.repeat(64);

beforeEach(() => {
  personalize.reset();
  jest.useFakeTimers({ now: STARTED_AT, doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'] });
  logs.start();
});

afterEach(() => {
  logs.stop();
  jest.useRealTimers();
});

const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
const propertyValue = (valid: fc.Arbitrary<unknown>) => fc.oneof(valid, anyValue);
const properties = fc.record(
  {
    BatchSegmentJobArn: propertyValue(fc.constant(JOB_ARN)),
    TimeoutSeconds: propertyValue(fc.integer({ min: 60, max: 3600 }).map(String)),
    PollIntervalSeconds: propertyValue(fc.integer({ min: 5, max: 300 }).map(String)),
    FailOnJobFailure: propertyValue(fc.constantFrom('true', 'false')),
    LogLevel: propertyValue(fc.constantFrom('DEBUG', 'INFO', 'ERROR')),
  },
  { requiredKeys: [] },
);
const describeOutcome = fc.oneof(
  fc.record({ status: fc.oneof(fc.constantFrom('ACTIVE', 'CREATE FAILED', 'CREATE PENDING', 'CREATE IN_PROGRESS'), fc.string()), failureReason: fc.option(fc.string(), { nil: undefined }) }).map((job) => ({ job })),
  fc.constantFrom(...Object.values(sdkErrors)).map((makeError) => ({ error: makeError() })),
);

function mockDescribe(outcome: { job?: object; error?: unknown }): void {
  if (outcome.error !== undefined) {
    personalize.on(DescribeBatchSegmentJobCommand).rejects(outcome.error as Error);
  } else {
    personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: outcome.job });
  }
}

/** A handler's answer must be well formed, or its failure a WaiterError with a one-line message. */
async function answerOrClearError(run: () => Promise<unknown>): Promise<{ answer?: unknown; error?: WaiterError }> {
  try {
    return { answer: await run() };
  } catch (error) {
    expect(error).toBeInstanceOf(WaiterError);
    expect((error as WaiterError).message.length).toBeGreaterThan(0);
    expect((error as WaiterError).message).not.toMatch(/[\n\r]/);
    return { error: error as WaiterError };
  }
}

it('onEvent answers a physical id or a clear error for any request CloudFormation could send', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('Create', 'Update', 'Delete'), properties, describeOutcome, async (requestType, props, outcome) => {
      personalize.reset();
      mockDescribe(outcome);
      const event = { ...pollEvent(STARTED_AT, waiterProperties(), requestType), ResourceProperties: props as never };
      const { answer } = await answerOrClearError(() => onEvent(event));
      if (answer !== undefined) {
        expect(answer).toEqual(expect.objectContaining({ PhysicalResourceId: expect.any(String) }));
      }
      if (requestType === 'Delete') {
        expect(answer).toEqual({ PhysicalResourceId: JOB_ARN });
      }
    }),
  );
});

it('isComplete answers complete or not, or a clear error, for any poll', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('Create', 'Update', 'Delete'),
      properties,
      describeOutcome,
      fc.integer({ min: 0, max: 4 * 3600 }),
      fc.oneof(fc.constant(STARTED_AT.toISOString()), anyValue),
      async (requestType, props, outcome, elapsedSeconds, waitStartedAt) => {
        personalize.reset();
        mockDescribe(outcome);
        jest.setSystemTime(STARTED_AT.getTime() + elapsedSeconds * 1000);
        const event = { ...pollEvent(STARTED_AT, waiterProperties(), requestType), ResourceProperties: props as never, WaitStartedAt: waitStartedAt as never };
        const { answer } = await answerOrClearError(() => isComplete(event));
        if (answer !== undefined) {
          expect(typeof (answer as { IsComplete: unknown }).IsComplete).toBe('boolean');
        }
      },
    ),
  );
});

describe('a BatchSegmentJob\'s requests', () => {
  const valid = jobDefinition({ FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users', Tags: { team: 'promo' } });
  const job = fc.oneof(
    fc.record(Object.fromEntries(Object.entries(valid).map(([key, value]) => [key, propertyValue(fc.constant(value))])), { requiredKeys: [] }),
    anyValue,
  );
  const createOutcome = fc.oneof(
    fc.constant({}),
    fc.constant({ error: new ResourceAlreadyExistsException({ message: 'exists', $metadata: {} }) }),
    fc.constantFrom(...Object.values(sdkErrors)).map((makeError) => ({ error: makeError() })),
  );
  const mockCreate = (outcome: { error?: unknown }) =>
    outcome.error === undefined
      ? personalize.on(CreateBatchSegmentJobCommand).resolves({ batchSegmentJobArn: JOB_ARN })
      : personalize.on(CreateBatchSegmentJobCommand).rejects(outcome.error as Error);

  it('get an answer or a clear error from onEvent and isComplete, whatever the Job property and Personalize say', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('Create', 'Update'),
        job,
        job,
        describeOutcome,
        createOutcome,
        fc.integer({ min: 0, max: 2 * 3600 }),
        async (requestType, newJob, oldJob, described, created, elapsedSeconds) => {
          personalize.reset();
          mockDescribe(described);
          mockCreate(created);
          const event = {
            ...pollEvent(STARTED_AT, jobProperties(), requestType),
            ResourceProperties: jobProperties(jobDefinition(), { Job: newJob }) as never,
            // An Update names the job the resource has: the physical id its Create answered.
            ...(requestType === 'Update' ? { OldResourceProperties: jobProperties(jobDefinition(), { Job: oldJob }) as never, PhysicalResourceId: JOB_ARN } : {}),
          };
          const started = await answerOrClearError(() => onEvent(event));
          if (started.answer === undefined) {
            return;
          }
          const { PhysicalResourceId } = started.answer as { PhysicalResourceId: string };
          expect(PhysicalResourceId).toMatch(BATCH_SEGMENT_JOB_ARN_PATTERN);
          jest.setSystemTime(STARTED_AT.getTime() + elapsedSeconds * 1000);
          const { answer } = await answerOrClearError(() => isComplete({ ...event, PhysicalResourceId, WaitStartedAt: STARTED_AT.toISOString() }));
          if (answer !== undefined) {
            expect(typeof (answer as { IsComplete: unknown }).IsComplete).toBe('boolean');
          }
        },
      ),
    );
  });
});

it("keeps the whole response under CloudFormation's 4096 bytes for any description of a finished job", async () => {
  const text = fc.oneof(fc.string({ maxLength: 3000 }), fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.string({ unit: 'binary', maxLength: 3000 }));
  const job = fc.record({
    status: fc.constantFrom('ACTIVE', 'CREATE FAILED'),
    jobName: text,
    failureReason: fc.string({ unit: 'binary', maxLength: 6000 }),
    solutionVersionArn: text,
    filterArn: text,
    roleArn: text,
    numResults: fc.integer(),
    jobInput: fc.record({ s3DataSource: fc.record({ path: text, kmsKeyArn: text }) }),
    jobOutput: fc.record({ s3DataDestination: fc.record({ path: text, kmsKeyArn: text }) }),
  });
  await fc.assert(
    fc.asyncProperty(job, fc.boolean(), async (described, failOnJobFailure) => {
      personalize.reset();
      personalize.on(DescribeBatchSegmentJobCommand).resolves({ batchSegmentJob: described });
      const event = pollEvent(STARTED_AT, waiterProperties({ FailOnJobFailure: String(failOnJobFailure) }));
      const { answer, error } = await answerOrClearError(() => isComplete(event));
      // What the provider framework sends: the data on success; on failure the error's message,
      // the line naming the log group and the rest of the stack, which is empty for a WaiterError.
      const body = {
        Status: error ? 'FAILED' : 'SUCCESS',
        Reason: error ? [error.message, '', `Logs: /aws/lambda/${FUNCTION_NAME}`, '', ...String(error.stack).split('\n').slice(1)].join('\n') : 'SUCCESS',
        ...WORST_CASE_ENVELOPE,
        Data: (answer as { Data?: object } | undefined)?.Data,
      };
      expect(Buffer.byteLength(JSON.stringify(body), 'utf8')).toBeLessThanOrEqual(RESPONSE_LIMIT_BYTES);
    }),
    { numRuns: 200 },
  );
});

describe('the job ARN check', () => {
  const SERVICE_PATTERN = /^arn:([a-z\d-]+):personalize:.*:.*:.+$/;
  const validArn = fc
    .record({
      partition: fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'),
      region: fc.tuple(fc.stringMatching(/^[a-z]{2}$/), fc.array(fc.stringMatching(/^[a-z]{1,9}$/), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 9 })),
      account: fc.stringMatching(/^\d{12}$/),
      name: fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$/),
    })
    .map(({ partition, region: [area, words, digit], account, name }) => `arn:${partition}:personalize:${[area, ...words, digit].join('-')}:${account}:batch-segment-job/${name}`);

  it('accepts only what the service itself would accept', () => {
    fc.assert(
      fc.property(fc.oneof(validArn, fc.string(), validArn.chain((arn) => fc.string().map((junk) => arn + junk))), (candidate) => {
        if (BATCH_SEGMENT_JOB_ARN_PATTERN.test(candidate)) {
          expect(candidate).toMatch(SERVICE_PATTERN);
          expect(candidate.length).toBeLessThanOrEqual(256);
        }
      }),
    );
  });

  it('accepts every well-formed batch segment job ARN', () => {
    fc.assert(fc.property(validArn, (arn) => expect(arn).toMatch(BATCH_SEGMENT_JOB_ARN_PATTERN)));
  });
});
