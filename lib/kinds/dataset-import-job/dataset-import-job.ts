import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BatchJobWaitOptions } from '../../engine/wait-options';
import { withoutWaitOptions } from '../../engine/wait-option-keys';
import { DatasetImportJobBase } from './base';
import { DatasetImportSource } from './source';
import { JOB_NAME_SUFFIX_LENGTH, JobField } from '../../engine/job-contract';
import { DATASET_IMPORT_JOB, ImportField, LIST_IMPORTS_ACTION } from './contract';
import { jobArnIn } from '../../engine/job-kind';
import { JOB_WAIT_DEFAULTS } from '../../engine/wait-timing';
import { type DatasetImportJobDefinitionProps, ImportMode } from './import-props';
import { setUpImport } from './import-setup';

export interface DatasetImportJobProps extends DatasetImportJobDefinitionProps, BatchJobWaitOptions {
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

  /**
   * What defines the import, which a scheduled run of the same import takes as it is, with the
   * source as bound here, the role and the name prefix.
   * @internal
   */
  public readonly _jobDefinitionProps: DatasetImportJobDefinitionProps;

  constructor(scope: Construct, id: string, props: DatasetImportJobProps) {
    super(scope, id);
    const kind = DATASET_IMPORT_JOB;
    const namePrefix = this._namePrefix(props.jobNamePrefix, 'jobNamePrefix');
    const setup = setUpImport(this, props);
    const { definition, source } = setup;
    this.role = setup.role;
    this._jobDefinitionProps = {
      ...withoutWaitOptions(props),
      source: DatasetImportSource._bound(source),
      role: setup.role,
      jobNamePrefix: namePrefix,
    };
    const tagging = Object.keys(definition.tags).length > 0;
    const job = {
      [JobField.NAME_PREFIX]: namePrefix,
      [ImportField.DATASET_ARN]: definition.datasetArn,
      [ImportField.DATA_LOCATION]: definition.dataLocation,
      [JobField.ROLE_ARN]: definition.roleArn,
      [ImportField.IMPORT_MODE]: definition.importMode,
      [ImportField.PUBLISH_ATTRIBUTION_METRICS]: definition.publishAttributionMetricsToS3,
      [ImportField.DATA_VERSION]: source.dataVersion,
      ...this._reuseField(props.reuseWithin, jobArnIn(kind, setup.home, `${namePrefix}-${'?'.repeat(JOB_NAME_SUFFIX_LENGTH)}`)),
      [JobField.TAGS]: tagging ? definition.tags : undefined,
    };
    const [firstLink] = this._waitForNewJob(kind, props, JOB_WAIT_DEFAULTS, job);
    firstLink.node.addDependency(...setup.dependencies);
    this._allowCreating(kind, setup.home, namePrefix, definition.roleArn, tagging);
    // CreateDatasetImportJob is authorized on the dataset as well as on the import it creates;
    // ListDatasetImportJobs supports no resource-level permission (Service Authorization Reference).
    this._handlers().allow(kind.createAction, props.datasetArn);
    this._handlers().allowWithoutResource(LIST_IMPORTS_ACTION);
    this.dataIdentity = [props.datasetArn, definition.dataLocation, props.importMode ?? ImportMode.FULL, source.dataVersion ?? ''].join('|');
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
