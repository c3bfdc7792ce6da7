import * as path from 'path';
import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { BatchInferenceJob, BatchSegmentJob, DatasetImportJob, DatasetImportSource, JobHandlerSettings, SolutionVersion, SolutionVersionProps } from '../lib';
import { acknowledgeFindings } from '../lib/engine/acknowledged-findings';
import { acknowledgeSdkCallFunctionFindings } from '../lib/kinds/dataset-import-job/object-copy';
import { RegulatedNetwork } from './regulated-network';
import { SampleFile } from './sample-file';
import { ScheduledRuns } from './scheduled-runs';

export interface PipelineStackProps extends StackProps {
  /**
   * The folder of sample data the stack imports and copies into its bucket: `interactions.csv`,
   * `items.csv`, and the batch jobs' inputs `segment-items.json` and `users.json`.
   *
   * @default bin/pipeline-data
   */
  readonly dataDir?: string;

  /** The least NDCG at 10 the recommendations model needs before any recommendation is made from it. @default 0.2 */
  readonly minimumNdcg?: number;

  /** How old the imports and models a retry adopts may be. @default - the constructs' default, a day */
  readonly reuseWithin?: Duration;

  /**
   * Whether the library's functions run as a regulated account needs them to: in a VPC of the
   * stack's without internet access (with the endpoints they need), logging encrypted, traced,
   * with concurrency reserved (README, "Compliance packs").
   *
   * @default false
   */
  readonly regulated?: boolean;

  /**
   * Whether the stack's bucket (the copies of the sample data, the batch jobs' inputs and outputs)
   * is encrypted with a KMS key of the stack's, which the copies, the imports and the jobs use.
   *
   * @default - the same as `regulated`
   */
  readonly encryptData?: boolean;

  /**
   * The recipe of the segments model's solution. Another recipe is another solution (CloudFormation
   * replaces a solution whose recipe changes), so the model moves to it and trains there.
   *
   * @default 'aws-item-affinity'
   */
  readonly segmentsRecipe?: string;

  /**
   * Whether the stack also runs the pipeline again on a schedule: every night (the day's
   * interactions, then segments and recommendations), retraining on Sundays (ScheduledRuns).
   *
   * @default false
   */
  readonly scheduled?: boolean;
}

/** The stack's custom resources of this library, by construct id and resource type, in dependency order. */
export const PIPELINE_STEPS = [
  ['ImportInteractions', 'Custom::PersonalizeDatasetImportJob'],
  ['ImportItems', 'Custom::PersonalizeDatasetImportJob'],
  ['SegmentsModel', 'Custom::PersonalizeSolutionVersion'],
  ['RecommendationsModel', 'Custom::PersonalizeSolutionVersion'],
  ['Segments', 'Custom::PersonalizeBatchSegmentJob'],
  ['Recommendations', 'Custom::PersonalizeBatchInferenceJob'],
] as const;

/** The folder of sample data shipped with the repository. */
export const PIPELINE_SAMPLE_DIR = path.join(__dirname, 'pipeline-data');

const SCHEMA_NAMESPACE = 'com.amazonaws.personalize.schema';

