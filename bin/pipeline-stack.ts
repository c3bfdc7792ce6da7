import * as path from 'path';
import { CfnElement, CfnOutput, Duration, FileSystem, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { acknowledgeFindings } from '../lib/acknowledged-findings';
import { Construct } from 'constructs';
import { BatchInferenceJob, BatchSegmentJob, DatasetImportJob, DatasetImportSource, SolutionVersion, SolutionVersionProps } from '../lib';

export interface PipelineStackProps extends StackProps {
  /**
   * The folder of sample data the stack uploads: `interactions.csv`, `items.csv`, and the batch
   * jobs' inputs `segment-items.json` and `users.json`.
   *
   * @default bin/pipeline-data
   */
  readonly dataDir?: string;

  /** The least NDCG at 10 the recommendations model needs before any recommendation is made from it. @default 0.2 */
  readonly minimumNdcg?: number;
}

/** The folder of sample data shipped with the repository. */
export const PIPELINE_SAMPLE_DIR = path.join(__dirname, 'pipeline-data');

const SCHEMA_NAMESPACE = 'com.amazonaws.personalize.schema';

/**
 * A whole Amazon Personalize batch pipeline in one deployment: a dataset group with interactions
 * and items, both imported from sample data the stack uploads; two models trained on them (one
 * for user segments, one for recommendations, which must pass a quality gate); and a batch
 * segment job and a batch inference job on those models, their output paths as stack outputs.
 *
 * Each step waits for the one before it through attributes and dependencies. Deploying it again
 * after a data file changed imports that file again, trains both models anew and runs both jobs
 * again; deploying it unchanged runs nothing.
 */
export class PipelineStack extends Stack {
  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);
    const dataDir = props.dataDir ?? PIPELINE_SAMPLE_DIR;

    const data = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeFindings(data, {
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: "An example's sample data and batch outputs; give a production bucket serverAccessLogsBucket.",
    });
    // Personalize reads from a bucket whose policy lets it: the stack's own, not the CDK asset bucket.
    const sample = new s3deploy.BucketDeployment(this, 'Sample', {
      sources: [s3deploy.Source.asset(dataDir)],
      destinationBucket: data,
      destinationKeyPrefix: 'sample/',
    });

    const group = new personalize.CfnDatasetGroup(this, 'DatasetGroup', { name: 'promo-pipeline' });
    const interactions = this.dataset(group, 'Interactions', [
      { name: 'USER_ID', type: 'string' },
      { name: 'ITEM_ID', type: 'string' },
      { name: 'TIMESTAMP', type: 'long' },
    ]);
    const items = this.dataset(group, 'Items', [
      { name: 'ITEM_ID', type: 'string' },
      { name: 'CATEGORY', type: 'string', categorical: true },
    ]);
    const imports = [
      importOf(this, 'ImportInteractions', interactions, data, dataDir, 'interactions.csv'),
      importOf(this, 'ImportItems', items, data, dataDir, 'items.csv'),
    ];
    imports.forEach((imported) => imported.node.addDependency(sample));

    const segmentsModel = modelOf(this, 'Segments', group, 'aws-item-affinity', { datasetImportJobs: imports });
    const recommendationsModel = modelOf(this, 'Recommendations', group, 'aws-user-personalization-v2', {
      datasetImportJobs: imports,
      minimumMetrics: { normalized_discounted_cumulative_gain_at_10: props.minimumNdcg ?? 0.2 },
    });

    const segments = new BatchSegmentJob(this, 'Segments', {
      solutionVersionArn: segmentsModel.solutionVersionArn,
      input: { bucket: data, key: 'sample/segment-items.json' },
      output: { bucket: data, prefix: 'segments/' },
      numResults: 20,
    });
    const recommendations = new BatchInferenceJob(this, 'Recommendations', {
      solutionVersionArn: recommendationsModel.solutionVersionArn,
      input: { bucket: data, key: 'sample/users.json' },
      output: { bucket: data, prefix: 'recommendations/' },
      numResults: 10,
    });

    acknowledgeHelperFindings(this, sample, data);

    new CfnOutput(this, 'SegmentsPath', { value: segments.outputPath });
    new CfnOutput(this, 'RecommendationsPath', { value: recommendations.outputPath });
    new CfnOutput(this, 'RecommendationsNdcg', { value: recommendationsModel.metric('normalized_discounted_cumulative_gain_at_10') });
  }

  private dataset(group: personalize.CfnDatasetGroup, datasetType: string, fields: object[]): personalize.CfnDataset {
    const schema = new personalize.CfnSchema(this, `${datasetType}Schema`, {
      name: `promo-pipeline-${datasetType.toLowerCase()}`,
      schema: JSON.stringify({ type: 'record', name: datasetType, namespace: SCHEMA_NAMESPACE, fields, version: '1.0' }),
    });
    return new personalize.CfnDataset(this, datasetType, {
      name: `promo-pipeline-${datasetType.toLowerCase()}`,
      datasetType,
      datasetGroupArn: group.attrDatasetGroupArn,
      schemaArn: schema.attrSchemaArn,
    });
  }
}

