/**
 * What the constructs and the Lambda handlers agree on for every kind of job: the wait's property
 * names, the attribute names of batch jobs and the log levels. Both sides import this module, so
 * a name cannot change on one side only. The job ARN's property, pattern and statuses belong to
 * its kind (kinds/).
 */

/** Property keys of the custom resource. CloudFormation delivers every value as a string. */
export const WaiterProperty = {
  TIMEOUT_SECONDS: 'TimeoutSeconds',
  POLL_INTERVAL_SECONDS: 'PollIntervalSeconds',
  FAIL_ON_JOB_FAILURE: 'FailOnJobFailure',
  LOG_LEVEL: 'LogLevel',
  /** Which link of a relayed wait this resource is (from 1), and how many links there are. */
  LINK_INDEX: 'LinkIndex',
  LINK_COUNT: 'LinkCount',
  /** The job to create and then wait for (constructs that create their job only; see job-contract.ts). */
  JOB: 'Job',
} as const;

/** Attribute names (`Fn::GetAtt`) every batch job's wait answers with once the job is terminal. */
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

/** The region a Personalize ARN names (its fourth field). */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3];
}

/** The values of aws-cdk-lib's `lambda.ApplicationLogLevel`, which the construct takes for `logLevel`. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type WaiterLogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_LOG_LEVEL: WaiterLogLevel = 'INFO';
