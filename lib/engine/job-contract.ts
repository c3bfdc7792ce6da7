import { JOB_NAME_MAX_LENGTH } from './job-kind';

/**
 * What the constructs that create batch jobs (segment and inference) and the handlers agree on
 * about a job to create: the keys of the `Job` property, how a job is named, and the limits
 * Personalize puts on each field (CreateBatchSegmentJob and CreateBatchInferenceJob in the
 * Personalize API reference). Both sides import this module, so a name or limit cannot change on
 * one side only. What only one kind has is in its module under kinds/.
 */

/** Keys inside the custom resource's `Job` property. CloudFormation delivers every scalar as a string. */
export const JobField = {
  NAME_PREFIX: 'NamePrefix',
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
  FILTER_ARN: 'FilterArn',
  NUM_RESULTS: 'NumResults',
  ROLE_ARN: 'RoleArn',
  INPUT_PATH: 'InputPath',
  INPUT_KMS_KEY_ARN: 'InputKmsKeyArn',
  OUTPUT_PATH: 'OutputPath',
  OUTPUT_KMS_KEY_ARN: 'OutputKmsKeyArn',
  TAGS: 'Tags',
  /** For work a retry may adopt (trainings, imports): how old, in seconds, the work adopted may be; "0" adopts none. */
  REUSE_WITHIN_SECONDS: 'ReuseWithinSeconds',
} as const;

/**
 * Adopting work instead of redoing it (trainings and imports): a retry after a failed deployment
 * adopts what this library made from the same definition within the window. The default is a day:
 * long enough for the fix and the retry of a failed deployment, short enough that a dataset fed by
 * an event tracker has not moved on much since the adopted model was trained.
 */
export const REUSE_WITHIN_SECONDS = { min: 0, max: 30 * 24 * 3600, default: 24 * 3600 } as const;
/** The tag that records what a training or import was made from: a hash of its definition. */
export const DEFINITION_TAG_KEY = 'cdk-personalize-batch-jobs:definition';
/** The attribute that says whether a resource adopted its work (`"true"`) or started it (`"false"`). */
export const REUSED_ATTRIBUTE = 'Reused';

/** A batch job to create, as the handlers read it from the `Job` property. */
export interface BatchJobDefinition {
  readonly namePrefix: string;
  readonly solutionVersionArn: string;
  readonly filterArn?: string;
  readonly numResults?: number;
  readonly roleArn: string;
  readonly inputPath: string;
  readonly inputKmsKeyArn?: string;
  readonly outputPath: string;
  readonly outputKmsKeyArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A job is named `<prefix>-<suffix>`: the suffix is this many hex characters, OWNER_HASH_LENGTH of
 * a hash of the resource (its stack and logical id), then the rest of a hash of the CloudFormation
 * request. So each deployment that starts a job gets a new name, a retried request finds the job it
 * already started, and every job a resource started can be told apart from any other's by its name
 * alone, which a rollback's Delete needs when its physical id is one CloudFormation made up.
 */
export const JOB_NAME_SUFFIX_LENGTH = 12;
export const OWNER_HASH_LENGTH = 6;
export const JOB_NAME_PREFIX_MAX_LENGTH = JOB_NAME_MAX_LENGTH - 1 - JOB_NAME_SUFFIX_LENGTH;
export const JOB_NAME_PREFIX_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;

/** Personalize's limit on one S3 path (`s3://bucket/key`). */
export const S3_PATH_MAX_LENGTH = 256;

export const TAGS = { maxCount: 200, maxKeyLength: 128, maxValueLength: 256 } as const;

/** A solution version ARN names the region and account the job is created in. */
export const SOLUTION_VERSION_ARN_PATTERN =
  /^arn:[a-z\d-]+:personalize:[a-z]{2,}(?:-[a-z]+)+-\d+:\d{12}:solution\/[^/]+\/[^/]+$/;
export const SOLUTION_VERSION_ARN_EXAMPLE = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';

/** The service's own patterns (CreateBatchSegmentJob), each at most 256 characters. */
export const FILTER_ARN_PATTERN = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:.+$/;
export const ROLE_ARN_PATTERN = /^arn:[a-z\d-]+:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
export const ARN_MAX_LENGTH = 256;
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\/.+$/;
export const KMS_KEY_ARN_MAX_LENGTH = 2048;
export const S3_PATH_PATTERN = /^s3:\/\/[^/]+\/.+$/;

/**
 * Where a batch job this library creates writes: a folder of its own, named after the job, under
 * the output path the user gave (`s3://bucket/segments/` gives `s3://bucket/segments/<job name>/`).
 * No job ever writes over another's output, so the output a stack names (`OutputPath`) is always
 * that of the job it names, whatever CloudFormation cancels or rolls back.
 */
export function jobOutputFolder(outputPath: string, jobName: string): string {
  return `${outputPath}${jobName}/`;
}

/** What the job's own folder adds to the output path, at most: the longest job name and "/". */
export const JOB_OUTPUT_FOLDER_MAX_LENGTH = JOB_NAME_MAX_LENGTH + 1;

/** The name of the job an ARN points at. */
export function jobNameOf(jobArn: string): string {
  return jobArn.slice(jobArn.indexOf('/') + 1);
}
