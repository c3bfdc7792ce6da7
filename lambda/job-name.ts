import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { JOB_NAME_SUFFIX_LENGTH } from '../lib/job-contract';
import { WaiterProperty } from '../lib/waiter-contract';
import { describeJob } from './describe-job';
import type { OnEventRequest } from './framework-contract';
import type { HandlerKind, JobDefinition } from './kinds/handler-kind';

/**
 * The reference (the ARN, for a batch job) of the job a construct's request stands for.
 *
 * An Update keeps the job it already has when the job's definition did not change (a change of
 * timeout, poll interval or tags alone starts nothing), or when that job is already the one asked
 * for: a rollback after a failed update asks again for the job the resource still points at.
 * Any other request names a new job after itself: the same request, however often it is
 * retried, names the same job, so a retried Create finds the job it started instead of starting
 * a second one.
 */
export async function jobArnForRequest(jobKind: HandlerKind, event: OnEventRequest, job: JobDefinition): Promise<string> {
  if (event.RequestType === 'Update') {
    if (definesSameJob(jobKind, event.OldResourceProperties?.[WaiterProperty.JOB], job) || (await isAlreadyTheJob(jobKind, event.PhysicalResourceId, job))) {
      return event.PhysicalResourceId;
    }
  }
  const requestHash = createHash('sha256')
    .update(`${event.StackId}/${event.LogicalResourceId}/${event.RequestId}`)
    .digest('hex')
    .slice(0, JOB_NAME_SUFFIX_LENGTH);
  return jobKind.refFor(job, `${job.namePrefix}-${requestHash}`);
}

function definesSameJob(jobKind: HandlerKind, oldValue: unknown, job: JobDefinition): boolean {
  let oldJob: JobDefinition;
  try {
    oldJob = jobKind.readDefinition(oldValue);
  } catch {
    // Old settings that no longer read (or none: a waiter turned into a job) cannot be the same job.
    return false;
  }
  const startOnly = Object.fromEntries(['tags', ...(jobKind.startOnlyFields ?? [])].map((field) => [field, undefined]));
  return isDeepStrictEqual({ ...oldJob, ...startOnly }, { ...job, ...startOnly });
}

/** Whether the job `jobArn` was created from `job`, as far as Personalize describes it. */
async function isAlreadyTheJob(jobKind: HandlerKind, jobArn: string, job: JobDefinition): Promise<boolean> {
  const namedByThisConstruct = new RegExp(`^${job.namePrefix}-[0-9a-f]{${JOB_NAME_SUFFIX_LENGTH}}$`);
  if (!jobKind.isRef(jobArn) || !namedByThisConstruct.test(jobKind.nameOfRef(jobArn))) {
    return false;
  }
  const outcome = await describeJob(jobKind, jobArn, 'status');
  return outcome.kind === 'described' && jobKind.matches(outcome.job, job, jobArn);
}
