import { CfnParameter, Duration } from 'aws-cdk-lib';
import { BatchSegmentJobWaiter } from '../../lib';
import { LIVE_SERVICE_TIMELINE } from '../../local/personalize-endpoint';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: the waiters of a synthesized stack, deployed through the provider framework's own
 * code and the handler bundle from the cloud assembly, with the real AWS SDK talking to the local
 * Personalize endpoint over HTTP. Time is simulated; each poll moves the clock one interval on.
 */

const ACCOUNT = '111122223333';
const jobArn = (name: string, region = 'us-east-1') => `arn:aws:personalize:${region}:${ACCOUNT}:batch-segment-job/${name}`;
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

const { personalize, logs, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let waiter: string;
let shortWaiter: string;
let parameterWaiter: string;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    // Each waiter's job comes from a parameter, as IAM sees it too: its policy names the job the parameter names.
    const waiterJob = new CfnParameter(s, 'WaiterJobArn', { type: 'String' });
    const shortJob = new CfnParameter(s, 'ShortJobArn', { type: 'String' });
    new BatchSegmentJobWaiter(s, 'Waiter', { batchSegmentJobArn: waiterJob.valueAsString });
    new BatchSegmentJobWaiter(s, 'Short', { batchSegmentJobArn: shortJob.valueAsString, timeout: Duration.minutes(20) });
    const arn = new CfnParameter(s, 'JobArn', { type: 'String' });
    new BatchSegmentJobWaiter(s, 'FromParameter', { batchSegmentJobArn: arn.valueAsString });
  });
  waiter = stack.waiterId('Waiter');
  shortWaiter = stack.waiterId('Short');
  parameterWaiter = stack.waiterId('FromParameter');
});

afterAll(() => stack.dispose());

const describeCalls = () => personalize.callsTo('DescribeBatchSegmentJob').length;

describe('a job that succeeds', () => {
  it('answers within one poll of the job ending, with the attributes, through the statuses the live service returns', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('live-statuses'), timeline: LIVE_SERVICE_TIMELINE, numResults: 100000, outputPath: 's3://promo-data/out/' });

    const { response, polls, elapsedSeconds } = await stack.deployment.deploy({
      requestType: 'Create',
      logicalId: waiter,
      parameters: { WaiterJobArn: jobArn('live-statuses') },
    });

    expect(response).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: jobArn('live-statuses'),
      Data: { NumResults: '100000', OutputPath: 's3://promo-data/out/', Status: 'ACTIVE', JobName: 'live-statuses' },
    });
    expect(elapsedSeconds).toBe(600);
    expect(polls).toBe(21);
    expect(describeCalls()).toBe(22);
    expect(logs.text).not.toContain('X-Amz-Signature=secret');
  });

  it('also ends on the documented statuses', async () => {
    personalize.addJob({
      batchSegmentJobArn: jobArn('documented'),
      timeline: [
        { afterSeconds: 0, status: 'PENDING' },
        { afterSeconds: 30, status: 'IN PROGRESS' },
        { afterSeconds: 75, status: 'ACTIVE' },
      ],
    });

    const { response, elapsedSeconds } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('documented') } });

    expect(response.Status).toBe('SUCCESS');
    expect(elapsedSeconds).toBe(90);
  });

  it('waits on a job in another region, calling Personalize there', async () => {
    const arn = jobArn('eu-promo', 'eu-west-1');
    personalize.addJob({ batchSegmentJobArn: arn, timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });

    const { response } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: arn } });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: arn });
    expect(new Set(personalize.calls.map((call) => call.region))).toEqual(new Set(['eu-west-1']));
  });
});

describe('a job that fails or cannot be found', () => {
  it("fails the deployment with the job's reason", async () => {
    personalize.addJob({
      batchSegmentJobArn: jobArn('bad-input'),
      timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 120, status: 'CREATE FAILED' }],
      failureReason: 'Input file s3://promo-data/segments/queries.json has invalid JSON on line 3.',
    });

    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('bad-input') } });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(
      new RegExp(`^Batch segment job ${jobArn('bad-input')} ended CREATE FAILED\\..*Personalize's reason: Input file s3://promo-data/segments/queries.json has invalid JSON on line 3\\.`),
    );
    expect(polls).toBe(5);
  });

  it('fails at once, with no poll, when the job does not exist; the Delete that follows calls nothing', async () => {
    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('no-such-job') } });

    expect(response).toMatchObject({ Status: 'FAILED', PhysicalResourceId: CREATE_FAILED_MARKER });
    expect(response.Reason).toMatch(new RegExp(`^Batch segment job ${jobArn('no-such-job')} does not exist in us-east-1`));
    expect(polls).toBe(0);
    expect(describeCalls()).toBe(1);

    personalize.calls.length = 0;
    const cleanup = await stack.deployment.deploy({ requestType: 'Delete', logicalId: waiter, physicalResourceId: CREATE_FAILED_MARKER });
    expect(cleanup.response.Status).toBe('SUCCESS');
    expect(personalize.calls).toHaveLength(0);
  });

  it('fails a malformed ARN from a parameter at once, without calling Personalize', async () => {
    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: parameterWaiter, parameters: { JobArn: 'spring-promo' } });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(/^The BatchSegmentJobArn property must be the ARN of an Amazon Personalize batch segment job.*got "spring-promo"\./);
    expect(polls).toBe(0);
    expect(personalize.calls).toHaveLength(0);
  });
});

