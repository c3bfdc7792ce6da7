import { tagList } from '../../engine/job-contract';
import type { JobKind } from '../../engine/job-kind';

/**
 * Dataset import jobs: data loaded from S3 into a dataset. CreateDatasetImportJob and
 * DescribeDatasetImportJob in the Personalize API reference.
 */
export const DATASET_IMPORT_JOB: JobKind = {
  id: 'datasetImportJob',
  noun: 'dataset import job',
  arnResource: 'dataset-import-job',
  waiterResourceType: 'Custom::PersonalizeDatasetImportJobWaiter',
  jobResourceType: 'Custom::PersonalizeDatasetImportJob',
  arnProperty: 'DatasetImportJobArn',
  refProperty: 'DatasetImportJobArn',
  arnExample: 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/interactions-2026-11-28',
  describeAction: 'personalize:DescribeDatasetImportJob',
  createAction: 'personalize:CreateDatasetImportJob',
  grantedActions: [
    'personalize:DescribeDatasetImportJob',
    'personalize:CreateDatasetImportJob',
    'personalize:ListDatasetImportJobs',
    'personalize:TagResource',
    'personalize:ListTagsForResource',
    'iam:PassRole',
  ],
  // Not adjustable (Personalize quotas).
  inFlightLimit: 5,
  // An import changes the dataset in place: only a reverse Update can import the old data again.
  keepsPhysicalId: true,
  succeededStatus: 'ACTIVE',
  failedStatuses: ['CREATE FAILED'],
};

/** Keys of a dataset import's fields in the custom resource's `Job` property (NamePrefix, RoleArn and Tags as for every job). */
export const ImportField = {
  DATASET_ARN: 'DatasetArn',
  DATA_LOCATION: 'DataLocation',
  IMPORT_MODE: 'ImportMode',
  PUBLISH_ATTRIBUTION_METRICS: 'PublishAttributionMetricsToS3',
  /** Which version of the data the import reads: a new one starts a new import. Not sent to Personalize. */
  DATA_VERSION: 'DataVersion',
} as const;

/** `importMode`: FULL replaces the dataset's data (up to 100 GB), INCREMENTAL adds to it (up to 1 GB). */
export const IMPORT_MODES = ['FULL', 'INCREMENTAL'] as const;
export type ImportModeValue = (typeof IMPORT_MODES)[number];

/** A dataset's ARN: `dataset/<dataset group>/<dataset type>`. */
export const DATASET_ARN_PATTERN = /^arn:[a-z\d-]+:personalize:[a-z]{2,}(?:-[a-z]+)+-\d+:\d{12}:dataset\/[^/\s]+\/[^/\s]+$/;
export const DATASET_ARN_EXAMPLE = 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS';

/** Finding the imports into a dataset: one still running holds back a new one, and an update finds the resource's latest. */
export const LIST_IMPORTS_ACTION = 'personalize:ListDatasetImportJobs';

/** The attributes a dataset import's wait answers with. */
export const ImportAttribute = {
  /** The import's ARN: an import construct's physical id is its own, kept across updates. */
  DATASET_IMPORT_JOB_ARN: 'DatasetImportJobArn',
  JOB_NAME: 'JobName',
  STATUS: 'Status',
  DATASET_ARN: 'DatasetArn',
  IMPORT_MODE: 'ImportMode',
  DATA_LOCATION: 'DataLocation',
  ROLE_ARN: 'RoleArn',
  PUBLISH_ATTRIBUTION_METRICS: 'PublishAttributionMetricsToS3',
  FAILURE_REASON: 'FailureReason',
  CREATION_DATE_TIME: 'CreationDateTime',
  LAST_UPDATED_DATE_TIME: 'LastUpdatedDateTime',
} as const;

/** An import to create: which dataset, from where, with which role and how; the handlers read it from the `Job` property. */
export interface ImportRequestDefinition<Mode extends string = string> {
  readonly datasetArn: string;
  readonly dataLocation: string;
  readonly roleArn: string;
  readonly importMode?: Mode;
  readonly publishAttributionMetricsToS3?: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The CreateDatasetImportJob request for the import named `jobName`: the one definition of it. The
 * handlers send it through the SDK; a state machine's task sends it through Step Functions' SDK
 * integration, the name then being a path into the run's state.
 */
export function importRequest<Mode extends string>(jobName: string, job: ImportRequestDefinition<Mode>) {
  return {
    jobName,
    datasetArn: job.datasetArn,
    dataSource: { dataLocation: job.dataLocation },
    roleArn: job.roleArn,
    importMode: job.importMode,
    publishAttributionMetricsToS3: job.publishAttributionMetricsToS3,
    tags: tagList(job.tags),
  };
}
