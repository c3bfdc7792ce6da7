import { createHash } from 'crypto';
import { isDeepStrictEqual } from 'util';
import { JOB_NAME_SUFFIX_LENGTH, OWNER_HASH_LENGTH } from '../../lib/engine/job-contract';
import { regionOfArn, WaiterProperty } from '../../lib/engine/wait-contract';
import { logger } from './logger';
import { personalizeClientFor } from './personalize-client';
import { formatDuration } from '../../lib/engine/wait-timing';
import type { Reusable } from './adoption';
import { describeThrown, errorNameOf } from './handler-error';
import { describeJob } from './describe-job';
import type { OnEventRequest } from './framework-contract';
import type { HandlerKind, JobDefinition } from './handler-kind';

/** The job a request stands for, and whether it existed before the request (kept or adopted) rather than started by it. */
export interface JobChoice {
  readonly ref: string;
  readonly reused: boolean;
}

/**
 * The reference (the ARN, for a batch job) of the job a construct's request stands for.
 *
 * An Update keeps the job it already has when the job's definition did not change (a change of
 * timeout, poll interval or tags alone starts nothing), or when that job is already the one asked
 * for: a rollback after a failed update asks again for the job the resource still points at.
 * A kind that allows it then adopts work made before from the same definition (adoption.ts).
 * Any other request names a new job after itself: the same request, however often it is
 * retried, names the same job, so a retried Create finds the job it started instead of starting
 * a second one.
 */
export async function refForRequest(jobKind: HandlerKind, event: OnEventRequest, job: JobDefinition): Promise<JobChoice> {
  if (event.RequestType === 'Update') {
    const current = jobKind.kind.keepsPhysicalId ? await latestOwnedJob(jobKind, event, job) : event.PhysicalResourceId;
    if (current !== undefined && (definesSameJob(jobKind, event.OldResourceProperties?.[WaiterProperty.JOB], job) || (await isAlreadyTheJob(jobKind, current, job)))) {
      return { ref: current, reused: true };
    }
  }
  const requestHash = hex(`${event.StackId}/${event.LogicalResourceId}/${event.RequestId}`, JOB_NAME_SUFFIX_LENGTH - OWNER_HASH_LENGTH);
  const named = jobKind.refFor(job, `${job.namePrefix}-${ownerHash(event.StackId, event.LogicalResourceId)}${requestHash}`);
  const adopted = await adoptedJob(jobKind, job, named);
  return adopted !== undefined ? { ref: adopted, reused: true } : { ref: named, reused: false };
}

/**
 * Work to adopt instead of starting `named`, for a kind that allows it. A request delivered again
 * whose first delivery already started `named` keeps it; a lookup that fails adopts nothing, and
 * the request starts its own work, which is never wrong, only slower.
 */
async function adoptedJob(jobKind: HandlerKind, job: JobDefinition, named: string): Promise<string | undefined> {
  if (jobKind.adopt === undefined || !(job as Reusable).reuseWithinSeconds) {
    return undefined;
  }
  const existing = await describeJob(jobKind, named, 'status');
  if (existing.kind !== 'permanent' || errorNameOf(existing.error) !== 'ResourceNotFoundException') {
    return undefined;
  }
  try {
    const adopted = await jobKind.adopt(personalizeClientFor(regionOfArn(jobKind.homeArn(job))), job);
    if (adopted !== undefined) {
      logger.info(`Reusing ${jobKind.kind.noun} ${jobKind.nameOfRef(adopted.ref)}, made from the same definition ${formatDuration((Date.now() - adopted.createdAt.getTime()) / 1000)} ago`, {
        adopted: adopted.ref,
        createdAt: adopted.createdAt.toISOString(),
      });
    }
    return adopted?.ref;
  } catch (error) {
    logger.warn(`Could not look for a ${jobKind.kind.noun} to reuse; this request starts its own`, { error: describeThrown(error) });
    return undefined;
  }
}

/**
 * The physical id of a resource that keeps one across updates (JobKind.keepsPhysicalId): where its
 * jobs are made (a dataset's ARN) and the resource's owner hash, neither of which an update of
 * what the job reads changes.
 */
export function keptPhysicalId(jobKind: HandlerKind, event: OnEventRequest, job: JobDefinition): string {
  return `${jobKind.homeArn(job)}#${ownerHash(event.StackId, event.LogicalResourceId)}`;
}

/**
 * The job a resource that keeps its physical id has now: its latest. A lookup that fails names
 * none, and the request starts a new job from its definition, which is never wrong, only slower.
 */
async function latestOwnedJob(jobKind: HandlerKind, event: OnEventRequest, job: JobDefinition): Promise<string | undefined> {
  try {
    return await jobKind.latestOwned?.(personalizeClientFor(regionOfArn(jobKind.homeArn(job))), job, ownerOfRequest(jobKind, event));
  } catch (error) {
    logger.warn(`Could not look up the ${jobKind.kind.noun} this resource made last; it starts one from its definition`, { error: describeThrown(error) });
    return undefined;
  }
}

/**
 * What ties every job a resource starts to that resource, in the job's name: a hash of its stack
 * and logical id, which every CloudFormation event carries, whatever its physical id.
 */
export function ownerHash(stackId: string, logicalId: string): string {
  return hex(`${stackId}/${logicalId}`, OWNER_HASH_LENGTH);
}

/**
 * The owner of the jobs a request's resource may have started: a later link of a relayed wait
 * starts its chain's job, named by the first link's reference (its `refProperty`), so the owner is
 * read from that name; any other resource owns what it starts itself.
 */
export function ownerOfRequest(jobKind: HandlerKind, event: Pick<OnEventRequest, 'StackId' | 'LogicalResourceId' | 'ResourceProperties'>): string {
  const firstLink = event.ResourceProperties?.[jobKind.kind.refProperty];
  if (typeof firstLink === 'string' && jobKind.isRef(firstLink)) {
    const owner = ownerInName(jobKind.nameOfRef(firstLink));
    if (owner !== undefined) {
      return owner;
    }
  }
  return ownerHash(event.StackId, event.LogicalResourceId);
}

/** The owner hash in a job name this library made; undefined for any other name. */
export function ownerInName(name: string): string | undefined {
  const match = new RegExp(`-([0-9a-f]{${OWNER_HASH_LENGTH}})[0-9a-f]{${JOB_NAME_SUFFIX_LENGTH - OWNER_HASH_LENGTH}}$`).exec(name);
  return match?.[1];
}

function hex(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
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

/** Whether the job `ref` was created from `job`, as far as Personalize describes it. */
async function isAlreadyTheJob(jobKind: HandlerKind, ref: string, job: JobDefinition): Promise<boolean> {
  const namedByThisConstruct = new RegExp(`^${job.namePrefix}-[0-9a-f]{${JOB_NAME_SUFFIX_LENGTH}}$`);
  if (!jobKind.isRef(ref) || !namedByThisConstruct.test(jobKind.nameOfRef(ref))) {
    return false;
  }
  const outcome = await describeJob(jobKind, ref, 'status');
  return outcome.kind === 'described' && jobKind.matches(outcome.job, job, ref);
}
