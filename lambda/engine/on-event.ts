import { startDelete } from './delete-job';
import { rejectedMessage } from './failure-messages';
import type { OnEventRequest, OnEventResponse } from './framework-contract';
import { REUSED_ATTRIBUTE } from '../../lib/engine/job-contract';
import { refForRequest, keptPhysicalId } from './job-name';
import { handlerKindFor } from '../kinds';
import { logger, useLogLevel } from './logger';
import { observeJob } from './observe-job';
import { stopSuperseded } from './stop-superseded';
import { WaiterError } from './handler-error';
import { readWaitSettings } from './wait-settings';
import { withErrorReporting } from './with-error-reporting';

/**
 * Starts a wait. The job is described once here (and, for a construct that creates its job,
 * created if Personalize says it does not exist yet), so that a missing job, a malformed ARN or a
 * missing solution version fails the deployment now instead of after the timeout; throttling,
 * faults, access denied and rejected job settings (IAM may still be propagating) and a region at
 * its job limit are left to the polls.
 *
 * The physical id is the job's ARN (or, for a kind whose ARN the service chooses, the job's
 * reference): a construct whose job's definition changes gets a new one, and a rollback deletes
 * it. A kind whose work changes something in place (an import) keeps one id instead, so that its
 * rollback is a reverse Update that does the old work again; its job travels as JobRef. Nothing
 * can fail after a Create call here, so a Create that fails leaves no job behind that its Delete
 * must stop.
 */
export const handler = withErrorReporting(async (event: OnEventRequest): Promise<OnEventResponse> => {
  if (event.RequestType === 'Delete') {
    return startDelete(event);
  }
  const jobKind = handlerKindFor(event.ResourceType);
  const settings = readWaitSettings(jobKind, event.ResourceProperties);
  useLogLevel(settings.logLevel);
  const waitStartedAt = new Date().toISOString();
  const choice = settings.ref === undefined ? await refForRequest(jobKind, event, settings.job!) : undefined;
  const ref = settings.ref ?? choice!.ref;
  if (event.RequestType === 'Update' && settings.ref === undefined) {
    await stopSuperseded(jobKind, event, settings.job!, ref);
  }

  const outcome = await observeJob(jobKind, ref, settings.job, 'status');
  if (outcome.kind === 'permanent') {
    throw new WaiterError(rejectedMessage(jobKind, ref, settings.job, outcome));
  }
  logger.info(`Waiting for ${jobKind.kind.noun}`, {
    ref,
    status: outcome.kind === 'described' ? outcome.job.status : undefined,
    outcome: outcome.kind === 'described' ? undefined : outcome.kind,
    timeoutSeconds: settings.timeoutSeconds,
  });
  const physicalId = settings.ref === undefined && jobKind.kind.keepsPhysicalId ? keptPhysicalId(jobKind, event, settings.job!) : ref;
  return {
    PhysicalResourceId: physicalId,
    ...(physicalId !== ref ? { JobRef: ref } : {}),
    WaitStartedAt: waitStartedAt,
    // The framework merges onEvent's Data into the answer: whether this resource adopted its work.
    ...(jobKind.adopt !== undefined && choice !== undefined ? { Data: { [REUSED_ATTRIBUTE]: String(choice.reused) } } : {}),
  };
});
