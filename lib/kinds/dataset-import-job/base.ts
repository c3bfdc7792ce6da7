import type { IConstruct } from 'constructs';
import { JobWaitBase } from '../../engine/job-wait-base';
import { ImportAttribute } from './contract';

/** A finished Amazon Personalize dataset import, as a stack sees it. */
export interface IDatasetImportJob extends IConstruct {
  /** The import job's ARN; whatever reads it is deployed after the import has ended. */
  readonly datasetImportJobArn: string;
  /** The job's name. */
  readonly jobName: string;
  /** The job's final status: `ACTIVE`, or `CREATE FAILED` when `failOnJobFailure` is false. */
  readonly status: string;
  /** The ARN of the dataset the data was imported into. */
  readonly datasetArn: string;
  /** `FULL` (the data replaced the dataset's) or `INCREMENTAL` (it was added). */
  readonly importMode: string;
  /** Where the data was read from (`dataSource.dataLocation`), e.g. `s3://bucket/interactions.csv`. */
  readonly dataLocation: string;
  /** The ARN of the IAM role Personalize read the data with. */
  readonly roleArn: string;
  /** Why the import failed; empty for one that succeeded. */
  readonly failureReason: string;
  /** When the job was created, in ISO 8601. */
  readonly creationDateTime: string;
  /** When the job last changed, in ISO 8601; for a finished import, about when it ended. */
  readonly lastUpdatedDateTime: string;
}

/** What DatasetImportJobWaiter (and the constructs that import) share: the wait, and the import's attributes. */
export abstract class DatasetImportJobBase extends JobWaitBase implements IDatasetImportJob {
  public get datasetImportJobArn(): string {
    return this._attribute(ImportAttribute.DATASET_IMPORT_JOB_ARN);
  }
  public get jobName(): string {
    return this._attribute(ImportAttribute.JOB_NAME);
  }
  public get status(): string {
    return this._attribute(ImportAttribute.STATUS);
  }
  public get datasetArn(): string {
    return this._attribute(ImportAttribute.DATASET_ARN);
  }
  public get importMode(): string {
    return this._attribute(ImportAttribute.IMPORT_MODE);
  }
  public get dataLocation(): string {
    return this._attribute(ImportAttribute.DATA_LOCATION);
  }
  public get roleArn(): string {
    return this._attribute(ImportAttribute.ROLE_ARN);
  }
  public get failureReason(): string {
    return this._attribute(ImportAttribute.FAILURE_REASON);
  }
  public get creationDateTime(): string {
    return this._attribute(ImportAttribute.CREATION_DATE_TIME);
  }
  public get lastUpdatedDateTime(): string {
    return this._attribute(ImportAttribute.LAST_UPDATED_DATE_TIME);
  }
}
