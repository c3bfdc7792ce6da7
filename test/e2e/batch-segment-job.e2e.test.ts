import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchSegmentJob, BatchSegmentJobWaiter } from '../../lib';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: BatchSegmentJobs of a synthesized stack, deployed through the provider framework's
 * own code and the handler bundle from the cloud assembly, with the real AWS SDK creating and
 * describing jobs on the local Personalize endpoint. Created jobs follow the live service's
 * statuses: CREATE PENDING, CREATE IN_PROGRESS after 1 minute, ACTIVE after 10.
 */

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
const JOB_TYPE = 'Custom::PersonalizeBatchSegmentJob';
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let job: string;
let waiter: string;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data');
    const props = {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'segments/queries.json' },
      output: { bucket, prefix: 'segments/out/' },
      numResults: 100_000,
    };
    const springPromo = new BatchSegmentJob(s, 'SpringPromo', { ...props, jobNamePrefix: 'spring-promo' });
    new BatchSegmentJob(s, 'LongPromo', { ...props, jobNamePrefix: 'long-promo', timeout: Duration.hours(2) });
    new BatchSegmentJobWaiter(s, 'Waiter', { batchSegmentJobArn: springPromo.batchSegmentJobArn });
  });
  job = stack.waiterId('SpringPromo', JOB_TYPE);
  waiter = stack.waiterId('Waiter');
  personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
});

afterAll(() => stack.dispose());

// Each test starts on a fresh clock: jobs left from another would count against the region's limit.
beforeEach(() => personalize.removeJobs());

/** The jobs the endpoint holds whose names start with `prefix-`. */
const jobsNamed = (prefix: string) => personalize.jobArns().filter((arn) => arn.split('/')[1].startsWith(`${prefix}-`));

/** Fills us-east-1 with five jobs in flight that end `afterSeconds` from now. */
function fillRegion(name: string, afterSeconds: number): void {
  for (let i = 1; i <= 5; i++) {
    personalize.addJob({
      batchSegmentJobArn: `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/${name}-${i}`,
      timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds, status: 'ACTIVE' }],
    });
  }
}

describe('creating a job', () => {
  it('creates one job, waits for it, and answers with the same attributes as a waiter on that job', async () => {
    const { response, elapsedSeconds } = await stack.deployment.deploy({ requestType: 'Create', logicalId: job });

    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toMatch(/^arn:aws:personalize:us-east-1:111122223333:batch-segment-job\/spring-promo-[0-9a-f]{12}$/);
    expect(jobsNamed('spring-promo')).toEqual([response.PhysicalResourceId]);
    expect(personalize.callsTo('CreateBatchSegmentJob')).toHaveLength(1);
    expect(elapsedSeconds).toBe(600);
    expect(personalize.jobOf(response.PhysicalResourceId)).toMatchObject({
      solutionVersionArn: SOLUTION_VERSION_ARN,
      roleArn: expect.stringMatching(/^arn:aws:iam::111122223333:role\/SpringPromoRole/),
      inputPath: expect.stringMatching(/^s3:\/\/data[0-9a-f]{8}\/segments\/queries\.json$/),
      outputPath: expect.stringMatching(/^s3:\/\/data[0-9a-f]{8}\/segments\/out\/spring-promo-[0-9a-f]{12}\/$/),
      numResults: 100000,
    });

    const { response: waited } = await stack.deployment.deploy({ requestType: 'Create', logicalId: waiter });
    expect(waited.PhysicalResourceId).toBe(response.PhysicalResourceId);
    expect(response.Data).toEqual(waited.Data);
    expect(response.Data).toMatchObject({ Status: 'ACTIVE', NumResults: '100000', JobName: response.PhysicalResourceId.split('/')[1] });
  });

  it('creates exactly one job when Personalize creates it but answers 500, and the whole request is delivered again', async () => {
    personalize.injectFaultsInto('CreateBatchSegmentJob', { kind: 'failAfterHandling' });

    const first = await stack.deployment.deploy({ requestType: 'Create', logicalId: job, requestId: 'redelivered-request' });
    const again = await stack.deployment.deploy({ requestType: 'Create', logicalId: job, requestId: 'redelivered-request' });

    expect(first.response.Status).toBe('SUCCESS');
    expect(again.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.response.PhysicalResourceId, Data: { Status: 'ACTIVE' } });
    expect(jobsNamed('spring-promo')).toEqual([first.response.PhysicalResourceId]);
    // One Create, answered 500: the SDK does not retry it, and the first poll's Describe finds the job.
    expect(personalize.callsTo('CreateBatchSegmentJob')).toHaveLength(1);
    expect(again.polls).toBe(1);
  });

  it('gives each new request its own job', async () => {
    const first = await stack.deployment.deploy({ requestType: 'Create', logicalId: job });
    const second = await stack.deployment.deploy({ requestType: 'Create', logicalId: job });
    expect(second.response.PhysicalResourceId).not.toBe(first.response.PhysicalResourceId);
    expect(jobsNamed('spring-promo').sort()).toEqual([first.response.PhysicalResourceId, second.response.PhysicalResourceId].sort());
  });

  it('waits for a slot while the region is at its limit of five jobs in flight, then creates the job', async () => {
    fillRegion('busy', 20 * 60);

    const { response, elapsedSeconds } = await stack.deployment.deploy({ requestType: 'Create', logicalId: job });

    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'ACTIVE' } });
    expect(jobsNamed('spring-promo')).toEqual([response.PhysicalResourceId]);
    // Refused by onEvent and by each poll until the busy jobs end at 20 minutes; the job then takes its 10.
    const creates = personalize.callsTo('CreateBatchSegmentJob');
    expect(creates).toHaveLength(1 + 20 * 2 + 1);
    expect(creates[creates.length - 1].at - creates[0].at).toBe(20 * 60 * 1000);
    expect(elapsedSeconds).toBe(30 * 60);
  });

  it('fails at once, naming the solution version, when it does not exist', async () => {
    const missing = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/00000000';
    const properties = stack.deployment.requestPropertiesOf(job);

    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: job, properties: { Job: { ...properties.Job, SolutionVersionArn: missing } } });

    expect(response.Status).toBe('FAILED');
    expect(response.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
    expect(response.Reason).toMatch(new RegExp(`Could not create batch segment job spring-promo-[0-9a-f]{12} in us-east-1\\. Personalize could not find the solution version ${missing}`));
    expect(polls).toBe(0);
  });
});

