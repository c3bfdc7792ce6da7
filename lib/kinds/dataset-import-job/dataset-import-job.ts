import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BatchJobWaitOptions } from '../../engine/wait-options';
import { DatasetImportJobBase } from './base';
import type { DatasetImportSource } from './source';
import { setUpJobDataAccess } from '../../engine/job-data-access';
import { JOB_NAME_SUFFIX_LENGTH, JobField } from '../../engine/job-contract';
import { homeOf, readPattern } from '../../engine/job-home';
import { validateS3Key, validateTags } from '../../engine/job-validation';
import { DATASET_IMPORT_JOB, ImportField, LIST_IMPORTS_ACTION } from './contract';
import { jobArnIn } from '../../engine/job-kind';
import { validateDatasetArn } from './validation';
import { JOB_WAIT_DEFAULTS } from '../../engine/wait-timing';

/** How an import treats the data already in the dataset (`importMode`). */
export enum ImportMode {
  /** Replace the dataset's data (up to 100 GB). */
  FULL = 'FULL',
  /** Add to it, replacing records with the same id (up to 1 GB). */
  INCREMENTAL = 'INCREMENTAL',
}

export interface DatasetImportJobProps extends BatchJobWaitOptions {
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

  /**
   * How old an import may be for a retry to adopt it instead of importing again. Before it
   * imports, the construct adopts the latest import into the dataset when this library made it
   * from the same definition (dataset, data location and its version: an asset's hash, a
   * `dataVersion`; mode), it is `ACTIVE` and within this window: only the latest, so that the
   * dataset really holds that data. An import made by hand or that failed is never adopted.
   * `Duration.seconds(0)` turns reuse off. At most 30 days.
   *
   * @default Duration.days(1) - a retry usually comes within hours
   */
  readonly reuseWithin?: Duration;
}

/**
 * Imports data into an Amazon Personalize dataset from the stack, waits until the import has
 * ended, and exposes it as attributes: a `SolutionVersion` (or anything else) that depends on it
 * starts on the whole dataset.
 *
 * An import starts when the resource is created, and again (a new job) when the data changes (an
 * asset's hash, a `dataVersion`) or anything else that defines the import; a change to the wait's
 * settings or the tags alone starts none. When the region is at Personalize's limit of five imports
 * in progress, or the dataset is not `ACTIVE` yet, the import starts when it can, within `timeout`.
 * Deleting the construct leaves the imported data in place and always succeeds.
 */
export class DatasetImportJob extends DatasetImportJobBase {
  /** The role Personalize reads the data with. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: DatasetImportJobProps) {
    super(scope, id);
    const kind = DATASET_IMPORT_JOB;
    const namePrefix = this._namePrefix(props.jobNamePrefix, 'jobNamePrefix');
    const tags = props.tags ?? {};
    const source = props.source.bind(this);
    validateDatasetArn(this, props.datasetArn);
    validateS3Key(this, 'source key', source.bucket, source.key, false);
    validateTags(this, tags);

    const home = homeOf(props.datasetArn);
    const access = setUpJobDataAccess(
      this,
      kind,
      home,
      [{ bucket: source.bucket, objects: source.readableObjects ?? readPattern(source.key), access: 's3:GetObject', kmsKey: source.kmsKey }],
      props.role,
    );
    this.role = access.role;
    const job = {
      [JobField.NAME_PREFIX]: namePrefix,
      [ImportField.DATASET_ARN]: props.datasetArn,
      [ImportField.DATA_LOCATION]: `s3://${source.bucket.bucketName}/${source.key}`,
      [JobField.ROLE_ARN]: access.role.roleArn,
      [ImportField.IMPORT_MODE]: props.importMode,
      [ImportField.PUBLISH_ATTRIBUTION_METRICS]: props.publishAttributionMetricsToS3,
      [ImportField.DATA_VERSION]: source.dataVersion,
      ...this._reuseField(props.reuseWithin, jobArnIn(kind, home, `${namePrefix}-${'?'.repeat(JOB_NAME_SUFFIX_LENGTH)}`)),
      [JobField.TAGS]: Object.keys(tags).length > 0 ? tags : undefined,
    };
    const [firstLink] = this._waitForNewJob(kind, props, JOB_WAIT_DEFAULTS, job);
    firstLink.node.addDependency(...access.dependencies, ...(source.dependency !== undefined ? [source.dependency] : []));
    this._allowCreating(kind, home, namePrefix, access.role.roleArn, Object.keys(tags).length > 0);
    // CreateDatasetImportJob is authorized on the dataset as well as on the import it creates;
    // ListDatasetImportJobs supports no resource-level permission (Service Authorization Reference).
    this._handlers().allow(kind.createAction, props.datasetArn);
    this._handlers().allowWithoutResource(LIST_IMPORTS_ACTION);
    this.dataIdentity = [props.datasetArn, job[ImportField.DATA_LOCATION], props.importMode ?? ImportMode.FULL, source.dataVersion ?? ''].join('|');
  }

  /**
   * What defines the data this construct imports (dataset, location, mode, data version): what a
   * training that follows it is defined by, rather than the import's ARN, which a rollback that
   * imports the old data again changes while the data stays the same.
   * @internal
   */
  public get _dataIdentity(): string {
    return this.dataIdentity;
  }

  /** `"true"` when the deployment adopted an import made before (see `reuseWithin`), `"false"` when it imported. */
  public get reused(): string {
    return this._reusedAttribute();
  }

  private readonly dataIdentity: string;
}
