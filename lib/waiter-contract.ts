/**
 * What the construct and the waiter's Lambda handlers agree on: the custom resource's type, its
 * property and attribute names, the job ARN's shape and the limits on its settings. Both sides
 * import this module, so a name cannot change on one side only.
 */

export const WAITER_RESOURCE_TYPE = 'Custom::PersonalizeBatchSegmentJobWaiter';

/** Property keys of the custom resource. CloudFormation delivers every value as a string. */
export const WaiterProperty = {
  BATCH_SEGMENT_JOB_ARN: 'BatchSegmentJobArn',
  TIMEOUT_SECONDS: 'TimeoutSeconds',
  POLL_INTERVAL_SECONDS: 'PollIntervalSeconds',
  FAIL_ON_JOB_FAILURE: 'FailOnJobFailure',
  LOG_LEVEL: 'LogLevel',
  /** Which link of a relayed wait this resource is (from 1), and how many links there are. */
  LINK_INDEX: 'LinkIndex',
  LINK_COUNT: 'LinkCount',
  /** The job to create and then wait for (BatchSegmentJob only; see job-contract.ts). */
  JOB: 'Job',
} as const;

/** Attribute names (`Fn::GetAtt`) the waiter answers with once the job is terminal. */
export const WaiterAttribute = {
  NUM_RESULTS: 'NumResults',
  OUTPUT_PATH: 'OutputPath',
  STATUS: 'Status',
  JOB_NAME: 'JobName',
  FAILURE_REASON: 'FailureReason',
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
  FILTER_ARN: 'FilterArn',
  ROLE_ARN: 'RoleArn',
  INPUT_PATH: 'InputPath',
  INPUT_KMS_KEY_ARN: 'InputKmsKeyArn',
  OUTPUT_KMS_KEY_ARN: 'OutputKmsKeyArn',
  CREATION_DATE_TIME: 'CreationDateTime',
  LAST_UPDATED_DATE_TIME: 'LastUpdatedDateTime',
} as const;

export type WaiterAttributeName = (typeof WaiterAttribute)[keyof typeof WaiterAttribute];

/** Every attribute is always present (empty when Personalize did not report it), so no GetAtt fails. */
export type WaiterData = Record<WaiterAttributeName, string>;

/** The statuses that end a batch segment job. Every other status, documented or not, means "not yet". */
export const JobStatus = {
  ACTIVE: 'ACTIVE',
  CREATE_FAILED: 'CREATE FAILED',
} as const;

/**
 * A batch segment job ARN, stricter than the service's own pattern
 * (`arn:([a-z\d-]+):personalize:.*:.*:.+`): the waiter needs the region to call Personalize there,
 * and the resource must be a batch segment job with a valid job name.
 */
export const BATCH_SEGMENT_JOB_ARN_PATTERN =
  /^arn:[a-z\d-]+:personalize:[a-z]{2,}(?:-[a-z]+)+-\d+:\d{12}:batch-segment-job\/[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$/;

export const BATCH_SEGMENT_JOB_ARN_EXAMPLE =
  'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';

/** The region a batch segment job ARN names (its fourth field). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3];
}

/** The values of aws-cdk-lib's `lambda.ApplicationLogLevel`, which the construct takes for `logLevel`. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type WaiterLogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_LOG_LEVEL: WaiterLogLevel = 'INFO';
