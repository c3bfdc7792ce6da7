import type { IsCompleteRequest, OnEventRequest, OnEventResponse, IsCompleteResponse } from './framework-contract';
import { findHandlerKind } from './kinds';
import type { HandlerKind } from './kinds/handler-kind';
import { logger } from './logger';
import { isStoppable, StoppableKind, stopJob } from './stop-job';
import { describeThrown } from './waiter-error';

/**
 * Deletes never fail and never wait for long: a Delete that failed would block the rollback or
 * the stack's deletion. Most resources own nothing Personalize can remove (jobs cannot be
 * deleted, a waiter owns nothing), so their Delete calls no AWS API. A resource that started work
 * billed until it ends (a training) stops it when it is still running: CloudFormation deletes the
 * resource when the deployment that created it rolls back, or when the stack is deleted, and the
 * Delete then carries the physical id the resource answered its Create with, the training's
 * reference (a Create that failed in onEvent answers the provider framework's marker instead,
 * and the framework ignores that Delete: onEvent starts no training after anything that can fail).
 */

/** How long a Delete keeps retrying a Stop that faults (throttling, 5xx) before it lets the deletion go on. */
export const STOP_ON_DELETE_SECONDS = 300;

export function startDelete(event: OnEventRequest & { readonly PhysicalResourceId: string }): OnEventResponse {
  if (stoppableJob(event) === undefined) {
    logger.info('Delete: nothing to clean up');
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  // isComplete's first call follows at once, and retries through faults.
  return { PhysicalResourceId: event.PhysicalResourceId, WaitStartedAt: new Date().toISOString() };
}

export async function pollDelete(event: IsCompleteRequest): Promise<IsCompleteResponse> {
  const target = stoppableJob(event);
  if (target === undefined) {
    return { IsComplete: true };
  }
  const { jobKind, ref } = target;
  const outcome = await stopJob(jobKind, ref);
  if (outcome.kind === 'notRunning' || outcome.kind === 'stopRequested') {
    logger.info(outcome.kind === 'notRunning' ? `Delete: the ${jobKind.kind.noun} is not running` : `Delete: asked Personalize to stop the ${jobKind.kind.noun}`, { ref });
    return { IsComplete: true };
  }
  const startedAt = Date.parse(String(event.WaitStartedAt));
  const elapsedSeconds = Number.isNaN(startedAt) ? Infinity : (Date.now() - startedAt) / 1000;
  if (elapsedSeconds >= STOP_ON_DELETE_SECONDS) {
    logger.error(stopAbandonedMessage(jobKind, ref, outcome.error));
    return { IsComplete: true };
  }
  logger.warn('Delete: could not stop the training yet; the next poll tries again', { ref, error: describeThrown(outcome.error) });
  return { IsComplete: false };
}

/** The job this Delete must stop if it runs: only a construct's own, of a kind that bills until it ends. */
function stoppableJob(event: OnEventRequest | IsCompleteRequest): { readonly jobKind: StoppableKind; readonly ref: string } | undefined {
  const jobKind = findHandlerKind(event.ResourceType);
  const ref = 'PhysicalResourceId' in event ? event.PhysicalResourceId : undefined;
  if (jobKind === undefined || !isStoppable(jobKind) || event.ResourceType !== jobKind.kind.jobResourceType || typeof ref !== 'string' || !jobKind.isRef(ref)) {
    return undefined;
  }
  return { jobKind, ref };
}

function stopAbandonedMessage(jobKind: HandlerKind, ref: string, error: unknown): string {
  return (
    `Delete: gave up stopping ${jobKind.kind.noun} ${ref} after ${STOP_ON_DELETE_SECONDS / 60} minutes, and lets the deletion ` +
    `go on. If it still runs, ${jobKind.stopByHand?.(ref) ?? 'stop it by hand'}. (${describeThrown(error)})`
  );
}
