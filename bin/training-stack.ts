import { CfnOutput, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BatchSegmentJob, SolutionVersion } from '../lib';

export interface TrainingStackProps extends StackProps {
  /** The dataset group whose data the solution trains on (items and interactions imported). */
  readonly datasetGroupArn: string;
  /** The least normalized discounted cumulative gain at 10 a new model needs before segments are made from it. */
  readonly minimumNdcg: number;
}

/**
 * Trains a model and uses it, in one deployment: a solution (Item-Affinity, the recipe for user
 * segments), a version trained from it that must reach a minimum NDCG, and a batch segment job
 * from that version. A model below the minimum fails the deployment before any segment is made.
 */
export class TrainingStack extends Stack {
  constructor(scope: Construct, id: string, props: TrainingStackProps) {
    super(scope, id, props);

    const solution = new personalize.CfnSolution(this, 'Solution', {
      name: 'promo-segments',
      datasetGroupArn: props.datasetGroupArn,
      recipeArn: 'arn:aws:personalize:::recipe/aws-item-affinity',
    });
    const model = new SolutionVersion(this, 'Model', {
      solutionArn: solution.attrSolutionArn,
      minimumMetrics: { normalized_discounted_cumulative_gain_at_10: props.minimumNdcg },
      timeout: Duration.hours(4),
    });

    const data = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const segments = new BatchSegmentJob(this, 'Segments', {
      solutionVersionArn: model.solutionVersionArn,
      input: { bucket: data, key: 'segments/items.json' },
      output: { bucket: data, prefix: 'segments/out/' },
      pollInterval: Duration.minutes(1),
    });

    new CfnOutput(this, 'SolutionVersionArn', { value: model.solutionVersionArn });
    new CfnOutput(this, 'TrainingHours', { value: model.trainingHours });
    new CfnOutput(this, 'Ndcg', { value: model.metric('normalized_discounted_cumulative_gain_at_10') });
    new CfnOutput(this, 'SegmentsPath', { value: segments.outputPath });
  }
}
