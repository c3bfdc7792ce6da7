import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import type { BatchSegmentJob } from '@aws-sdk/client-personalize';
import { JOB_NAME_SUFFIX_LENGTH, JobDefinition, jobArnFor, jobNameOf } from '../lib/job-contract';
import { BATCH_SEGMENT_JOB_ARN_PATTERN, WaiterProperty } from '../lib/waiter-contract';
import { describeJob } from './describe-job';
import type { OnEventRequest } from './framework-contract';
import { readJobDefinition } from './job-definition';

/**
 * The ARN of the job a BatchSegmentJob request stands for.
 *
 * An Update keeps the job it already has when the job's definition did not change (a change of
 * timeout, poll interval or tags alone starts nothing), or when that job is already the one asked
 * for: a rollback after a failed update asks again for the job the resource still points at.
 * Any other request names a new job after itself: the same request, however often it is
 * retried, names the same job, so a retried Create finds the job it started instead of starting
 * a second one.
 */
export async function jobArnForRequest(event: OnEventRequest, job: JobDefinition): Promise<string> {
  if (event.RequestType === 'Update') {
    if (definesSameJob(event.OldResourceProperties?.[WaiterProperty.JOB], job) || (await isAlreadyTheJob(event.PhysicalResourceId, job))) {
      return event.PhysicalResourceId;
    }
  }
  const requestHash = createHash('sha256')
    .update(`${event.StackId}/${event.LogicalResourceId}/${event.RequestId}`)
    .digest('hex')
    .slice(0, JOB_NAME_SUFFIX_LENGTH);
  return jobArnFor(job.solutionVersionArn, `${job.namePrefix}-${requestHash}`);
}

function definesSameJob(oldValue: unknown, job: JobDefinition): boolean {
  let oldJob: JobDefinition;
  try {
    oldJob = readJobDefinition(oldValue);
  } catch {
    // Old settings that no longer read (or none: a waiter turned into a job) cannot be the same job.
    return false;
  }
  return isDeepStrictEqual({ ...oldJob, tags: undefined }, { ...job, tags: undefined });
}

/** Whether the job `jobArn` was created from `job`, as far as Personalize describes it. */
async function isAlreadyTheJob(jobArn: string, job: JobDefinition): Promise<boolean> {
  if (!BATCH_SEGMENT_JOB_ARN_PATTERN.test(jobArn) || !new RegExp(`^${job.namePrefix}-[0-9a-f]{${JOB_NAME_SUFFIX_LENGTH}}$`).test(jobNameOf(jobArn))) {
    return false;
  }
  const outcome = await describeJob(jobArn);
  return outcome.kind === 'described' && matches(outcome.job, job);
}

function matches(described: BatchSegmentJob, job: JobDefinition): boolean {
  return (
    described.solutionVersionArn === job.solutionVersionArn &&
    described.roleArn === job.roleArn &&
    described.filterArn === job.filterArn &&
    described.jobInput?.s3DataSource?.path === job.inputPath &&
    described.jobInput?.s3DataSource?.kmsKeyArn === job.inputKmsKeyArn &&
    described.jobOutput?.s3DataDestination?.path === job.outputPath &&
    described.jobOutput?.s3DataDestination?.kmsKeyArn === job.outputKmsKeyArn &&
    // Without numResults, Personalize applies (and reports) its own default.
    (job.numResults === undefined || described.numResults === job.numResults)
  );
}
