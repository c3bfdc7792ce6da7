import { ARN_MAX_LENGTH, JOB_NAME_PREFIX_MAX_LENGTH, JOB_NAME_PREFIX_PATTERN, JobField, jobNameOf, KMS_KEY_ARN_MAX_LENGTH, KMS_KEY_ARN_PATTERN, ROLE_ARN_PATTERN, S3_PATH_MAX_LENGTH, S3_PATH_PATTERN } from '../../lib/engine/job-contract';
import { FILTER_ARN_PATTERN, BatchJobDefinition, jobOutputFolder, JOB_OUTPUT_FOLDER_MAX_LENGTH, SOLUTION_VERSION_ARN_EXAMPLE, SOLUTION_VERSION_ARN_PATTERN, BatchJobField } from '../../lib/batch-jobs/contract';
import { WaiterProperty } from '../../lib/engine/wait-contract';
import type { BatchJobDescription } from './batch-job-attributes';
import { quote, WaiterError } from '../engine/handler-error';
import { Fields, jobFields, matching, optionalMatching, readTags } from '../engine/job-fields';

/** The range of `numResults` a kind accepts, and what it counts (`users per segment`). */
export interface NumResultsLimits {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/**
 * Reads and checks what every batch job to create has (segment and inference jobs). Values that
 * were tokens at synth time are seen here for the first time, so each is checked against
 * Personalize's own limits before the job is created; a bad one throws an error that names it.
 */
export function readBatchJobDefinition(value: unknown, numResultsLimits: NumResultsLimits): BatchJobDefinition {
  const fields = jobFields(value);
  const inputKmsKeyArn = optionalMatching(fields, BatchJobField.INPUT_KMS_KEY_ARN, KMS_KEY_ARN_PATTERN, KMS_KEY_ARN_MAX_LENGTH, 'a KMS key ARN');
  const outputKmsKeyArn = optionalMatching(fields, BatchJobField.OUTPUT_KMS_KEY_ARN, KMS_KEY_ARN_PATTERN, KMS_KEY_ARN_MAX_LENGTH, 'a KMS key ARN');
  const filterArn = optionalMatching(fields, BatchJobField.FILTER_ARN, FILTER_ARN_PATTERN, ARN_MAX_LENGTH, 'a Personalize filter ARN');
  const numResults = readNumResults(fields[BatchJobField.NUM_RESULTS], numResultsLimits);
  return {
    namePrefix: matching(fields, JobField.NAME_PREFIX, JOB_NAME_PREFIX_PATTERN, JOB_NAME_PREFIX_MAX_LENGTH, 'a job name prefix of letters, digits, - and _ that starts with a letter or digit'),
    solutionVersionArn: matching(fields, BatchJobField.SOLUTION_VERSION_ARN, SOLUTION_VERSION_ARN_PATTERN, ARN_MAX_LENGTH, `a solution version ARN such as ${SOLUTION_VERSION_ARN_EXAMPLE}`),
    roleArn: matching(fields, JobField.ROLE_ARN, ROLE_ARN_PATTERN, ARN_MAX_LENGTH, 'an IAM role ARN'),
    inputPath: matching(fields, BatchJobField.INPUT_PATH, S3_PATH_PATTERN, S3_PATH_MAX_LENGTH, 'an S3 path such as s3://bucket/key'),
    outputPath: readOutputPath(fields),
    tags: readTags(fields[JobField.TAGS]),
    ...(filterArn !== undefined ? { filterArn } : {}),
    ...(numResults !== undefined ? { numResults } : {}),
    ...(inputKmsKeyArn !== undefined ? { inputKmsKeyArn } : {}),
    ...(outputKmsKeyArn !== undefined ? { outputKmsKeyArn } : {}),
  };
}

function readOutputPath(fields: Fields): string {
  // Each job writes to a folder of its own under this path (jobOutputFolder), within Personalize's limit.
  const path = matching(fields, BatchJobField.OUTPUT_PATH, S3_PATH_PATTERN, S3_PATH_MAX_LENGTH - JOB_OUTPUT_FOLDER_MAX_LENGTH, 'an S3 path such as s3://bucket/prefix/ (each job writes to a folder of its own in it)');
  if (!path.endsWith('/')) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${BatchJobField.OUTPUT_PATH} must end with "/" (a folder for the job's output files); got ${quote(path)}.`,
    );
  }
  return path;
}

function readNumResults(value: unknown, limits: NumResultsLimits): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const numResults = /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!(numResults >= limits.min && numResults <= limits.max)) {
    throw new WaiterError(
      `The ${WaiterProperty.JOB} property's ${BatchJobField.NUM_RESULTS} must be a whole number of ${limits.unit} from ` +
        `${limits.min} to ${limits.max}; got ${quote(value)}.`,
    );
  }
  return numResults;
}

/** Whether a described batch job was created from `job`, as far as Personalize describes it. */
export function matchesBatchJob(described: BatchJobDescription, job: BatchJobDefinition, jobArn: string): boolean {
  return (
    described.solutionVersionArn === job.solutionVersionArn &&
    described.roleArn === job.roleArn &&
    described.filterArn === job.filterArn &&
    described.jobInput?.s3DataSource?.path === job.inputPath &&
    described.jobInput?.s3DataSource?.kmsKeyArn === job.inputKmsKeyArn &&
    described.jobOutput?.s3DataDestination?.path === jobOutputFolder(job.outputPath, jobNameOf(jobArn)) &&
    described.jobOutput?.s3DataDestination?.kmsKeyArn === job.outputKmsKeyArn &&
    // Without numResults, Personalize applies (and reports) its own default.
    (job.numResults === undefined || described.numResults === job.numResults)
  );
}

/** What a batch job's Create answered "not found" could not find. */
export function missingSolutionVersionOrFilter(job: BatchJobDefinition, region: string): string {
  return (
    `Personalize could not find the solution version ${job.solutionVersionArn}${job.filterArn ? ` or the filter ${job.filterArn}` : ''}: ` +
    `check that it exists, is ACTIVE and lives in ${region}.`
  );
}

export function invalidBatchJob(): string {
  return 'Personalize rejected the job\'s settings: check the solution version, the S3 paths and the role it names.';
}
