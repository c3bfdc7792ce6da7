import { Duration } from 'aws-cdk-lib';
import * as personalizeL1 from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchInferenceJob, BatchSegmentJob, DatasetImportJob, DatasetImportSource, SolutionVersion } from '../../lib';
import { SynthesizedStack, useLocalPersonalize } from '../support/local-stack';

/*
 * End to end: what a user sees when IAM refuses one of the calls. Each test takes one grant out
 * of the synthesized template, as a permissions boundary or an edited policy would, and deploys
 * one construct of a kind: the deployment fails within IAM's propagation retry (a minute or two,
 * never the hour), and the reason names the refused action, its resource and what to do.
 */

const ACCOUNT = 'arn:aws:personalize:us-east-1:111122223333';
const SOLUTION_VERSION_ARN = `${ACCOUNT}:solution/movies/1a2b3c4d`;
const DATASET_ARN = `${ACCOUNT}:dataset/promo/INTERACTIONS`;
const SOLUTION_ARN = `${ACCOUNT}:solution/promo`;

type Template = Parameters<SynthesizedStack['editTemplate']>[0] extends (template: infer T) => void ? T : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Statement = any;

const { personalize } = useLocalPersonalize();
let stack: SynthesizedStack;

beforeAll(() => {
  stack = new SynthesizedStack((s) => {
    const bucket = new s3.Bucket(s, 'Data');
    const batch = { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'batch/in.json' } };
    new BatchSegmentJob(s, 'Segments', { ...batch, output: { bucket, prefix: 'segments/' }, jobNamePrefix: 'segments' });
    new BatchInferenceJob(s, 'Recommendations', { ...batch, output: { bucket, prefix: 'recommendations/' }, jobNamePrefix: 'recommendations' });
    new DatasetImportJob(s, 'Import', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromBucket(bucket, 'interactions.csv'), jobNamePrefix: 'interactions' });
    const solution = new personalizeL1.CfnSolution(s, 'Solution', { name: 'promo', datasetGroupArn: `${ACCOUNT}:dataset-group/promo` });
    new SolutionVersion(s, 'Model', { solutionArn: solution.attrSolutionArn, namePrefix: 'model', timeout: Duration.hours(3) });
  });
});

afterAll(() => stack.dispose());

beforeEach(() => {
  stack.restoreTemplate();
  personalize.removeJobs();
  personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
  personalize.imports.removeAll();
  personalize.imports.addDataset(DATASET_ARN);
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(SOLUTION_ARN);
});

