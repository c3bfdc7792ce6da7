import { Duration, Stack } from 'aws-cdk-lib';
import * as personalizeL1 from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchSegmentJob, DatasetImportJob, DatasetImportSource, SolutionVersion } from '../../lib';
import { expectEveryGrantUsed, SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: data imported, a model trained on it and a batch job made from the model, deployed
 * in CloudFormation's order through the provider framework's own code on the local endpoint; then
 * deployed again after the data changed (everything runs again), and again unchanged (nothing does).
 */

const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';
const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';

function pipeline(dataVersion: string): (stack: Stack) => void {
  return (stack) => {
    const group = new personalizeL1.CfnDatasetGroup(stack, 'Group', { name: 'promo' });
    const schema = new personalizeL1.CfnSchema(stack, 'Schema', { name: 'promo-interactions', schema: '{}' });
    const dataset = new personalizeL1.CfnDataset(stack, 'Dataset', {
      name: 'promo-interactions',
      datasetType: 'Interactions',
      datasetGroupArn: group.attrDatasetGroupArn,
      schemaArn: schema.attrSchemaArn,
    });
    const data = new s3.Bucket(stack, 'Data');
    const imported = new DatasetImportJob(stack, 'Import', {
      datasetArn: dataset.attrDatasetArn,
      source: DatasetImportSource.fromBucket(data, 'interactions.csv', { dataVersion }),
      jobNamePrefix: 'interactions',
    });
    const solution = new personalizeL1.CfnSolution(stack, 'Solution', { name: 'promo', datasetGroupArn: group.attrDatasetGroupArn });
    const model = new SolutionVersion(stack, 'Model', { solutionArn: solution.attrSolutionArn, datasetImportJobs: [imported], timeout: Duration.hours(3) });
    new BatchSegmentJob(stack, 'Segments', {
      solutionVersionArn: model.solutionVersionArn,
      input: { bucket: data, key: 'segments/items.json' },
      output: { bucket: data, prefix: 'segments/out/' },
      pollInterval: Duration.minutes(1),
    });
  };
}

const { personalize, iam } = useLocalPersonalize();
let first: SynthesizedStack;
let changed: SynthesizedStack;
let order: string[];

beforeAll(() => {
  first = new SynthesizedStack(pipeline('2026-11-28'));
  changed = new SynthesizedStack(pipeline('2026-11-29'));
  const { deployment } = first;
  order = [
    ...deployment.chainOf('Import', 'Custom::PersonalizeDatasetImportJob'),
    ...deployment.chainOf('Model', 'Custom::PersonalizeSolutionVersion'),
    ...deployment.chainOf('Segments', 'Custom::PersonalizeBatchSegmentJob'),
  ];
});

afterAll(() => {
  first.dispose();
  changed.dispose();
});

const counts = () => ({
  imports: personalize.imports.importArns().length,
  trainings: personalize.trainings.versionArns().length,
  segmentJobs: personalize.jobArns().length,
});

it('imports, then trains on the imported data, then makes segments; runs all three again when the data changes, and nothing when it does not', async () => {
  personalize.imports.addDataset(DATASET_ARN, { activeAfterSeconds: 300 });
  personalize.trainings.addSolution(SOLUTION_ARN);

  const created = await first.deployment.deployStack(order);
  expect(created.failed).toBeUndefined();
  expect(counts()).toEqual({ imports: 1, trainings: 1, segmentJobs: 1 });
  const [importCall] = personalize.callsTo('CreateDatasetImportJob').filter((call) => call.fault === undefined && personalize.imports.importArns().length > 0);
  const [trainingCall] = personalize.callsTo('CreateSolutionVersion');
  expect(importCall.body).toMatchObject({ datasetArn: DATASET_ARN, dataSource: { dataLocation: expect.stringMatching(/^s3:\/\/data[0-9a-f]{8}\/interactions\.csv$/) } });
  // The training starts after the import has ended (15 minutes after it started), the segments after the training.
  expect(trainingCall.at).toBeGreaterThanOrEqual(importCall.at + 900 * 1000);
  expect(personalize.callsTo('CreateBatchSegmentJob')[0].at).toBeGreaterThanOrEqual(trainingCall.at + 7200 * 1000);

  const rerun = await first.deployment.redeployStack(changed.outdir, 'Local', order);
  expect([...rerun.updated.values()].every((update) => update.response.Status === 'SUCCESS')).toBe(true);
  expect(counts()).toEqual({ imports: 2, trainings: 2, segmentJobs: 2 });
  const [, newVersion] = personalize.trainings.versionArns();
  expect(personalize.callsTo('CreateBatchSegmentJob')[1].body.solutionVersionArn).toBe(newVersion);

  personalize.resetCallsAndFaults();
  const unchanged = await first.deployment.redeployStack(changed.outdir, 'Local', order);
  expect(unchanged.updated.size).toBe(0);
  expect(counts()).toEqual({ imports: 2, trainings: 2, segmentJobs: 2 });
  expect(personalize.calls).toHaveLength(0);
});

it('stops the training that started on the imported data when the stack is deleted mid-training', async () => {
  first.undeploy();
  personalize.imports.removeAll();
  personalize.trainings.removeAll();
  personalize.removeJobs();
  personalize.imports.addDataset(DATASET_ARN);
  personalize.trainings.addSolution(SOLUTION_ARN);
  const imports = order.filter((id) => id.startsWith('Import'));
  const [firstTrainingLink] = order.filter((id) => id.startsWith('Model'));
  expect((await first.deployment.deployStack(imports)).failed).toBeUndefined();

  const link = await first.deployment.deploy({ requestType: 'Create', logicalId: firstTrainingLink });
  const deletion = await first.deployment.deploy({ requestType: 'Delete', logicalId: firstTrainingLink, physicalResourceId: link.response.PhysicalResourceId });

  expect(deletion.response.Status).toBe('SUCCESS');
  const [version] = personalize.trainings.versionArns();
  expect(personalize.trainings.wasStopped(version)).toBe(true);
});

it('grants its handlers and job roles nothing that no call of this file used', () => expectEveryGrantUsed(iam));
