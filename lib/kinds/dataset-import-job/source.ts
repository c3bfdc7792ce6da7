import { Annotations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct, IDependable } from 'constructs';
import { copyObject } from './object-copy';

const DEFAULT_COPY_PREFIX = 'personalize-imports/';

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

/** Options for a file asset. */
export interface DatasetImportAssetOptions {
  /**
   * A bucket of the stack to copy the asset into, and import from. Personalize reads only from a
   * bucket whose policy lets it, and the CDK asset bucket's policy belongs to the bootstrap stack:
   * with `copyTo`, the construct copies the file there (one `CopyObject` call through aws-cdk-lib's
   * `AwsCustomResource`, allowed to read that one asset and write that one key, and to encrypt
   * with the bucket's KMS key if the stack has it) and adds the bucket policy Personalize needs. Each content is copied to its own key, named by its hash, so an
   * import always reads the data it was defined with; earlier copies stay (expire them with a
   * lifecycle rule if they matter).
   *
   * @default - none: the import reads the asset bucket itself, whose policy must then allow
   *   `personalize.amazonaws.com` to read the object and list the bucket (the construct warns)
   */
  readonly copyTo?: s3.IBucket;

  /**
   * The folder of `copyTo` the copies go to.
   *
   * @default 'personalize-imports/'
   */
  readonly copyPrefix?: string;
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
  /** What must be deployed before the import starts (the copy of an asset). @default - nothing */
  readonly dependency?: IDependable;
  /**
   * The objects the import's role and Personalize may read, as a key or a key pattern ending in
   * `*`, when more than `key`: an import of copied assets may read every copy under the copy
   * prefix, since the rollback of an update imports the copy before the update's again, and it may
   * run while the role's policy still names only the update's copy.
   *
   * @default - `key` (everything under it, for a folder)
   */
  readonly readableObjects?: string;
}

/** The data a `DatasetImportJob` imports: a CSV file (or folder of them) in S3, or a file asset. */
export abstract class DatasetImportSource {
  /**
   * A CSV file shipped with the app as an asset: a new import starts whenever its content (its hash)
   * changes. Give `copyTo`, a bucket of the stack: the asset lives in the CDK bootstrap bucket,
   * whose bucket policy this stack cannot change, and Personalize needs a bucket policy that lets
   * it read the data.
   */
  public static fromAsset(asset: s3assets.Asset, options: DatasetImportAssetOptions = {}): DatasetImportSource {
    return new AssetSource(asset, options);
  }

  /** A CSV file, or a folder of them when `key` ends with `/`, in a bucket. */
  public static fromBucket(bucket: s3.IBucket, key: string, options: DatasetImportBucketOptions = {}): DatasetImportSource {
    return new BucketSource({ bucket, key, ...options });
  }

  /**
   * A source already bound by a construct: a run of the same import reads the same object, and
   * makes no second copy of an asset.
   * @internal
   */
  public static _bound(config: DatasetImportSourceConfig): DatasetImportSource {
    return new BucketSource(config);
  }

  /** Where the import reads, for the construct `scope`. */
  public abstract bind(scope: Construct): DatasetImportSourceConfig;
}

class AssetSource extends DatasetImportSource {
  constructor(
    private readonly asset: s3assets.Asset,
    private readonly options: DatasetImportAssetOptions,
  ) {
    super();
  }

  public bind(scope: Construct): DatasetImportSourceConfig {
    const { asset } = this;
    if (asset.isZipArchive) {
      throw new Error(
        `${scope.node.path}: the asset ${asset.node.path} is a folder or archive, which S3 holds as one zip file; ` +
          'Personalize imports CSV files: give the asset a CSV file\'s path, or upload the folder to a bucket and use DatasetImportSource.fromBucket.',
      );
    }
    const { copyTo, copyPrefix = DEFAULT_COPY_PREFIX } = this.options;
    if (copyTo === undefined) {
      Annotations.of(scope).addWarningV2(
        'cdk-personalize-batch-jobs:assetNotCopied',
        `The import reads the asset ${asset.node.path} from the CDK asset bucket, whose policy belongs to the bootstrap stack. ` +
          'Give DatasetImportSource.fromAsset the option copyTo, a bucket of this stack, to import from a copy there instead.',
      );
      return { bucket: asset.bucket, key: asset.s3ObjectKey, dataVersion: asset.assetHash };
    }
    const key = `${copyPrefix}${asset.s3ObjectKey}`;
    const copy = copyObject(scope, 'SourceCopy', { bucket: asset.bucket, key: asset.s3ObjectKey }, { bucket: copyTo, key });
    return { bucket: copyTo, key, dataVersion: asset.assetHash, dependency: copy, readableObjects: `${copyPrefix}*` };
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
