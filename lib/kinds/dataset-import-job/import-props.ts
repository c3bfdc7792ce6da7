import type * as iam from 'aws-cdk-lib/aws-iam';
import type { DatasetImportSource } from './source';

/** How an import treats the data already in the dataset (`importMode`). */
export enum ImportMode {
  /** Replace the dataset's data (up to 100 GB). */
  FULL = 'FULL',
  /** Add to it, replacing records with the same id (up to 1 GB). */
  INCREMENTAL = 'INCREMENTAL',
}

/** What defines an import into a dataset, whoever starts it: a stack's `DatasetImportJob`, or a state machine's `RunDatasetImportJob`. */
export interface DatasetImportJobDefinitionProps {
  /** The dataset to import into, such as a `CfnDataset`'s `attrDatasetArn`. The job is created in its region and account. */
  readonly datasetArn: string;

  /** The data: `DatasetImportSource.fromAsset(asset)` or `DatasetImportSource.fromBucket(bucket, key, { dataVersion })`. */
  readonly source: DatasetImportSource;

  /**
   * @default ImportMode.FULL
   */
  readonly importMode?: ImportMode;

  /**
   * The role Personalize assumes to read the data. The construct grants it what the import needs.
   *
   * @default - a role that only Personalize may assume, on behalf of this account, with least privilege
   */
  readonly role?: iam.IRole;

  /**
   * The start of the job's name, 1 to 50 letters, digits, `-` and `_`; each import is named
   * `<jobNamePrefix>-<12 characters>` from the deployment that starts it.
   *
   * @default - a name made from the construct's path
   */
  readonly jobNamePrefix?: string;

  /**
   * Whether Personalize publishes the import's metric attribution metrics to S3 (the dataset
   * group needs a metric attribution).
   *
   * @default - Personalize's default (false)
   */
  readonly publishAttributionMetricsToS3?: boolean;

  /**
   * Tags for the job (at most 200), applied when an import starts; changing only the tags starts none.
   *
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}