/** An import of one sample file, imported again whenever that file's content changes. */
function importOf(scope: Construct, id: string, dataset: personalize.CfnDataset, data: s3.IBucket, dataDir: string, file: string): DatasetImportJob {
  return new DatasetImportJob(scope, id, {
    datasetArn: dataset.attrDatasetArn,
    source: DatasetImportSource.fromBucket(data, `sample/${file}`, { dataVersion: FileSystem.fingerprint(path.join(dataDir, file)) }),
  });
}

/**
 * A solution of `recipe` and a version trained from it. CloudFormation's solution has no switch for
 * Personalize's weekly automatic training (README, "Automatic training"), so `UpdateSolution`
 * turns it off as soon as the solution exists, before the stack's own training starts: every
 * version is one the stack trained and gated.
 */
function modelOf(
  scope: Construct,
  id: string,
  group: personalize.CfnDatasetGroup,
  recipe: string,
  options: Pick<SolutionVersionProps, 'datasetImportJobs' | 'minimumMetrics'>,
): SolutionVersion {
  const solution = new personalize.CfnSolution(scope, `${id}Solution`, {
    name: `promo-pipeline-${recipe.replace(/^aws-/, '')}`,
    datasetGroupArn: group.attrDatasetGroupArn,
    recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
  });
  const noAutoTraining = new cr.AwsCustomResource(scope, `${id}NoAutoTraining`, {
    onCreate: {
      service: 'Personalize',
      action: 'updateSolution',
      parameters: { solutionArn: solution.attrSolutionArn, performAutoTraining: false },
      physicalResourceId: cr.PhysicalResourceId.of(solution.attrSolutionArn),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [solution.attrSolutionArn] }),
    // UpdateSolution is in the SDK that Lambda's Node.js runtime ships: nothing to install at deploy time.
    installLatestAwsSdk: false,
  });
  const model = new SolutionVersion(scope, `${id}Model`, { solutionArn: solution.attrSolutionArn, timeout: Duration.hours(4), ...options });
  model.node.addDependency(noAutoTraining);
  return model;
}

/** aws-cdk-lib's `AwsCustomResource` function, one per stack, by the id it gives it. */
const AWS_CUSTOM_RESOURCE_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const BASIC_EXECUTION_POLICY = 'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
const LOGS_ONLY = 'aws-cdk-lib gives its helper function AWSLambdaBasicExecutionRole, for its own logs only.';
const COPIES = "BucketDeployment copies every file of the sample folder: it may read the CDK asset bucket's objects and write, and prune, the data bucket's.";

/**
 * cdk-nag's findings on the functions aws-cdk-lib creates for `BucketDeployment` and
 * `AwsCustomResource`, which neither construct lets the app change, acknowledged one by one on
 * those functions alone (as `Validations.of(scope).acknowledge()` does from aws-cdk-lib 2.252;
 * written so that the example synthesizes on older releases too).
 */
function acknowledgeHelperFindings(stack: Stack, sample: s3deploy.BucketDeployment, data: s3.Bucket): void {
  const dataBucketId = stack.getLogicalId(data.node.defaultChild as CfnElement);
  const copyGrants = [
    'Action::s3:GetObject*',
    'Action::s3:GetBucket*',
    'Action::s3:List*',
    'Action::s3:DeleteObject*',
    'Action::s3:Abort*',
    'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
    `Resource::<${dataBucketId}.Arn>/*`,
  ];
  acknowledgeFindings(
    sample.handlerRole,
    { id: `AwsSolutions::AwsSolutions-IAM4[Policy::${BASIC_EXECUTION_POLICY}]`, reason: LOGS_ONLY },
    ...copyGrants.map((grant) => ({ id: `AwsSolutions::AwsSolutions-IAM5[${grant}]`, reason: COPIES })),
  );
  const copier = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (copier !== undefined) {
    acknowledgeFindings(copier, { id: 'AwsSolutions::AwsSolutions-L1', reason: "BucketDeployment chooses its function's Python runtime; it cannot be set." });
  }
  const sdkCaller = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_FUNCTION_ID);
  if (sdkCaller !== undefined) {
    acknowledgeFindings(sdkCaller, { id: `AwsSolutions::AwsSolutions-IAM4[Policy::${BASIC_EXECUTION_POLICY}]`, reason: LOGS_ONLY });
  }
}
