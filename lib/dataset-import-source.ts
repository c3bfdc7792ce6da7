import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { IConstruct } from 'constructs';

/** Options for data in a bucket. */
export interface DatasetImportBucketOptions {
  /**
   * Which version of the data the key holds, any string you change when the data changes (a date,
   * a hash, a release): a new value starts a new import; the same value starts none.
   *
   * @default - none: the import starts when the construct is created, and again only when the
   *   bucket, key or settings change
   */
  readonly dataVersion?: string;

  /**
   * The KMS key Personalize decrypts the data with.
   *
   * @default - none; the bucket's own encryption key, if any, is granted all the same
   */
  readonly kmsKey?: kms.IKey;
}

/** Where an import reads its data, as a construct binds it. */
export interface DatasetImportSourceConfig {
  readonly bucket: s3.IBucket;
  /** A CSV file's key, or a folder of them (ending with `/`). */
  readonly key: string;
  /** What starts a new import when it changes. @default - nothing but the bucket and key */
  readonly dataVersion?: string;
  /** @default - none */
  readonly kmsKey?: kms.IKey;
}

/** The data a `DatasetImportJob` imports: a CSV file (or folder of them) in S3, or a file asset. */
export abstract class DatasetImportSource {
  /**
   * A CSV file shipped with the app as an asset: a new import starts whenever its content (its hash)
   * changes. The asset lives in the CDK bootstrap bucket, whose bucket policy this stack cannot
   * change: Personalize needs it to allow `personalize.amazonaws.com` to read the object (the
   * construct warns at synth), so prefer a bucket of your own for a production dataset.
   */
  public static fromAsset(asset: s3assets.Asset): DatasetImportSource {
    return new AssetSource(asset);
  }

  /** A CSV file, or a folder of them when `key` ends with `/`, in a bucket. */
  public static fromBucket(bucket: s3.IBucket, key: string, options: DatasetImportBucketOptions = {}): DatasetImportSource {
    return new BucketSource({ bucket, key, ...options });
  }

  /** Where the import reads, for the construct `scope`. */
  public abstract bind(scope: IConstruct): DatasetImportSourceConfig;
}

class AssetSource extends DatasetImportSource {
  constructor(private readonly asset: s3assets.Asset) {
    super();
  }

  public bind(scope: IConstruct): DatasetImportSourceConfig {
    if (this.asset.isZipArchive) {
      throw new Error(
        `${scope.node.path}: the asset ${this.asset.node.path} is a folder or archive, which S3 holds as one zip file; ` +
          'Personalize imports CSV files: give the asset a CSV file\'s path, or upload the folder to a bucket and use DatasetImportSource.fromBucket.',
      );
    }
    return { bucket: this.asset.bucket, key: this.asset.s3ObjectKey, dataVersion: this.asset.assetHash };
  }
}

class BucketSource extends DatasetImportSource {
  constructor(private readonly config: DatasetImportSourceConfig) {
    super();
  }

  public bind(): DatasetImportSourceConfig {
    return this.config;
  }
}
