import type { BatchInferenceJob, BatchSegmentJob } from '@aws-sdk/client-personalize';
import { WaiterAttribute } from '../../lib/engine/wait-contract';
import { isoTime } from '../engine/job-fields';

/** What batch segment and batch inference jobs have in common, as Personalize describes them. */
export type BatchJobDescription = BatchSegmentJob | BatchInferenceJob;

/**
 * The attributes every batch job's wait answers with, from a described job. Every attribute is
 * present, empty where Personalize reported nothing, so a consumer's GetAtt never fails.
 */
export function batchJobAttributes(job: BatchJobDescription): Record<string, string> {
  return {
    [WaiterAttribute.NUM_RESULTS]: job.numResults === undefined ? '' : String(job.numResults),
    [WaiterAttribute.OUTPUT_PATH]: job.jobOutput?.s3DataDestination?.path ?? '',
    [WaiterAttribute.STATUS]: job.status ?? '',
    [WaiterAttribute.JOB_NAME]: job.jobName ?? '',
    [WaiterAttribute.FAILURE_REASON]: job.failureReason ?? '',
    [WaiterAttribute.SOLUTION_VERSION_ARN]: job.solutionVersionArn ?? '',
    [WaiterAttribute.FILTER_ARN]: job.filterArn ?? '',
    [WaiterAttribute.ROLE_ARN]: job.roleArn ?? '',
    [WaiterAttribute.INPUT_PATH]: job.jobInput?.s3DataSource?.path ?? '',
    [WaiterAttribute.INPUT_KMS_KEY_ARN]: job.jobInput?.s3DataSource?.kmsKeyArn ?? '',
    [WaiterAttribute.OUTPUT_KMS_KEY_ARN]: job.jobOutput?.s3DataDestination?.kmsKeyArn ?? '',
    [WaiterAttribute.CREATION_DATE_TIME]: isoTime(job.creationDateTime),
    [WaiterAttribute.LAST_UPDATED_DATE_TIME]: isoTime(job.lastUpdatedDateTime),
  };
}
