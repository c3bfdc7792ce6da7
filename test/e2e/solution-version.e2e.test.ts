import { Duration } from 'aws-cdk-lib';
import * as personalizeL1 from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchSegmentJob, BatchSegmentJobWaiter, SolutionVersion } from '../../lib';
import { ownerHash } from '../../lambda/engine/job-name';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: a stack that trains a version from a CfnSolution, gates it on its metrics and feeds
 * it to a batch segment job, deployed in CloudFormation's order (and rolled back as it would be)
 * through the provider framework's own code and the handler bundle, with the real AWS SDK on the
 * local Personalize endpoint. Trainings take two hours unless a test says otherwise.
 */

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const TRAINING_TYPE = 'Custom::PersonalizeSolutionVersion';
const SEGMENT_JOB_TYPE = 'Custom::PersonalizeBatchSegmentJob';
const TWO_HOURS = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 7200, status: 'ACTIVE' },
];

const { personalize, logs, iam } = useLocalPersonalize();
let stack: SynthesizedStack;
let training: string[];
let job: string[];
let broken: string;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const solution = new personalizeL1.CfnSolution(s, 'Solution', {
      name: 'promo',
      datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo',
      recipeArn: 'arn:aws:personalize:::recipe/aws-item-affinity',
    });
    const version = new SolutionVersion(s, 'Model', {
      solutionArn: solution.attrSolutionArn,
      namePrefix: 'model',
      minimumMetrics: { precision_at_5: 0.05 },
      timeout: Duration.hours(3),
    });
    version.metric('coverage');
    const bucket = new s3.Bucket(s, 'Data');
    new BatchSegmentJob(s, 'Segments', {
      solutionVersionArn: version.solutionVersionArn,
      input: { bucket, key: 'segments/items.json' },
      output: { bucket, prefix: 'segments/out/' },
      jobNamePrefix: 'segments',
      pollInterval: Duration.minutes(1),
    });
    new BatchSegmentJobWaiter(s, 'Broken', { batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/missing', pollInterval: Duration.minutes(1) });
  });
  training = stack.deployment.chainOf('Model', TRAINING_TYPE);
  job = stack.deployment.chainOf('Segments', SEGMENT_JOB_TYPE);
  broken = stack.waiterId('Broken');
});

afterAll(() => stack.dispose());

beforeEach(() => {
  personalize.removeJobs();
  personalize.trainings.removeAll();
});

function runningTrainings(): string[] {
  return personalize.trainings.versionArns().filter((arn) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(personalize.trainings.statusOf(arn)!));
}

describe('a training whose create CloudFormation cancels', () => {
  const STACK_ID = 'arn:aws:cloudformation:us-east-1:111122223333:stack/Local/8d3e4b60-0000-0000-0000-000000000000';

  it('is stopped by the rollback\'s Delete with a made-up id, which never stops a training of another resource with the same namePrefix, or one by hand', async () => {
    stack.undeploy();
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS });
    const sameStackSamePrefix = personalize.trainings.startTraining(SOLUTION_ARN, `model-${ownerHash(STACK_ID, 'OtherModel1A2B3C4D')}abcdef`);
    const otherStackSamePrefix = personalize.trainings.startTraining(SOLUTION_ARN, `model-${ownerHash(STACK_ID.replace('/Local/', '/Other/'), training[0])}abcdef`);
    const byHand = personalize.trainings.startTraining(SOLUTION_ARN, 'model-by-hand');

    const { failed, cancelled, rolledBack } = await stack.deployment.deployStack([...training, broken]);

    expect(failed?.response.LogicalResourceId).toBe(broken);
    expect(cancelled).toEqual([training[0]]);
    const deletion = rolledBack.find((answer) => answer.response.LogicalResourceId === training[0])!;
    expect(deletion.response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: expect.stringMatching(/^Local-Model.*-[0-9A-F]{12}$/) });
    const ours = personalize.trainings.versionArns().filter((arn) => ![sameStackSamePrefix, otherStackSamePrefix, byHand].includes(arn));
    expect(ours).toHaveLength(1);
    expect(personalize.trainings.wasStopped(ours[0])).toBe(true);
    expect(runningTrainings()).toEqual([sameStackSamePrefix, otherStackSamePrefix, byHand]);
  });
});

