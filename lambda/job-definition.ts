import {
  ARN_MAX_LENGTH,
  FILTER_ARN_PATTERN,
  JOB_NAME_PREFIX_MAX_LENGTH,
  JOB_NAME_PREFIX_PATTERN,
  JobDefinition,
  JobField,
  KMS_KEY_ARN_MAX_LENGTH,
  KMS_KEY_ARN_PATTERN,
  NUM_RESULTS,
  ROLE_ARN_PATTERN,
  S3_PATH_MAX_LENGTH,
  S3_PATH_PATTERN,
  SOLUTION_VERSION_ARN_EXAMPLE,
  SOLUTION_VERSION_ARN_PATTERN,
  TAGS,
} from '../lib/job-contract';
import { WaiterProperty } from '../lib/waiter-contract';
import { quote, WaiterError } from './waiter-error';

type Fields = Record<string, unknown>;

/**
 * Reads and checks the job a BatchSegmentJob creates. Values that were tokens at synth time are
 * seen here for the first time, so each is checked against Personalize's own limits before the
 * job is created; a bad one throws an error that names it.
 */
export function readJobDefinition(value: unknown): JobDefinition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WaiterError(`The ${WaiterProperty.JOB} property must be an object of job settings; got ${quote(value)}.`);
  }
  const fields = value as Fields;
  const inputKmsKeyArn = optionalMatching(fields, JobField.INPUT_KMS_KEY_ARN, KMS_KEY_ARN_PATTERN, KMS_KEY_ARN_MAX_LENGTH, 'a KMS key ARN');
  const outputKmsKeyArn = optionalMatching(fields, JobField.OUTPUT_KMS_KEY_ARN, KMS_KEY_ARN_PATTERN, KMS_KEY_ARN_MAX_LENGTH, 'a KMS key ARN');
  const filterArn = optionalMatching(fields, JobField.FILTER_ARN, FILTER_ARN_PATTERN, ARN_MAX_LENGTH, 'a Personalize filter ARN');
  const numResults = readNumResults(fields[JobField.NUM_RESULTS]);
  return {
    namePrefix: matching(fields, JobField.NAME_PREFIX, JOB_NAME_PREFIX_PATTERN, JOB_NAME_PREFIX_MAX_LENGTH, 'a job name prefix of letters, digits, - and _ that starts with a letter or digit'),
    solutionVersionArn: matching(fields, JobField.SOLUTION_VERSION_ARN, SOLUTION_VERSION_ARN_PATTERN, ARN_MAX_LENGTH, `a solution version ARN such as ${SOLUTION_VERSION_ARN_EXAMPLE}`),
    roleArn: matching(fields, JobField.ROLE_ARN, ROLE_ARN_PATTERN, ARN_MAX_LENGTH, 'an IAM role ARN'),
    inputPath: matching(fields, JobField.INPUT_PATH, S3_PATH_PATTERN, S3_PATH_MAX_LENGTH, 'an S3 path such as s3://bucket/key'),
    outputPath: readOutputPath(fields),
    tags: readTags(fields[JobField.TAGS]),
    ...(filterArn !== undefined ? { filterArn } : {}),
    ...(numResults !== undefined ? { numResults } : {}),
    ...(inputKmsKeyArn !== undefined ? { inputKmsKeyArn } : {}),
    ...(outputKmsKeyArn !== undefined ? { outputKmsKeyArn } : {}),
  };
}

function matching(fields: Fields, key: string, pattern: RegExp, maxLength: number, what: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.length > maxLength || !pattern.test(value)) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${key} must be ${what}, at most ${maxLength} characters; got ${quote(value)}.`,
    );
  }
  return value;
}

function optionalMatching(fields: Fields, key: string, pattern: RegExp, maxLength: number, what: string): string | undefined {
  return fields[key] === undefined || fields[key] === '' ? undefined : matching(fields, key, pattern, maxLength, what);
}

function readOutputPath(fields: Fields): string {
  const path = matching(fields, JobField.OUTPUT_PATH, S3_PATH_PATTERN, S3_PATH_MAX_LENGTH, 'an S3 path such as s3://bucket/prefix/');
  if (!path.endsWith('/')) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${JobField.OUTPUT_PATH} must end with "/" (a folder for the job's output files); got ${quote(path)}.`,
    );
  }
  return path;
}

function readNumResults(value: unknown): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const numResults = /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!(numResults >= NUM_RESULTS.min && numResults <= NUM_RESULTS.max)) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${JobField.NUM_RESULTS} must be a whole number of users from ` +
        `${NUM_RESULTS.min} to ${NUM_RESULTS.max}; got ${quote(value)}.`,
    );
  }
  return numResults;
}

function readTags(value: unknown): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : undefined;
  if (entries === undefined || entries.length > TAGS.maxCount) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${JobField.TAGS} must be an object of at most ${TAGS.maxCount} tags; got ${quote(value)}.`,
    );
  }
  for (const [key, tagValue] of entries) {
    if (key.length === 0 || key.length > TAGS.maxKeyLength || typeof tagValue !== 'string' || tagValue.length > TAGS.maxValueLength) {
      throw new WaiterError(
        `Tag ${quote(key)} must have a key of 1 to ${TAGS.maxKeyLength} characters and a string value of at most ` +
          `${TAGS.maxValueLength}; got ${quote(tagValue)}.`,
      );
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