describe('faults', () => {
  it('rides out bursts of throttling and 5xx, with a bounded number of calls', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('bursty'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 150, status: 'ACTIVE' }] });
    personalize.injectFaults(
      ...Array.from({ length: 4 }, () => ({ kind: 'throttling' as const })),
      ...Array.from({ length: 4 }, () => ({ kind: 'serverError' as const, status: 503 as const })),
      { kind: 'serverError' },
    );

    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('bursty') } });

    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'ACTIVE' } });
    expect(polls).toBe(6);
    // Every fault was met, and no Describe was tried more than three times (onEvent and six polls).
    expect(personalize.calls.filter((call) => call.fault !== undefined)).toHaveLength(9);
    expect(describeCalls()).toBeLessThanOrEqual(3 * 7);
  }, 30_000);

  it('retries an answer that comes after the SDK timeout and a dropped connection', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('slow-network'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
    personalize.injectFaults({ kind: 'slow', delayMs: 6_000 }, { kind: 'drop' });

    const { response } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('slow-network') } });

    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'ACTIVE' } });
    expect(personalize.calls.map((call) => call.fault)).toEqual(['slow', 'drop', undefined, undefined]);
  }, 30_000);

  it('waits out access denied while IAM propagates', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('locked'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
    personalize.injectFaults({ kind: 'accessDenied' }, { kind: 'accessDenied' });

    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('locked') } });

    expect(response.Status).toBe('SUCCESS');
    expect(polls).toBe(2);
    expect(iam.refusals().map((refusal) => refusal.action)).toEqual(['personalize:DescribeBatchSegmentJob', 'personalize:DescribeBatchSegmentJob']);
  });

  it('reports a refusal that lasts, naming the refused action and resource, and that the library grants it', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('locked'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
    personalize.injectFaults(...Array.from({ length: 20 }, () => ({ kind: 'accessDenied' as const })));

    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('locked') } });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(
      `Access to batch segment job ${jobArn('locked')} is still denied after 1m. AWS refused personalize:DescribeBatchSegmentJob on ${jobArn('locked')}. ` +
        "This library grants its handlers' role personalize:DescribeBatchSegmentJob for this batch segment job, so something else stands in the way",
    );
    expect(response.Reason).toContain('User: arn:aws:sts::111122223333:assumed-role/PersonalizeJobHandlersRole');
    expect(polls).toBe(3);
  });
});

describe('several waiters at once', () => {
  it('runs waits side by side on one clock and answers each its own job', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('together-1'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 60, status: 'ACTIVE' }], outputPath: 's3://out/1/' });
    personalize.addJob({ batchSegmentJobArn: jobArn('together-2'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 120, status: 'ACTIVE' }], outputPath: 's3://out/2/' });

    const [first, second] = await stack.deployment.deployTogether([
      { requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('together-1') } },
      { requestType: 'Create', logicalId: shortWaiter, parameters: { ShortJobArn: jobArn('together-2') } },
    ]);

    expect(first).toMatchObject({ response: { Status: 'SUCCESS', LogicalResourceId: waiter, Data: { OutputPath: 's3://out/1/' } }, elapsedSeconds: 60, polls: 3 });
    expect(second).toMatchObject({ response: { Status: 'SUCCESS', LogicalResourceId: shortWaiter, Data: { OutputPath: 's3://out/2/' } }, elapsedSeconds: 120, polls: 5 });
    // Both onEvent calls and both first polls come in the same second.
    const atStart = personalize.calls.filter((call) => call.at === personalize.calls[0].at);
    expect(atStart).toHaveLength(4);
  });

  it('slows waits down under a service rate limit instead of failing them', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('limited-1'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
    personalize.addJob({ batchSegmentJobArn: jobArn('limited-2'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
    personalize.limitDescribeRate(1);
    try {
      const results = await stack.deployment.deployTogether([
        { requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('limited-1') } },
        { requestType: 'Create', logicalId: shortWaiter, parameters: { ShortJobArn: jobArn('limited-2') } },
      ]);

      expect(results.map((result) => result.response.Status)).toEqual(['SUCCESS', 'SUCCESS']);
      expect(personalize.calls.some((call) => call.fault === 'throttling')).toBe(true);
      expect(Math.max(...results.map((result) => result.polls))).toBeGreaterThan(1);
    } finally {
      personalize.limitDescribeRate(undefined);
    }
  }, 30_000);

  it('runs waiters of different providers side by side, each at its own poll interval', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('fast'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 60, status: 'ACTIVE' }] });
    personalize.addJob({ batchSegmentJobArn: jobArn('slow'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 60, status: 'ACTIVE' }] });
    const twoProviders = new SynthesizedStack((s) => {
      new BatchSegmentJobWaiter(s, 'Fast', { batchSegmentJobArn: jobArn('fast'), pollInterval: Duration.seconds(5) });
      new BatchSegmentJobWaiter(s, 'Slow', { batchSegmentJobArn: jobArn('slow') });
    });
    try {
      const [fast, slow] = await twoProviders.deployment.deployTogether([
        { requestType: 'Create', logicalId: twoProviders.waiterId('Fast') },
        { requestType: 'Create', logicalId: twoProviders.waiterId('Slow') },
      ]);

      expect(fast).toMatchObject({ response: { Status: 'SUCCESS' }, elapsedSeconds: 60, polls: 13 });
      expect(slow).toMatchObject({ response: { Status: 'SUCCESS' }, elapsedSeconds: 60, polls: 3 });
    } finally {
      twoProviders.dispose();
    }
  });
});

