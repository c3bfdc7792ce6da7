import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface SampleFileProps {
  /** The local file. */
  readonly path: string;
  /** The bucket to put it in. */
  readonly bucket: s3.IBucket;
  /** The folder (key prefix, ending with `/`) to put it in. */
  readonly prefix: string;
}

/**
 * A local file put into a bucket of the stack, as a copy of its file asset, and copied again
 * whenever its content changes. Personalize reads only from a bucket whose policy lets it, which
 * the CDK asset bucket's cannot be made to; one `CopyObject` call also keeps the upload off
 * `BucketDeployment`, whose Python runtime older aws-cdk-lib releases pin to one that Lambda no
 * longer creates.
 */
export class SampleFile extends Construct {
  /** The bucket the copy is in. */
  public readonly bucket: s3.IBucket;
  /** The key of the copy. */
  public readonly key: string;
  /** The content's hash: it changes when the content does. */
  public readonly contentHash: string;

  constructor(scope: Construct, id: string, props: SampleFileProps) {
    super(scope, id);
    const asset = new s3assets.Asset(this, 'Asset', { path: props.path });
    this.bucket = props.bucket;
    this.key = `${props.prefix}${path.basename(props.path)}`;
    this.contentHash = asset.assetHash;
    const copy: cr.AwsSdkCall = {
      service: 'S3',
      action: 'copyObject',
      parameters: { CopySource: `${asset.s3BucketName}/${asset.s3ObjectKey}`, Bucket: props.bucket.bucketName, Key: this.key },
      physicalResourceId: cr.PhysicalResourceId.of(this.key),
    };
    new cr.AwsCustomResource(this, 'Copy', {
      onCreate: copy,
      onUpdate: copy,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [asset.bucket.arnForObjects(asset.s3ObjectKey)] }),
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.bucket.arnForObjects(this.key)] }),
      ]),
      // CopyObject is in the SDK that Lambda's Node.js runtime ships: nothing to install at deploy time.
      installLatestAwsSdk: false,
    });
  }
}