describe('a stack that trains, gates and uses a version', () => {
  it('deploys in order with one training: the batch job starts from the trained version after it passed the gate', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS, metrics: { precision_at_5: 0.09, coverage: 0.3 } });

    const deployment = await stack.deployment.deployStack([...training, ...job]);

    expect(training).toHaveLength(4);
    expect(deployment.failed).toBeUndefined();
    const [versionArn] = personalize.trainings.versionArns();
    expect(personalize.trainings.versionArns()).toHaveLength(1);
    expect(personalize.callsTo('CreateSolutionVersion')).toHaveLength(1);
    const trained = deployment.created[training.length - 1].response;
    expect(trained.Data).toMatchObject({ SolutionVersionArn: versionArn, Status: 'ACTIVE', 'Metric.precision_at_5': '0.09', 'Metric.coverage': '0.3', TrainingHours: '1.917' });
    const [createJob] = personalize.callsTo('CreateBatchSegmentJob');
    expect(createJob.body.solutionVersionArn).toBe(versionArn);
    const activeAt = personalize.callsTo('CreateSolutionVersion')[0].at + 7200 * 1000;
    expect(createJob.at).toBeGreaterThanOrEqual(activeAt);
  });

  it('stops before the batch job when the version fails the gate, naming the metric, and rolls back without stopping anything', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS, metrics: { precision_at_5: 0.01, coverage: 0.3 } });

    const deployment = await stack.deployment.deployStack([...training, ...job]);

    expect(deployment.failed?.response.Reason).toContain('did not pass the quality gate: precision_at_5 is 0.01, below its minimum of 0.05');
    expect(personalize.callsTo('CreateBatchSegmentJob')).toHaveLength(0);
    expect(deployment.rolledBack.every((deletion) => deletion.response.Status === 'SUCCESS')).toBe(true);
    expect(personalize.callsTo('StopSolutionVersionCreation')).toHaveLength(0);
  });

  it('waits for a solution that is not ACTIVE yet, then trains it once', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { activeAfterSeconds: 900, timeline: TWO_HOURS });

    const deployment = await stack.deployment.deployStack(training);

    expect(deployment.failed).toBeUndefined();
    expect(personalize.trainings.versionArns()).toHaveLength(1);
    expect(personalize.callsTo('CreateSolutionVersion')[0].fault).toBeUndefined();
    expect(personalize.callsTo('CreateSolutionVersion').length).toBeGreaterThan(1);
    expect(logs.text).toContain(`solution ${SOLUTION_ARN} is not ready to train`);
  });

  it('lets a later link start the training when the solution became ACTIVE after the first link\'s hour, under the first link\'s name', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { activeAfterSeconds: 70 * 60, timeline: TWO_HOURS });
    const first = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[0] });
    expect(personalize.trainings.versionArns()).toHaveLength(0);

    const second = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[1] });

    expect(second.response.PhysicalResourceId).toBe(first.response.PhysicalResourceId);
    expect(personalize.trainings.versionArns()).toHaveLength(1);
    const created = personalize.callsTo('CreateSolutionVersion').filter((call) => call.fault === undefined);
    expect(`${SOLUTION_ARN}#${created[created.length - 1].body.name}`).toBe(first.response.PhysicalResourceId);

    // The rollback's Delete of the first link stops the training the second link started.
    await stack.deployment.deploy({ requestType: 'Delete', logicalId: training[0], physicalResourceId: first.response.PhysicalResourceId });
    expect(runningTrainings()).toHaveLength(0);
  });

  it('waits for a slot while the region has 20 trainings in progress', async () => {
    const other = 'arn:aws:personalize:us-east-1:111122223333:solution/other';
    personalize.trainings.addSolution(other, { timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 1800, status: 'ACTIVE' }] });
    Array.from({ length: 20 }, () => personalize.trainings.startTraining(other));
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS });

    const deployment = await stack.deployment.deployStack(training);

    expect(deployment.failed).toBeUndefined();
    const creates = personalize.callsTo('CreateSolutionVersion');
    expect(creates[0].at).toBeLessThan(creates[creates.length - 1].at);
    expect(personalize.trainings.versionArns().filter((arn) => arn.startsWith(`${SOLUTION_ARN}/`))).toHaveLength(1);
  });
});

