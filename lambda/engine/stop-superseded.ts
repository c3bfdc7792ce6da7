import { WaiterProperty } from '../../lib/engine/wait-contract';
import type { OnEventRequest } from './framework-contract';
import { ownerOfRequest } from './job-name';
import type { HandlerKind, JobDefinition } from './handler-kind';
import { logger } from './logger';
import { personalizeClientFor } from './personalize-client';
import { describeThrown } from './handler-error';

/**
 * On an Update of a resource whose work bills until it ends (a training): stops every job the
 * resource started that still runs and is not `keptRef`, the one the Update keeps or starts. A
 * rollback's reverse Update after a cancelled update arrives while that update's training runs
 * on (its state machine was not cancelled), and an earlier update's training can outlive its
 * wait; neither is the version the stack names any more.
 *
 * It never fails the Update: a rollback that failed here would leave the stack in
 * UPDATE_ROLLBACK_FAILED. A lookup that faults is logged as an error that says what to stop by hand.
 */
export async function stopSuperseded(jobKind: HandlerKind, event: OnEventRequest & { readonly RequestType: 'Update' }, job: JobDefinition, keptRef: string): Promise<void> {
  if (jobKind.stopOwned === undefined) {
    return;
  }
  const definitions = [job, ...oldDefinition(jobKind, event.OldResourceProperties?.[WaiterProperty.JOB])];
  const owner = ownerOfRequest(jobKind, event);
  try {
    const stopped = await jobKind.stopOwned(personalizeClientFor, definitions, owner, { keepName: jobKind.nameOfRef(keptRef) });
    if (stopped.length > 0) {
      logger.info(`Asked Personalize to stop what this resource started before and no longer names: ${stopped.join(', ')}`, { kept: keptRef });
    }
  } catch (error) {
    logger.error(
      `Could not look for ${jobKind.kind.noun}s this resource started before (${describeThrown(error)}); the update goes on. ` +
        `If one other than ${jobKind.nameOfRef(keptRef)} still runs, ${jobKind.stopOwnedByHand?.(definitions, owner) ?? 'stop it by hand'}.`,
    );
  }
}

function oldDefinition(jobKind: HandlerKind, value: unknown): JobDefinition[] {
  try {
    return [jobKind.readDefinition(value)];
  } catch {
    // Old settings that no longer read started nothing this handler can find.
    return [];
  }
}
