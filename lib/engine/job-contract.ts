import { JOB_NAME_MAX_LENGTH } from './job-kind';

/**
 * What the constructs that create work (of every kind) and the handlers agree on about it: the
 * `Job` property's keys every kind has, how work is named, and the limits Personalize puts on
 * those fields. Both sides import this module, so a name or limit cannot change on one side only.
 * What the batch jobs share is in lib/batch-jobs/contract.ts; what one kind has, in its folder.
 */

/** Keys inside the custom resource's `Job` property. CloudFormation delivers every scalar as a string. */
export const JobField = {
  NAME_PREFIX: 'NamePrefix',
  ROLE_ARN: 'RoleArn',
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


/** The service's own patterns (CreateBatchSegmentJob), each at most 256 characters. */
export const ROLE_ARN_PATTERN = /^arn:[a-z\d-]+:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
export const ARN_MAX_LENGTH = 256;
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[^:]*:\d{12}:key\/.+$/;
export const KMS_KEY_ARN_MAX_LENGTH = 2048;
export const S3_PATH_PATTERN = /^s3:\/\/[^/]+\/.+$/;


/** The name of the job an ARN points at. */
export function jobNameOf(jobArn: string): string {
  return jobArn.slice(jobArn.indexOf('/') + 1);
}

/** Tags as Personalize's Create calls take them; undefined for none, which the calls take as no tags. */
export function tagList(tags: Readonly<Record<string, string>>): { tagKey: string; tagValue: string }[] | undefined {
  const entries = Object.entries(tags);
  return entries.length === 0 ? undefined : entries.map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}
