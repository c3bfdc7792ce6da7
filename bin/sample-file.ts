import * as path from 'path';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { copyObject } from '../lib/kinds/dataset-import-job/object-copy';

export interface SampleFileProps {
  /** The local file. */
  readonly path: string;
  /** The bucket to put it in. */
  readonly bucket: s3.IBucket;
  /** The folder (key prefix, ending with `/`) to put it in. */
  readonly prefix: string;
}

/**
 * A local file put into a bucket of the stack under its own name, as a copy of its file asset,
 * copied again whenever its content changes: a batch job's input, which Personalize reads only
 * from a bucket whose policy lets it (the CDK asset bucket's cannot be made to). One `CopyObject`
 * call, the same that `DatasetImportSource.fromAsset(asset, { copyTo })` makes for an import,
 * also keeps the upload off `BucketDeployment`, whose Python runtime older aws-cdk-lib releases pin
 * to one that Lambda no longer creates.
 */
export class SampleFile extends Construct {
  /** The bucket the copy is in. */
  public readonly bucket: s3.IBucket;
  /** The key of the copy. */
  public readonly key: string;

  constructor(scope: Construct, id: string, props: SampleFileProps) {
    super(scope, id);
    const asset = new s3assets.Asset(this, 'Asset', { path: props.path });
    this.bucket = props.bucket;
    this.key = `${props.prefix}${path.basename(props.path)}`;
    copyObject(this, 'Copy', { bucket: asset.bucket, key: asset.s3ObjectKey }, { bucket: props.bucket, key: this.key });
  }
}
