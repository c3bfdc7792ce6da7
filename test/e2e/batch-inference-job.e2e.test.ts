import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchInferenceJob, BatchInferenceJobMode, BatchInferenceJobWaiter, BatchSegmentJob, BatchSegmentJobWaiter } from '../../lib';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: batch inference jobs, and both kinds side by side in one stack, deployed through the
 * provider framework's own code and the handler bundle from the cloud assembly, with the real AWS
 * SDK on the local Personalize endpoint. Created jobs follow the live service's statuses: ACTIVE
 * 10 minutes after their creation.
 */

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/movies/1a2b3c4d';
const INFERENCE_JOB_TYPE = 'Custom::PersonalizeBatchInferenceJob';
const SEGMENT_JOB_TYPE = 'Custom::PersonalizeBatchSegmentJob';
const INFERENCE_WAITER_TYPE = 'Custom::PersonalizeBatchInferenceJobWaiter';
const EXTERNAL_INFERENCE_JOB = 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/external';
const EXTERNAL_SEGMENT_JOB = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/external';

const { personalize, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let ids: { inferenceJob: string; themedJob: string; segmentJob: string; inferenceWaiter: string; nightlyWaiter: string; segmentWaiter: string };

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data');
    const batch = { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'batch/users.json' } };
    const nightly = new BatchInferenceJob(s, 'Nightly', {
      ...batch,
      output: { bucket, prefix: 'batch/recommendations/' },
      jobNamePrefix: 'nightly',
      numResults: 25,
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, rankingInfluence: { freshness: 0.5 } },
    });
    new BatchInferenceJob(s, 'Themed', {
      ...batch,
      output: { bucket, prefix: 'batch/themes/' },
      jobNamePrefix: 'themed',
      batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION,
      themeItemNameField: 'TITLE',
    });
    new BatchSegmentJob(s, 'Segments', { ...batch, output: { bucket, prefix: 'segments/out/' }, jobNamePrefix: 'segments' });
    new BatchInferenceJobWaiter(s, 'InferenceWaiter', { batchInferenceJobArn: EXTERNAL_INFERENCE_JOB });
    new BatchInferenceJobWaiter(s, 'NightlyWaiter', { batchInferenceJobArn: nightly.batchInferenceJobArn });
    new BatchSegmentJobWaiter(s, 'SegmentWaiter', { batchSegmentJobArn: EXTERNAL_SEGMENT_JOB });
  });
  ids = {
    inferenceJob: stack.waiterId('Nightly', INFERENCE_JOB_TYPE),
    themedJob: stack.waiterId('Themed', INFERENCE_JOB_TYPE),
    segmentJob: stack.waiterId('Segments', SEGMENT_JOB_TYPE),
    inferenceWaiter: stack.waiterId('InferenceWaiter', INFERENCE_WAITER_TYPE),
    nightlyWaiter: stack.waiterId('NightlyWaiter', INFERENCE_WAITER_TYPE),
    segmentWaiter: stack.waiterId('SegmentWaiter'),
  };
  personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
});

afterAll(() => stack.dispose());

beforeEach(() => personalize.removeJobs());

const ended = (afterSeconds: number, status = 'ACTIVE') => [
  { afterSeconds: 0, status: 'CREATE IN_PROGRESS' },
  { afterSeconds, status },
];