/**
 * A whole Amazon Personalize batch pipeline in one deployment: a dataset group with interactions
 * and items, both imported from sample data the stack copies into its bucket; two models trained on them (one
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
    // Stack-wide: every construct below gives the same settings (giving them on one would do).
    const network = props.regulated === true ? new RegulatedNetwork(this, 'Network') : undefined;
    const handlerSettings = network?.handlerSettings;

    const encryptData = props.encryptData ?? props.regulated === true;
    const data = new s3.Bucket(this, 'Data', {
      ...(encryptData ? { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(this, 'DataKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN }) } : { encryption: s3.BucketEncryption.S3_MANAGED }),
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeFindings(data, {
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: "An example's sample data and batch outputs; give a production bucket serverAccessLogsBucket.",
    });
    const sample = (file: string) => new SampleFile(this, `Sample-${file}`, { path: path.join(dataDir, file), bucket: data, prefix: 'sample/' });

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
    const { reuseWithin } = props;
    const imports = [
      importOf(this, 'ImportInteractions', interactions, path.join(dataDir, 'interactions.csv'), data, { reuseWithin, handlerSettings }),
      importOf(this, 'ImportItems', items, path.join(dataDir, 'items.csv'), data, { reuseWithin, handlerSettings }),
    ];

    const segmentsModel = modelOf(this, 'Segments', group, props.segmentsRecipe ?? 'aws-item-affinity', { datasetImportJobs: imports, reuseWithin, handlerSettings });
    const recommendationsModel = modelOf(this, 'Recommendations', group, 'aws-user-personalization-v2', {
      datasetImportJobs: imports,
      reuseWithin,
      handlerSettings,
      minimumMetrics: { normalized_discounted_cumulative_gain_at_10: props.minimumNdcg ?? 0.2 },
    });

    const segmentItems = sample('segment-items.json');
    const segments = new BatchSegmentJob(this, 'Segments', {
      solutionVersionArn: segmentsModel.solutionVersionArn,
      input: { bucket: data, key: segmentItems.key },
      output: { bucket: data, prefix: 'segments/' },
      numResults: 20,
      handlerSettings,
    });
    segments.node.addDependency(segmentItems);
    const users = sample('users.json');
    const recommendations = new BatchInferenceJob(this, 'Recommendations', {
      solutionVersionArn: recommendationsModel.solutionVersionArn,
      input: { bucket: data, key: users.key },
      output: { bucket: data, prefix: 'recommendations/' },
      numResults: 10,
      handlerSettings,
    });
    recommendations.node.addDependency(users);

    acknowledgeSdkCallFunctionFindings(this);
    if (network !== undefined) {
      // The functions reach AWS only through the endpoints: no work may start before they exist.
      [...imports, segmentsModel, recommendationsModel, segments, recommendations].forEach((step) => step.node.addDependency(network));
    }

    if (props.scheduled === true) {
      new ScheduledRuns(this, 'ScheduledRuns', { data, interactionsDatasetArn: interactions.attrDatasetArn, segmentsModel, recommendationsModel, segments, recommendations });
    }

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

/**
 * An import of one sample file, from a copy of its asset in the stack's bucket (which Personalize
 * may read), imported again whenever the file's content changes.
 */
function importOf(
  scope: Construct,
  id: string,
  dataset: personalize.CfnDataset,
  file: string,
  bucket: s3.IBucket,
  options: { readonly reuseWithin?: Duration; readonly handlerSettings?: JobHandlerSettings },
): DatasetImportJob {
  const asset = new s3assets.Asset(scope, `${id}Data`, { path: file });
  return new DatasetImportJob(scope, id, {
    datasetArn: dataset.attrDatasetArn,
    source: DatasetImportSource.fromAsset(asset, { copyTo: bucket, copyPrefix: 'imports/' }),
    ...options,
  });
}

/**
 * A solution of `recipe` and a version trained from it. CloudFormation's solution has no switch for
 * Personalize's weekly automatic training (README, "Automatic training"), so the training turns it
 * off once the solution is ACTIVE, before it starts: every version is one the stack trained and gated.
 */
function modelOf(
  scope: Construct,
  id: string,
  group: personalize.CfnDatasetGroup,
  recipe: string,
  options: Pick<SolutionVersionProps, 'datasetImportJobs' | 'minimumMetrics' | 'reuseWithin' | 'handlerSettings'>,
): SolutionVersion {
  const solution = new personalize.CfnSolution(scope, `${id}Solution`, {
    name: `promo-pipeline-${recipe.replace(/^aws-/, '')}`,
    datasetGroupArn: group.attrDatasetGroupArn,
    recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
  });
  return new SolutionVersion(scope, `${id}Model`, { solutionArn: solution.attrSolutionArn, timeout: Duration.hours(4), performAutoTraining: false, ...options });
}
