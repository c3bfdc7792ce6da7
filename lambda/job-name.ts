import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { JOB_NAME_SUFFIX_LENGTH, JobDefinition, jobArnFor } from '../lib/job-contract';
import { WaiterProperty } from '../lib/waiter-contract';
import type { OnEventRequest } from './framework-contract';
import { readJobDefinition } from './job-definition';

/**
 * The ARN of the job a BatchSegmentJob request stands for.
 *
 * An Update that leaves the job's definition as it was keeps the job it already has (a change of
 * timeout, poll interval or tags alone starts nothing). Any other request names a new job after
 * itself: the same request, however often it is retried, always names the same job, so a retried
 * Create finds the job it started instead of starting a second one.
 */
export function jobArnForRequest(event: OnEventRequest, job: JobDefinition): string {
  if (event.RequestType === 'Update' && definesSameJob(event.OldResourceProperties?.[WaiterProperty.JOB], job)) {
    return event.PhysicalResourceId;
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
