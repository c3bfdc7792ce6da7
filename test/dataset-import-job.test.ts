import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { DatasetImportJob, DatasetImportJobProps, DatasetImportJobWaiter, DatasetImportSource, ImportMode, SolutionVersion } from '../lib';
import { handlerStatements } from './support/handler-statements';

const DATASET_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';
const IMPORT_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/nightly';

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function importStack(props: Partial<DatasetImportJobProps> = {}): { stack: Stack; imported: DatasetImportJob; bucket: s3.Bucket } {
  const stack = new Stack(new App(), 'Stack');
  const bucket = new s3.Bucket(stack, 'Data');
  const imported = new DatasetImportJob(stack, 'Interactions', {
    datasetArn: DATASET_ARN,
    source: DatasetImportSource.fromBucket(bucket, 'data/interactions.csv', { dataVersion: '2026-11-28' }),
    ...props,
  });
  return { stack, imported, bucket };
}

function only(stack: Stack, type: string): Json {
  const resources = Object.values(Template.fromStack(stack).findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('DatasetImportJob', () => {
  it('carries the import: dataset, data location, its role, mode, data version and tags', () => {
    const { stack } = importStack({ importMode: ImportMode.INCREMENTAL, publishAttributionMetricsToS3: true, jobNamePrefix: 'interactions', tags: { team: 'recs' } });
    const job = only(stack, 'Custom::PersonalizeDatasetImportJob').Properties.Job;
    expect(job).toMatchObject({
      NamePrefix: 'interactions',
      DatasetArn: DATASET_ARN,
      ImportMode: 'INCREMENTAL',
      PublishAttributionMetricsToS3: true,
      DataVersion: '2026-11-28',
      Tags: { team: 'recs' },
    });
    expect(stack.resolve(job.DataLocation)).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^Data/) }, '/data/interactions.csv']] });
    expect(job.RoleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^InteractionsRole/), 'Arn'] });
  });

  it('lets its role read the object and list the bucket, and the bucket policy allow Personalize the same, for this account only', () => {
    const { stack } = importStack();
    const rolePolicy = Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('InteractionsRole'))![1] as Json;
    expect(rolePolicy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] }, '/data/interactions.csv']] } },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] } },
    ]);
    const policy = only(stack, 'AWS::S3::BucketPolicy').Properties.PolicyDocument.Statement;
    expect(policy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 's3:GetObject', Principal: { Service: 'personalize.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }),
      ]),
    );
  });

  it('lets the handlers describe the imports of its account and region (a rollback reads what the old properties named), create its own imports only, into its dataset only, list imports (which IAM allows only on "*"), and pass its role to Personalize only', () => {
    const { stack } = importStack({ jobNamePrefix: 'interactions' });
    const pattern = 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/interactions-????????????';
    // Tagging and reading its own imports' tags: the definition a retry adopts by (reuseWithin).
    expect(handlerStatements(stack)).toEqual([
      { Action: 'personalize:TagResource', Effect: 'Allow', Resource: pattern },
      { Action: 'personalize:ListTagsForResource', Effect: 'Allow', Resource: pattern },
      { Action: 'personalize:DescribeDatasetImportJob', Effect: 'Allow', Resource: 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/*' },
      // CreateDatasetImportJob is authorized on the dataset and on the import it creates (Service Authorization Reference).
      { Action: 'personalize:CreateDatasetImportJob', Effect: 'Allow', Resource: [pattern, DATASET_ARN] },
      expect.objectContaining({ Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } } }),
      { Action: 'personalize:ListDatasetImportJobs', Effect: 'Allow', Resource: '*' },
    ]);
  });

  it('imports a file asset under its hash, warning that the bootstrap bucket\'s policy is not the stack\'s', () => {
    const stack = new Stack(new App(), 'Stack');
    const asset = new s3assets.Asset(stack, 'Sample', { path: path.join(__dirname, '..', 'package.json') });
    new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromAsset(asset) });
    const job = only(stack, 'Custom::PersonalizeDatasetImportJob').Properties.Job;
    expect(job.DataVersion).toBe(asset.assetHash);
    Annotations.fromStack(stack).hasWarning('/Stack/Interactions', Match.stringLikeRegexp('is not managed by this stack, so its policy cannot be changed here'));
  });

  it('says how to import from a copy when it reads the asset from the CDK asset bucket', () => {
    const stack = new Stack(new App(), 'Stack');
    const asset = new s3assets.Asset(stack, 'Sample', { path: path.join(__dirname, '..', 'package.json') });
    new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromAsset(asset) });
    Annotations.fromStack(stack).hasWarning(
      '/Stack/Interactions',
      Match.stringLikeRegexp(
        'reads the asset Stack/Sample from the CDK asset bucket.*Give DatasetImportSource.fromAsset the option copyTo, a bucket of this stack.*\\[ack: cdk-personalize-batch-jobs:assetNotCopied\\]',
      ),
    );
    expect(Template.fromStack(stack).findResources('Custom::AWS')).toEqual({});
  });

  describe('a file asset copied into a bucket of the stack', () => {
    /** Two imports of one asset, copied by default and under a prefix of their own; built in each test, as the constructs run there. */
    function copiedAssetStack() {
      const stack = new Stack(new App(), 'Stack');
      const data = new s3.Bucket(stack, 'Data');
      const asset = new s3assets.Asset(stack, 'Sample', { path: path.join(__dirname, '..', 'package.json') });
      new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromAsset(asset, { copyTo: data }) });
      new DatasetImportJob(stack, 'Items', { datasetArn: `${DATASET_ARN}X`, source: DatasetImportSource.fromAsset(asset, { copyTo: data, copyPrefix: 'imports/items/' }) });
      const template = Template.fromStack(stack);
      return {
        stack,
        asset,
        template,
        resources: template.toJSON().Resources as Record<string, Json>,
        bucket: Object.keys(template.findResources('AWS::S3::Bucket'))[0],
        copies: Object.keys(template.findResources('Custom::AWS')),
        imports: Object.keys(template.findResources('Custom::PersonalizeDatasetImportJob')),
        key: `personalize-imports/${asset.s3ObjectKey}`,
      };
    }

    it('copies it once per import, under its hash, with a call allowed to read that asset and write that key only', () => {
      const { asset, resources, bucket, copies, key } = copiedAssetStack();
      expect(copies).toHaveLength(2);
      const call = resources[copies[0]].Properties.Create['Fn::Join'][1];
      expect(call.filter((part: Json) => typeof part === 'string').join('')).toBe(
        `{"service":"S3","action":"copyObject","parameters":{"CopySource":"/${asset.s3ObjectKey}","Bucket":"","Key":"${key}"},"physicalResourceId":{"id":"${key}"}}`,
      );
      expect(call).toContainEqual({ Ref: bucket });
      expect(resources[copies[0]].Properties.Update).toEqual(resources[copies[0]].Properties.Create);
      // CopyObject is in the Lambda runtime's SDK: nothing is installed from npm at deploy time.
      expect(resources[copies[0]].Properties.InstallLatestAwsSdk).toBe(false);
      const [policy] = resources[copies[0]].DependsOn;
      expect(resources[policy].Properties.PolicyDocument.Statement).toEqual([
        { Action: 's3:GetObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', expect.anything(), `/${asset.s3ObjectKey}`]] } },
        { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/${key}`]] } },
      ]);
    });

    it('imports from the copy, only once it is made, versioned by the content\'s hash', () => {
      const { asset, resources, bucket, copies, imports, key } = copiedAssetStack();
      expect(resources[imports[0]].DependsOn).toContain(copies[0]);
      expect(resources[imports[0]].Properties.Job).toMatchObject({
        DataLocation: { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/${key}`]] },
        DataVersion: asset.assetHash,
      });
      expect(resources[imports[1]].Properties.Job.DataLocation).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/imports/items/${asset.s3ObjectKey}`]] });
    });

    it("acknowledges the managed policy of aws-cdk-lib's copying function to cdk-nag once, on that function", () => {
      const { stack } = copiedAssetStack();
      const acknowledged = stack.node
        .findChild('AWS679f53fac002430cb0da5b7982bd2287')
        .node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .map((entry) => entry.data)
        .filter((data) => Object.keys(data).some((id) => id.startsWith('AwsSolutions::')));
      expect(acknowledged).toEqual([
        {
          'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
            'aws-cdk-lib gives the function that makes its SDK calls AWSLambdaBasicExecutionRole, for its own logs only.',
        },
      ]);
    });

    it('lets Personalize read the copies through the bucket policy (an update\'s rollback imports the copy before it again), and warns of nothing', () => {
      const { stack, template, bucket, key } = copiedAssetStack();
      const statements = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement);
      expect(key).toMatch(/^personalize-imports\/[0-9a-f]{64}\.json$/);
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 's3:GetObject', Principal: { Service: 'personalize.amazonaws.com' }, Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/personalize-imports/*']] } }),
      );
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  it('lets the copy encrypt with the KMS key of a bucket that has one, and Personalize decrypt the copy', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'DataKey');
    const data = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    const asset = new s3assets.Asset(stack, 'Sample', { path: path.join(__dirname, '..', 'package.json') });
    new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromAsset(asset, { copyTo: data }) });
    const template = Template.fromStack(stack);
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    const copyStatements = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('InteractionsSourceCopy') || id.startsWith('AWS679'))
      .flatMap(([, policy]: [string, Json]) => policy.Properties.PolicyDocument.Statement);
    expect(copyStatements).toContainEqual({ Action: 'kms:GenerateDataKey', Effect: 'Allow', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(JSON.stringify(copyStatements)).not.toMatch(/kms:[A-Za-z]*\*/);
    expect(template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'personalize.amazonaws.com' } }));
  });

  it('refuses a folder asset, which S3 holds as a zip', () => {
    const stack = new Stack(new App(), 'Stack');
    const asset = new s3assets.Asset(stack, 'Folder', { path: path.join(__dirname, 'support') });
    expect(() => new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromAsset(asset) })).toThrow(
      'is a folder or archive, which S3 holds as one zip file; Personalize imports CSV files',
    );
  });

  it('reads a folder of CSV files when the key ends with /', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    new DatasetImportJob(stack, 'Interactions', { datasetArn: DATASET_ARN, source: DatasetImportSource.fromBucket(bucket, 'data/') });
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
    expect(policy).toContainEqual(expect.objectContaining({ Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [expect.anything(), '/data/*']] } }));
  });

  it.each([
    [{ datasetArn: 'promo' }, 'datasetArn must be the ARN of a Personalize dataset, such as arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS'],
    [{ jobNamePrefix: '-x' }, 'jobNamePrefix must be 1 to 50 letters'],
    [{ timeout: Duration.seconds(10) }, 'timeout must be a whole number of seconds from 1 minute to 12 hours'],
  ])('rejects %j at synth, naming the prop', (props, message) => {
    expect(() => importStack(props as Partial<DatasetImportJobProps>)).toThrow(message);
  });

  it('uses a role it is given', () => {
    const stack = new Stack(new App(), 'Stack');
    const role = new iam.Role(stack, 'Given', { assumedBy: new iam.ServicePrincipal('personalize.amazonaws.com') });
    const imported = new DatasetImportJob(stack, 'Interactions', {
      datasetArn: DATASET_ARN,
      source: DatasetImportSource.fromBucket(new s3.Bucket(stack, 'Data'), 'a.csv'),
      role,
    });
    expect(imported.role).toBe(role);
  });

  it('exposes its attributes, and a training that follows it retrains when a new import starts', () => {
    const { stack, imported } = importStack();
    const solution = new personalize.CfnSolution(stack, 'Solution', { name: 'promo', datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo' });
    new SolutionVersion(stack, 'Model', { solutionArn: solution.attrSolutionArn, datasetImportJobs: [imported], timeout: Duration.hours(1) });
    expect(stack.resolve(imported.status)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Interactions/), 'Status'] });
    expect(stack.resolve(imported.dataLocation)['Fn::GetAtt'][1]).toBe('DataLocation');
    expect(stack.resolve(imported.datasetImportJobArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Interactions/), 'DatasetImportJobArn'] });
    const training = only(stack, 'Custom::PersonalizeSolutionVersion');
    // The training follows what defines the data, not the import's ARN, which a rollback's new import of the same data changes.
    const [identity] = training.Properties.Job.AfterImports;
    expect(JSON.stringify(identity)).toContain(DATASET_ARN);
    expect(JSON.stringify(identity)).toContain('/data/interactions.csv|FULL|2026-11-28');
    expect(training.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Interactions/)]));
  });

  it('passes its ARN to the later links of a wait longer than an hour as an attribute, since its physical id stays the same', () => {
    const { stack } = importStack({ timeout: Duration.hours(3) });
    const links = Object.values(Template.fromStack(stack).findResources('Custom::PersonalizeDatasetImportJob'));
    expect(links.length).toBeGreaterThan(1);
    expect(links.slice(1).map((link) => Object.values(link.Properties.DatasetImportJobArn['Fn::GetAtt'])[1])).toEqual(links.slice(1).map(() => 'DatasetImportJobArn'));
  });
});

describe('DatasetImportJobWaiter', () => {
  it('waits for the import it is given, and may only describe the imports of its account and region', () => {
    const stack = new Stack(new App(), 'Stack');
    new DatasetImportJobWaiter(stack, 'Nightly', { datasetImportJobArn: IMPORT_ARN });
    expect(only(stack, 'Custom::PersonalizeDatasetImportJobWaiter').Properties).toMatchObject({ DatasetImportJobArn: IMPORT_ARN, TimeoutSeconds: 3600 });
    expect(handlerStatements(stack)).toEqual([{ Action: 'personalize:DescribeDatasetImportJob', Effect: 'Allow', Resource: 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/*' }]);
  });

  it('rejects an ARN of another kind at synth', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new DatasetImportJobWaiter(stack, 'Nightly', { datasetImportJobArn: DATASET_ARN })).toThrow(
      'datasetImportJobArn must be the ARN of an Amazon Personalize dataset import job',
    );
  });
});