describe('money', () => {
  it('starts one training when the Create is answered with a fault after Personalize carried it out', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS });
    personalize.injectFaultsInto('CreateSolutionVersion', { kind: 'failAfterHandling' });

    const { response } = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[0] });

    expect(response.Status).toBe('SUCCESS');
    expect(personalize.callsTo('CreateSolutionVersion')).toHaveLength(1);
    expect(personalize.trainings.versionArns()).toHaveLength(1);
  });

  it('starts one training when the same Create request is delivered twice', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS });

    const first = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[0], requestId: 'redelivered' });
    const second = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[0], requestId: 'redelivered' });

    expect(second.response.PhysicalResourceId).toBe(first.response.PhysicalResourceId);
    expect(personalize.trainings.versionArns()).toHaveLength(1);
  });

  it('leaves no training running when another resource fails the deployment while the version trains', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS });

    // CloudFormation creates both at once; the broken waiter fails at once, the first link hands
    // over after its hour with the training still running, and then the rollback deletes both.
    const [link, failed] = await stack.deployment.deployTogether([
      { requestType: 'Create', logicalId: training[0] },
      { requestType: 'Create', logicalId: broken },
    ]);
    expect(failed.response.Status).toBe('FAILED');
    expect(link.response.Status).toBe('SUCCESS');
    expect(runningTrainings()).toHaveLength(1);

    const deletion = await stack.deployment.deploy({ requestType: 'Delete', logicalId: training[0], physicalResourceId: link.response.PhysicalResourceId });

    expect(deletion.response.Status).toBe('SUCCESS');
    expect(personalize.callsTo('StopSolutionVersionCreation')).toHaveLength(1);
    expect(runningTrainings()).toHaveLength(0);
    expect(personalize.trainings.statusOf(personalize.trainings.versionArns()[0])).toBe('CREATE STOPPING');
  });

  it('leaves no training running when the stack is deleted mid-training, and deleting a trained version changes nothing', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: TWO_HOURS });
    const link = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[0] });
    await stack.deployment.deploy({ requestType: 'Delete', logicalId: training[0], physicalResourceId: link.response.PhysicalResourceId });
    expect(runningTrainings()).toHaveLength(0);

    personalize.trainings.removeAll();
    personalize.resetCallsAndFaults();
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 600, status: 'ACTIVE' }] });
    const trained = await stack.deployment.deploy({ requestType: 'Create', logicalId: training[0] });
    const deletion = await stack.deployment.deploy({ requestType: 'Delete', logicalId: training[0], physicalResourceId: trained.response.PhysicalResourceId });
    expect(deletion.response.Status).toBe('SUCCESS');
    expect(personalize.callsTo('StopSolutionVersionCreation')).toHaveLength(0);
    expect(personalize.trainings.statusOf(personalize.trainings.versionArns()[0])).toBe('ACTIVE');
  });

  it('stops the training itself when the wait times out, and the rollback finds nothing left to stop', async () => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 6 * 3600, status: 'ACTIVE' }] });

    const deployment = await stack.deployment.deployStack(training);

    expect(deployment.failed?.response.Reason).toMatch(/^Asked Personalize to stop the solution version, which was still running\. Gave up waiting .* after 3h/);
    expect(deployment.rolledBack.every((deletion) => deletion.response.Status === 'SUCCESS')).toBe(true);
    expect(personalize.callsTo('StopSolutionVersionCreation')).toHaveLength(1);
    expect(runningTrainings()).toHaveLength(0);
  });
});

it('adopts, on a new Create after the stack lost its resource, the version it trained from the same definition, reading its tag', async () => {
  personalize.trainings.addSolution(SOLUTION_ARN, { timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 600, status: 'ACTIVE' }], metrics: { precision_at_5: 0.09, coverage: 0.3 } });
  const trained = await stack.deployment.deployStack(training);
  expect(trained.failed).toBeUndefined();
  stack.undeploy();
  personalize.resetCallsAndFaults();

  const again = await stack.deployment.deployStack(training);

  expect(again.failed).toBeUndefined();
  expect(again.created[0].response.Data?.Reused).toBe('true');
  expect(personalize.callsTo('ListTagsForResource')).toHaveLength(1);
  expect(personalize.callsTo('CreateSolutionVersion')).toHaveLength(0);
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
