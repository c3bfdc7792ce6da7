import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BatchInferenceJob } from '../lib';

export interface RecommendationsJobStackProps extends StackProps {
  /** The solution version (User-Personalization, for item exploration) that recommends. */
  readonly solutionVersionArn: string;
}

/**
 * Starts a batch inference job over the users listed in a bucket of the stack's own, with some
 * item exploration, and waits for it. Upload `batch/users.json` to the bucket before the job
 * starts, or point `input` at a bucket that already holds it.
 */
export class RecommendationsJobStack extends Stack {
  constructor(scope: Construct, id: string, props: RecommendationsJobStackProps) {
    super(scope, id, props);

    const data = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const job = new BatchInferenceJob(this, 'Nightly', {
      solutionVersionArn: props.solutionVersionArn,
      input: { bucket: data, key: 'batch/users.json' },
      output: { bucket: data, prefix: 'batch/recommendations/' },
      numResults: 25,
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' } },
    });

    new CfnOutput(this, 'JobArn', { value: job.batchInferenceJobArn });
    new CfnOutput(this, 'NumResults', { value: job.numResultsAsString });
    new CfnOutput(this, 'OutputPath', { value: job.outputPath });
    new CfnOutput(this, 'Config', { value: job.batchInferenceJobConfig });
  }
}
