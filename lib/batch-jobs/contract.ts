import { tagList } from '../engine/job-contract';
import { JOB_NAME_MAX_LENGTH } from '../engine/job-kind';

/**
 * What the constructs that create batch jobs (segment and inference) and the handlers agree on
 * about a batch job to create, beside what every kind has (lib/engine/job-contract.ts): the keys
 * of the `Job` property and the limits Personalize puts on them (CreateBatchSegmentJob and
 * CreateBatchInferenceJob in the Personalize API reference).
 */

/** The `Job` property's keys of a batch job, beside NamePrefix, RoleArn and Tags. */
export const BatchJobField = {
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
  FILTER_ARN: 'FilterArn',
  NUM_RESULTS: 'NumResults',
  INPUT_PATH: 'InputPath',
  INPUT_KMS_KEY_ARN: 'InputKmsKeyArn',
  OUTPUT_PATH: 'OutputPath',
  OUTPUT_KMS_KEY_ARN: 'OutputKmsKeyArn',
} as const;

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

/** A solution version ARN names the region and account the job is created in. */
export const SOLUTION_VERSION_ARN_PATTERN =
  /^arn:[a-z\d-]+:personalize:[a-z]{2,}(?:-[a-z]+)+-\d+:\d{12}:solution\/[^/]+\/[^/]+$/;
export const SOLUTION_VERSION_ARN_EXAMPLE = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';

/** The service's own pattern for a filter's ARN (CreateBatchSegmentJob), at most 256 characters. */
export const FILTER_ARN_PATTERN = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:.+$/;

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

/**
 * What every batch job's Create request holds (CreateBatchSegmentJob, CreateBatchInferenceJob),
 * for the job named `jobName` writing to `outputFolder` (see jobOutputFolder). The one definition
 * of the request: the handlers send it through the SDK; a state machine's task sends it through
 * Step Functions' SDK integration, the name and folder then being paths into the run's state.
 */
export function batchJobRequest(jobName: string, outputFolder: string, job: BatchJobDefinition) {
  return {
    jobName,
    solutionVersionArn: job.solutionVersionArn,
    filterArn: job.filterArn,
    numResults: job.numResults,
    roleArn: job.roleArn,
    jobInput: { s3DataSource: { path: job.inputPath, kmsKeyArn: job.inputKmsKeyArn } },
    jobOutput: { s3DataDestination: { path: outputFolder, kmsKeyArn: job.outputKmsKeyArn } },
    tags: tagList(job.tags),
  };
}
