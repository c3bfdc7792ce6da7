import type { IsCompleteRequest, OnEventRequest, OnEventResponse, IsCompleteResponse } from './framework-contract';
import { ownerOfRequest } from './job-name';
import { findHandlerKind } from '../kinds';
import type { HandlerKind, JobDefinition } from './handler-kind';
import { logger } from './logger';
import { personalizeClientFor } from './personalize-client';
import { describeThrown, WaiterError } from './handler-error';
import { WaiterProperty } from '../../lib/engine/wait-contract';

/**
 * Deletes never fail and never wait for long: a Delete that failed would block the rollback or
 * the stack's deletion. Most resources own nothing Personalize can remove (jobs cannot be
 * deleted, a waiter owns nothing), so their Delete calls no AWS API. A resource that started work
 * billed until it ends (a training) stops what it started that still runs: CloudFormation deletes
 * the resource when the deployment that created it rolls back, or when the stack is deleted.
 *
 * The physical id cannot say what to stop: a create that CloudFormation cancelled never answered,
 * and its rollback Delete carries an id CloudFormation made up (aws/aws-cdk PR #36951), while its
 * state machine may still start the training. So the work is found by its name, which holds a hash
 * of the stack and logical id that every event carries (job-name.ts, ownerHash).
 */

/** How long a Delete keeps retrying a lookup or Stop that faults (throttling, 5xx) before it lets the deletion go on. */
export const STOP_ON_DELETE_SECONDS = 300;

export function startDelete(event: OnEventRequest & { readonly PhysicalResourceId: string }): OnEventResponse {
  if (ownedWork(event) === undefined) {
    logger.info('Delete: nothing to clean up');
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  // isComplete's first call follows at once, and retries through faults.
  return { PhysicalResourceId: event.PhysicalResourceId, WaitStartedAt: new Date().toISOString() };
}

export async function pollDelete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const work = ownedWork(event);
  if (work === undefined) {
    return { IsComplete: true };
  }
  const { jobKind, definitions, owner } = work;
  try {
    // A Delete of an id this resource answered (the cleanup of a replaced one) spares the newer work the resource names now.
    const upToRef = typeof event.PhysicalResourceId === 'string' && jobKind.isRef(event.PhysicalResourceId) ? event.PhysicalResourceId : undefined;
    const stopped = await jobKind.stopOwned!(personalizeClientFor, definitions, owner, { upToRef });
    logger.info(stopped.length > 0 ? `Delete: asked Personalize to stop what this resource started: ${stopped.join(', ')}` : `Delete: no ${jobKind.kind.noun} of this resource is running`, { owner });
    return { IsComplete: true };
  } catch (error) {
    const startedAt = Date.parse(String(event.WaitStartedAt));
    const elapsedSeconds = Number.isNaN(startedAt) ? Infinity : (Date.now() - startedAt) / 1000;
    if (elapsedSeconds >= STOP_ON_DELETE_SECONDS) {
      logger.error(
        `Delete: gave up stopping the ${jobKind.kind.noun}s this resource started after ${STOP_ON_DELETE_SECONDS / 60} minutes, and lets ` +
          `the deletion go on. If one still runs, ${jobKind.stopOwnedByHand?.(definitions, owner) ?? 'stop it by hand'}. (${describeThrown(error)})`,
      );
      return { IsComplete: true };
    }
    logger.warn(`Delete: could not stop the ${jobKind.kind.noun}s yet; the next poll tries again`, { owner, error: describeThrown(error) });
    return { IsComplete: false };
  }
}

/** What this Delete must stop if it runs: only a construct's own work, of a kind that bills until it ends. */
function ownedWork(event: OnEventRequest | IsCompleteRequest): { readonly jobKind: HandlerKind; readonly definitions: readonly JobDefinition[]; readonly owner: string } | undefined {
  const jobKind = findHandlerKind(event.ResourceType);
  if (jobKind === undefined || jobKind.stopOwned === undefined || event.ResourceType !== jobKind.kind.jobResourceType) {
    return undefined;
  }
  try {
    return { jobKind, definitions: [jobKind.readDefinition(event.ResourceProperties?.[WaiterProperty.JOB])], owner: ownerOfRequest(jobKind, event) };
  } catch (error) {
    // Properties that never deployed (a create refused at once for them) started nothing.
    logger.warn(`Delete: nothing to stop, since the ${WaiterProperty.JOB} property does not read`, { error: error instanceof WaiterError ? error.message : describeThrown(error) });
    return undefined;
  }
}
