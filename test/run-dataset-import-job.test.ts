import { Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as path from 'path';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DatasetImportJob, DatasetImportJobWaiter, DatasetImportSource, ImportMode, RunDatasetImportJob, RunDatasetImportJobProps } from '../lib';
import { Json, stateMachineRoleStatements, stateMachineStack } from './support/state-machine-template';

const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';
const IMPORT_PATTERN = 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/nightly-????????????????????????????????';
const SAMPLE_FILE = path.join(__dirname, '..', 'bin', 'pipeline-data', 'interactions.csv');

function runStack(props: Partial<RunDatasetImportJobProps> = {}, build?: (stack: Stack, bucket: s3.Bucket) => sfn.IChainable) {
  return stateMachineStack(
    (stack, bucket) =>
      build?.(stack, bucket) ??
      new RunDatasetImportJob(stack, 'Import', {
        datasetArn: DATASET_ARN,
        source: DatasetImportSource.fromBucket(bucket, 'daily/'),
        importMode: ImportMode.INCREMENTAL,
        jobNamePrefix: 'nightly',
        ...props,
      }),
  );
}

const personalizeRolesOf = (template: ReturnType<typeof runStack>['template']) =>
  Object.values(template.findResources('AWS::IAM::Role') as Record<string, Json>).filter((role) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('personalize.amazonaws.com'));

describe('RunDatasetImportJob', () => {
  it('creates the import through the SDK integration with the request the handlers send, then waits and describes', () => {
    const { definition } = runStack({ publishAttributionMetricsToS3: true, tags: { team: 'growth' } });

    expect(definition.StartAt).toBe('Import: name the job');
    const create = definition.States['Import: create the job'];
    expect(create.Resource).toBe('arn:<AWS::Partition>:states:::aws-sdk:personalize:createDatasetImportJob');
    expect(create.Parameters).toEqual({
      'JobName.$': '$.JobName',
      DatasetArn: DATASET_ARN,
      DataSource: { DataLocation: 's3://<Data666C94C7>/daily/' },
      RoleArn: '<ImportRoleDBDBFD64>',
      ImportMode: 'INCREMENTAL',
      PublishAttributionMetricsToS3: true,
      Tags: [{ TagKey: 'team', TagValue: 'growth' }],
    });
    expect(definition.States['Import: describe the job']).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:personalize:describeDatasetImportJob',
      Parameters: { 'DatasetImportJobArn.$': '$.JobArn' },
    });
    expect(definition.States['Import: its ARN'].Parameters['JobArn.$']).toBe("States.Format('arn:aws:personalize:us-east-1:111122223333:dataset-import-job/{}', $.JobName)");
  });

  it('ends with the import\'s dataset and data location beside every run\'s fields, or fails with Personalize\'s reason', () => {
    const { definition } = runStack({ resultPath: '$.import' });

    expect(definition.States['Import: done'].Parameters).toEqual({
      'JobArn.$': '$.import.JobArn',
      'JobName.$': '$.import.JobName',
      'Status.$': '$.import.Described.DatasetImportJob.Status',
      'DatasetArn.$': '$.import.Described.DatasetImportJob.DatasetArn',
      'DataLocation.$': '$.import.Described.DatasetImportJob.DataSource.DataLocation',
      'Job.$': '$.import.Described.DatasetImportJob',
    });
    expect(definition.States['Import: failed']).toEqual({ Type: 'Fail', Error: 'DatasetImportJobFailed', CausePath: '$.import.Described.DatasetImportJob.FailureReason' });
  });

  it('waits for a slot every pollInterval for slotTimeout while the region has five imports in flight', () => {
    const { definition } = runStack({ pollInterval: Duration.minutes(15), slotTimeout: Duration.hours(2) });

    expect(definition.States['Import: create the job'].Retry[1]).toEqual({ ErrorEquals: ['Personalize.LimitExceededException'], IntervalSeconds: 900, MaxAttempts: 8, BackoffRate: 1 });
    expect(definition.States['Import: create the job'].Comment).toContain("Personalize's limit of 5 dataset import jobs in flight");
  });

  it('grants the Create on its own imports and on the dataset, the Describe of its own imports, and passing the role to Personalize only', () => {
    const { template } = runStack();

    expect(stateMachineRoleStatements(template)).toEqual([
      { Action: 'personalize:CreateDatasetImportJob', Effect: 'Allow', Resource: [IMPORT_PATTERN, DATASET_ARN] },
      { Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } }, Effect: 'Allow', Resource: { 'Fn::GetAtt': ['ImportRoleDBDBFD64', 'Arn'] } },
      { Action: 'personalize:DescribeDatasetImportJob', Effect: 'Allow', Resource: IMPORT_PATTERN },
    ]);
  });

  it('lets the import\'s role read the source and nothing else', () => {
    const { template } = runStack();

    const [role] = personalizeRolesOf(template);
    expect(role).toBeDefined();
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Json>).filter((policy) => JSON.stringify(policy.Properties.Roles).includes('ImportRole'));
    const actions = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement.flatMap((statement: Json) => statement.Action));
    expect(actions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('checks the definition at synth time as a stack\'s import is checked', () => {
    expect(() => runStack({ datasetArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo' })).toThrow('Stack/Import: datasetArn');
    expect(() => runStack({ jobNamePrefix: 'n'.repeat(31) })).toThrow('Stack/Import: jobNamePrefix must be 1 to 30 letters');
    expect(() => runStack({ resultPath: sfn.JsonPath.DISCARD })).toThrow("Stack/Import: resultPath must be '$'");
  });
});

describe('RunDatasetImportJob.sameAs', () => {
  it('imports what the stack\'s import reads, with its role and mode, and makes no second role nor a second copy of an asset', () => {
    const { definition, template } = runStack({}, (stack, bucket) => {
      const asset = new s3assets.Asset(stack, 'Sample', { path: SAMPLE_FILE });
      const job = new DatasetImportJob(stack, 'Interactions', {
        datasetArn: DATASET_ARN,
        source: DatasetImportSource.fromAsset(asset, { copyTo: bucket }),
        importMode: ImportMode.INCREMENTAL,
        jobNamePrefix: 'nightly',
        pollInterval: Duration.seconds(30),
      });
      return RunDatasetImportJob.sameAs(stack, 'Again', job, { pollInterval: Duration.minutes(10) });
    });

    expect(definition.States['Again: create the job'].Parameters).toMatchObject({
      DatasetArn: DATASET_ARN,
      RoleArn: '<InteractionsRole23085550>',
      ImportMode: 'INCREMENTAL',
      DataSource: { DataLocation: expect.stringMatching(/^s3:\/\/<Data666C94C7>\/personalize-imports\/[0-9a-f]{64}\.csv$/) },
    });
    expect(definition.States['Again: wait'].Seconds).toBe(600);
    expect(personalizeRolesOf(template)).toHaveLength(1);
    expect(Object.keys(template.findResources('Custom::AWS'))).toHaveLength(1);
  });

  it('refuses a construct that only waits for an import, naming both', () => {
    expect(() =>
      runStack({}, (stack) => {
        const waiter = new DatasetImportJobWaiter(stack, 'Elsewhere', { datasetImportJobArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/by-hand' });
        return RunDatasetImportJob.sameAs(stack, 'Again', waiter as unknown as DatasetImportJob);
      }),
    ).toThrow('Stack: Stack/Elsewhere is not a dataset import job the stack creates; a run repeats the work of a construct that creates it.');
  });
});
