import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BatchSegmentJob } from '../lib';

export interface SegmentsJobStackProps extends StackProps {
  /** The solution version that generates the segments. */
  readonly solutionVersionArn: string;
}

/**
 * Starts a batch segment job over queries in an encrypted bucket of the stack's own, and waits for
 * it. Upload `segments/queries.json` to the bucket before the job starts, or point `input` at a
 * bucket that already holds it.
 */
export class SegmentsJobStack extends Stack {
  constructor(scope: Construct, id: string, props: SegmentsJobStackProps) {
    super(scope, id, props);

    const dataKey = new kms.Key(this, 'DataKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const data = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: dataKey,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const job = new BatchSegmentJob(this, 'SpringPromo', {
      solutionVersionArn: props.solutionVersionArn,
      input: { bucket: data, key: 'segments/queries.json' },
      output: { bucket: data, prefix: 'segments/out/' },
      numResults: 100_000,
      tags: { project: 'spring-promo' },
    });

    new CfnOutput(this, 'JobArn', { value: job.batchSegmentJobArn });
    new CfnOutput(this, 'JobName', { value: job.jobName });
    new CfnOutput(this, 'NumResults', { value: job.numResultsAsString });
    new CfnOutput(this, 'OutputPath', { value: job.outputPath });
  }
}