describe('a batch inference job', () => {
  it('creates one job with its configuration, waits for it, and answers the attributes a waiter on it answers', async () => {
    const { response, elapsedSeconds } = await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.inferenceJob });

    expect(response.Status).toBe('SUCCESS');
    expect(response.PhysicalResourceId).toMatch(/^arn:aws:personalize:us-east-1:111122223333:batch-inference-job\/nightly-[0-9a-f]{12}$/);
    expect(elapsedSeconds).toBe(600);
    expect(personalize.callsTo('CreateBatchInferenceJob')).toHaveLength(1);
    expect(personalize.callsTo('CreateBatchInferenceJob')[0].body).toMatchObject({
      numResults: 25,
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, rankingInfluence: { FRESHNESS: 0.5 } },
    });
    expect(response.Data).toMatchObject({
      Status: 'ACTIVE',
      NumResults: '25',
      OutputPath: expect.stringMatching(/^s3:\/\/data[0-9a-f]{8}\/batch\/recommendations\/[A-Za-z0-9-]+-[0-9a-f]{12}\/$/),
      BatchInferenceJobMode: 'BATCH_INFERENCE',
      BatchInferenceJobConfig: '{"itemExplorationConfig":{"explorationWeight":"0.3"},"rankingInfluence":{"FRESHNESS":0.5}}',
      ThemeItemNameField: '',
    });

    const { response: waited } = await stack.deployment.deploy({
      requestType: 'Create',
      logicalId: ids.nightlyWaiter,
    });
    expect(waited.PhysicalResourceId).toBe(response.PhysicalResourceId);
    expect(waited.Data).toEqual(response.Data);
  });

  it('creates a job with themes, naming the item-name field', async () => {
    const { response } = await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.themedJob });

    expect(response.Status).toBe('SUCCESS');
    expect(response.Data).toMatchObject({ BatchInferenceJobMode: 'THEME_GENERATION', ThemeItemNameField: 'TITLE' });
  });

  it('creates exactly one job when Personalize creates it but answers 500, and the request is delivered again', async () => {
    personalize.injectFaultsInto('CreateBatchInferenceJob', { kind: 'failAfterHandling' });

    const first = await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.inferenceJob, requestId: 'redelivered' });
    const again = await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.inferenceJob, requestId: 'redelivered' });

    expect(first.response.Status).toBe('SUCCESS');
    expect(again.response.PhysicalResourceId).toBe(first.response.PhysicalResourceId);
    expect(personalize.jobArns().filter((arn) => arn.includes(':batch-inference-job/nightly-'))).toHaveLength(1);
  });

  it('waits for a slot while the region has five batch inference jobs in flight, whatever the segment jobs do', async () => {
    for (let i = 1; i <= 5; i++) {
      personalize.addJob({ batchInferenceJobArn: `arn:aws:personalize:us-east-1:111122223333:batch-inference-job/busy-${i}`, timeline: ended(20 * 60) });
    }

    const [inference, segments] = await stack.deployment.deployTogether([
      { requestType: 'Create', logicalId: ids.inferenceJob },
      { requestType: 'Create', logicalId: ids.segmentJob },
    ]);

    expect(segments.response.Status).toBe('SUCCESS');
    expect(segments.elapsedSeconds).toBe(600);
    expect(inference.response.Status).toBe('SUCCESS');
    expect(inference.elapsedSeconds).toBe(30 * 60);
    expect(personalize.callsTo('CreateBatchInferenceJob').filter((call) => call.fault === undefined).length).toBeGreaterThan(1);
  });

  it('fails at once when the job to wait for does not exist, naming it', async () => {
    const { response, polls } = await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.inferenceWaiter });

    expect(response.Status).toBe('FAILED');
    expect(polls).toBe(0);
    expect(response.Reason).toContain(`Batch inference job ${EXTERNAL_INFERENCE_JOB} does not exist in us-east-1`);
  });

  it('fails with Personalize\'s reason when the job ends CREATE FAILED', async () => {
    personalize.addJob({ batchInferenceJobArn: EXTERNAL_INFERENCE_JOB, timeline: ended(300, 'CREATE FAILED'), failureReason: 'No items to recommend.' });

    const { response } = await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.inferenceWaiter });
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toContain(`Batch inference job ${EXTERNAL_INFERENCE_JOB} ended CREATE FAILED.`);
    expect(response.Reason).toContain("Personalize's reason: No items to recommend.");
  });

  it('deletes without calling Personalize', async () => {
    const created = (await stack.deployment.deploy({ requestType: 'Create', logicalId: ids.inferenceJob })).response.PhysicalResourceId;
    personalize.resetCallsAndFaults();
    personalize.injectFaults(...Array.from({ length: 5 }, () => ({ kind: 'serverError' as const })));

    const { response } = await stack.deployment.deploy({ requestType: 'Delete', logicalId: ids.inferenceJob, physicalResourceId: created });
    expect(response.Status).toBe('SUCCESS');
    expect(personalize.calls).toHaveLength(0);
  });
});

describe('both kinds side by side in one stack', () => {
  it('deploys two waiters and three jobs together, each answered with its own kind\'s attributes', async () => {
    personalize.addJob({ batchInferenceJobArn: EXTERNAL_INFERENCE_JOB, timeline: ended(5 * 60), numResults: 10, outputPath: 's3://elsewhere/recs/' });
    personalize.addJob({ batchSegmentJobArn: EXTERNAL_SEGMENT_JOB, timeline: ended(15 * 60), numResults: 500, outputPath: 's3://elsewhere/segments/' });

    const deployments = await stack.deployment.deployTogether([
      { requestType: 'Create', logicalId: ids.inferenceWaiter },
      { requestType: 'Create', logicalId: ids.segmentWaiter },
      { requestType: 'Create', logicalId: ids.inferenceJob },
      { requestType: 'Create', logicalId: ids.themedJob },
      { requestType: 'Create', logicalId: ids.segmentJob },
    ]);
    const [inferenceWaiter, segmentWaiter, inferenceJob, themedJob, segmentJob] = deployments;

    expect(deployments.map((deployment) => deployment.response.Status)).toEqual(Array(5).fill('SUCCESS'));
    expect(inferenceWaiter.elapsedSeconds).toBe(300);
    expect(segmentWaiter.elapsedSeconds).toBe(900);
    expect(inferenceWaiter.response.Data).toMatchObject({ NumResults: '10', OutputPath: 's3://elsewhere/recs/', BatchInferenceJobMode: 'BATCH_INFERENCE' });
    expect(segmentWaiter.response.Data).toMatchObject({ NumResults: '500', OutputPath: 's3://elsewhere/segments/' });
    expect(segmentWaiter.response.Data).not.toHaveProperty('BatchInferenceJobMode');
    expect(inferenceJob.response.PhysicalResourceId).toContain(':batch-inference-job/nightly-');
    expect(themedJob.response.Data).toMatchObject({ ThemeItemNameField: 'TITLE' });
    expect(segmentJob.response.PhysicalResourceId).toContain(':batch-segment-job/segments-');
    expect(personalize.callsTo('CreateBatchInferenceJob')).toHaveLength(2);
    expect(personalize.callsTo('CreateBatchSegmentJob')).toHaveLength(1);
  });
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