describe('the timeout', () => {
  it("gives up at the waiter's timeout with its own message", async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('never-ends'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }] });

    const { response, elapsedSeconds, polls } = await stack.deployment.deploy({
      requestType: 'Create',
      logicalId: shortWaiter,
      parameters: { ShortJobArn: jobArn('never-ends') },
    });

    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toMatch(
      new RegExp(`^Gave up waiting for batch segment job ${jobArn('never-ends')} after 20m; its last status was CREATE IN_PROGRESS\\. To wait longer, raise the waiter's timeout \\(now 20m; at most 12h\\)\\.`),
    );
    expect(elapsedSeconds).toBe(1200);
    expect(polls).toBe(41);
  });

  it("answers a full-hour waiter inside CloudFormation's hour, before the provider's own timeout", async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('endless'), timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }] });

    const { response, elapsedSeconds } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter, parameters: { WaiterJobArn: jobArn('endless') } });

    expect(response.Reason).toMatch(/^Gave up waiting for .* after 56m 30s; its last status was CREATE PENDING\. To wait longer, raise the waiter's timeout \(now 1h; at most 12h\)\./);
    expect(response.Reason).not.toContain('Operation timed out');
    expect(elapsedSeconds).toBeLessThanOrEqual(3600 - 180);
  });
});

describe('updates and deletes', () => {
  it('waits for the new job when an update points the waiter at it', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('old-job'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });
    personalize.addJob({ batchSegmentJobArn: jobArn('new-job'), timeline: LIVE_SERVICE_TIMELINE, outputPath: 's3://promo-data/new/' });

    const { response, elapsedSeconds } = await stack.deployment.deploy({
      requestType: 'Update',
      logicalId: waiter,
      parameters: { WaiterJobArn: jobArn('new-job') },
      physicalResourceId: jobArn('old-job'),
      oldProperties: { BatchSegmentJobArn: jobArn('old-job') },
    });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: jobArn('new-job'), Data: { OutputPath: 's3://promo-data/new/' } });
    expect(elapsedSeconds).toBe(600);
    expect(personalize.calls.every((call) => call.body.batchSegmentJobArn === jobArn('new-job'))).toBe(true);
  });

  it('answers an update that changes only settings on its first poll', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('settled'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });

    const { response, polls } = await stack.deployment.deploy({
      requestType: 'Update',
      logicalId: waiter,
      parameters: { WaiterJobArn: jobArn('settled') }, properties: { LogLevel: 'DEBUG' },
      physicalResourceId: jobArn('settled'),
      oldProperties: { BatchSegmentJobArn: jobArn('settled') },
    });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: jobArn('settled') });
    expect(polls).toBe(1);
  });

  it('rolls an update back to the old job on the first poll', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('kept-job'), timeline: [{ afterSeconds: 0, status: 'ACTIVE' }] });

    const { response, polls } = await stack.deployment.deploy({
      requestType: 'Update',
      logicalId: waiter,
      parameters: { WaiterJobArn: jobArn('kept-job') },
      physicalResourceId: jobArn('failed-new-job'),
      oldProperties: { BatchSegmentJobArn: jobArn('failed-new-job') },
    });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: jobArn('kept-job'), Data: { Status: 'ACTIVE' } });
    expect(polls).toBe(1);
  });

  it('deletes at once when CloudFormation gives up on a wait whose job is still running', async () => {
    personalize.addJob({ batchSegmentJobArn: jobArn('still-running'), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }] });

    const { response, polls } = await stack.deployment.deploy({ requestType: 'Delete', logicalId: waiter, physicalResourceId: jobArn('still-running') });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: jobArn('still-running') });
    expect(polls).toBe(1);
    expect(personalize.calls).toHaveLength(0);
  });

  it('deletes successfully, calling nothing, while Personalize is failing', async () => {
    personalize.injectFaults(...Array.from({ length: 5 }, () => ({ kind: 'serverError' as const })));

    const { response } = await stack.deployment.deploy({ requestType: 'Delete', logicalId: waiter, physicalResourceId: jobArn('spring-promo') });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: jobArn('spring-promo') });
    expect(personalize.calls).toHaveLength(0);
  });
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