describe('updating and deleting', () => {
  type Properties = ReturnType<typeof stack.deployment.requestPropertiesOf>;

  /** Creates the job, then sends it an Update with the new and old settings `settings` makes of the deployed ones. */
  async function createThenUpdate(settings: (deployed: Properties) => { properties: Properties; oldProperties: Properties }) {
    const created = (await stack.deployment.deploy({ requestType: 'Create', logicalId: job })).response.PhysicalResourceId;
    const createsBefore = personalize.callsTo('CreateBatchSegmentJob').length;
    const update = await stack.deployment.deploy({ requestType: 'Update', logicalId: job, physicalResourceId: created, ...settings(stack.deployment.requestPropertiesOf(job)) });
    return { created, ...update, createsDuringUpdate: personalize.callsTo('CreateBatchSegmentJob').length - createsBefore };
  }

  it('keeps the job when only the timeout changed, and answers at once', async () => {
    const { created, response, polls, createsDuringUpdate } = await createThenUpdate((deployed) => ({
      properties: { TimeoutSeconds: '1800' },
      oldProperties: deployed,
    }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created, Data: { Status: 'ACTIVE' } });
    expect(polls).toBe(1);
    expect(createsDuringUpdate).toBe(0);
  });

  it('starts a new job when numResults changed', async () => {
    const { created, response, elapsedSeconds, createsDuringUpdate } = await createThenUpdate((deployed) => ({
      properties: { Job: { ...deployed.Job, NumResults: '500' } },
      oldProperties: deployed,
    }));

    expect(response).toMatchObject({ Status: 'SUCCESS', Data: { Status: 'ACTIVE', NumResults: '500' } });
    expect(response.PhysicalResourceId).not.toBe(created);
    expect(createsDuringUpdate).toBe(1);
    expect(elapsedSeconds).toBe(600);
  });

  it('rolls a failed update back to the job it still points at, starting none', async () => {
    // The provider framework answers a failed Update with the resource's old physical id, so
    // CloudFormation rolls back with the old settings on that id.
    const { created, response, polls, createsDuringUpdate } = await createThenUpdate((deployed) => ({
      properties: deployed,
      oldProperties: { ...deployed, Job: { ...deployed.Job, NumResults: '500' } },
    }));

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created, Data: { Status: 'ACTIVE', NumResults: '100000' } });
    expect(polls).toBe(1);
    expect(createsDuringUpdate).toBe(0);
  });

  it('deletes without touching Personalize, leaving the job in place', async () => {
    const created = (await stack.deployment.deploy({ requestType: 'Create', logicalId: job })).response.PhysicalResourceId;
    personalize.resetCallsAndFaults();

    const { response } = await stack.deployment.deploy({ requestType: 'Delete', logicalId: job, physicalResourceId: created });

    expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: created });
    expect(personalize.calls).toHaveLength(0);
    expect(personalize.statusOf(created)).toBe('ACTIVE');
  });
});

describe('a job whose wait is relayed over more than an hour', () => {
  it('lets a later link create the job when the region stays full through the first link\'s hour', async () => {
    fillRegion('crowded', 70 * 60);
    const links = stack.deployment.chainOf('LongPromo', JOB_TYPE);
    expect(links).toHaveLength(3);

    const first = await stack.deployment.deploy({ requestType: 'Create', logicalId: links[0] });
    expect(first.response).toMatchObject({ Status: 'SUCCESS', Data: { Status: '' } });
    expect(jobsNamed('long-promo')).toHaveLength(0);

    const second = await stack.deployment.deploy({ requestType: 'Create', logicalId: links[1] });
    expect(second.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: first.response.PhysicalResourceId, Data: { Status: 'ACTIVE' } });
    expect(jobsNamed('long-promo')).toEqual([first.response.PhysicalResourceId]);
  });
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