/** The statements of the handlers' policy. */
function handlerStatements(template: Template): Statement[] {
  const [policy] = Object.entries(template.Resources).filter(([id, resource]) => resource.Type === 'AWS::IAM::Policy' && id.startsWith('PersonalizeJobHandlersRoleDefaultPolicy'));
  return (policy[1].Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

/** Takes `action` out of the handlers' policy: on `resource` alone (a resource the statement lists), or altogether. */
function withoutGrant(action: string, resource?: (value: unknown) => boolean): void {
  stack.editTemplate((template) => {
    const statements = handlerStatements(template);
    const index = statements.findIndex((statement) => statement.Action === action);
    expect(index).toBeGreaterThanOrEqual(0);
    if (resource === undefined) {
      statements.splice(index, 1);
      return;
    }
    const resources = [statements[index].Resource].flat();
    expect(resources.some(resource)).toBe(true);
    statements[index].Resource = resources.filter((value) => !resource(value));
  });
}

/** The first link of a construct's chain, whose Create starts the work. */
const firstLinkOf = (constructId: string, type: string) => stack.deployment.chainOf(constructId, type)[0];

async function deployFailing(constructId: string, type: string): Promise<{ reason: string; elapsedSeconds: number }> {
  const { response, elapsedSeconds } = await stack.deployment.deploy({ requestType: 'Create', logicalId: firstLinkOf(constructId, type) });
  expect(response.Status).toBe('FAILED');
  // Within IAM's propagation retry (a minute), and its polls: never CloudFormation's hour.
  expect(elapsedSeconds).toBeLessThanOrEqual(2 * 60);
  return { reason: response.Reason, elapsedSeconds };
}

const GRANTED_BUT_BLOCKED = "This library grants its handlers' role";

it('a batch segment job whose Create is refused: the reason names CreateBatchSegmentJob on the job, and no job starts', async () => {
  withoutGrant('personalize:CreateBatchSegmentJob');

  const { reason } = await deployFailing('Segments', 'Custom::PersonalizeBatchSegmentJob');

  expect(reason).toMatch(new RegExp(`^Access to batch segment job ${ACCOUNT}:batch-segment-job/segments-[0-9a-f]{12} is still denied after 1m\\. AWS refused personalize:CreateBatchSegmentJob on ${ACCOUNT}:batch-segment-job/segments-[0-9a-f]{12}\\. ${GRANTED_BUT_BLOCKED} personalize:CreateBatchSegmentJob`));
  expect(reason).toContain('is not authorized to perform: personalize:CreateBatchSegmentJob');
  expect(personalize.jobArns()).toEqual([]);
});

it('a batch inference job refused on its solution version: the reason names CreateBatchInferenceJob on the version', async () => {
  withoutGrant('personalize:CreateBatchInferenceJob', (value) => value === SOLUTION_VERSION_ARN);

  const { reason } = await deployFailing('Recommendations', 'Custom::PersonalizeBatchInferenceJob');

  expect(reason).toContain(`AWS refused personalize:CreateBatchInferenceJob on ${SOLUTION_VERSION_ARN}. ${GRANTED_BUT_BLOCKED} personalize:CreateBatchInferenceJob for this batch inference job`);
  expect(personalize.jobArns()).toEqual([]);
});

it('a dataset import refused on its dataset: the reason names CreateDatasetImportJob on the dataset, and nothing is imported', async () => {
  withoutGrant('personalize:CreateDatasetImportJob', (value) => value === DATASET_ARN);

  const { reason } = await deployFailing('Import', 'Custom::PersonalizeDatasetImportJob');

  expect(reason).toContain(`AWS refused personalize:CreateDatasetImportJob on ${DATASET_ARN}. ${GRANTED_BUT_BLOCKED} personalize:CreateDatasetImportJob for this dataset import job`);
  expect(personalize.imports.importArns()).toEqual([]);
});

it('a training whose lookup is refused (ListSolutionVersions): the reason names it, and no training starts, so none bills', async () => {
  withoutGrant('personalize:ListSolutionVersions');

  const { reason } = await deployFailing('Model', 'Custom::PersonalizeSolutionVersion');

  expect(reason).toContain(`AWS refused personalize:ListSolutionVersions on *. ${GRANTED_BUT_BLOCKED} personalize:ListSolutionVersions for this solution version`);
  expect(personalize.trainings.versionArns()).toEqual([]);
  expect(personalize.callsTo('CreateSolutionVersion')).toEqual([]);
});

it('a bucket policy without Personalize\'s statement: Personalize refuses the Create, and the reason says to check what the role may read', async () => {
  stack.editTemplate((template) => {
    const [policy] = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::S3::BucketPolicy');
    const document = policy.Properties.PolicyDocument as { Statement: Statement[] };
    // Both batch jobs read the same input: each added the same statement.
    const isPersonalizeRead = (statement: Statement) => statement.Action === 's3:GetObject' && JSON.stringify(statement.Principal).includes('personalize.amazonaws.com');
    expect(document.Statement.filter(isPersonalizeRead)).toHaveLength(2);
    document.Statement = document.Statement.filter((statement) => !isPersonalizeRead(statement));
  });

  const { reason } = await deployFailing('Segments', 'Custom::PersonalizeBatchSegmentJob');

  expect(reason).toMatch(
    /^Could not create batch segment job segments-[0-9a-f]{12} in us-east-1\. Personalize could not reach the batch segment job's data with its role: .* the bucket policy \(for the service personalize\.amazonaws\.com\)/,
  );
  expect(reason).toMatch(/\(InvalidInputException: Insufficient privileges for accessing data in S3 s3:\/\/data[0-9a-f]{8}\/batch\/in\.json\.\)/);
  expect(personalize.jobArns()).toEqual([]);
});
