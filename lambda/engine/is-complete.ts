import { IAM_PROPAGATION_GRACE_SECONDS, linkBudgetSeconds, linkDeadlineSeconds } from '../../lib/engine/wait-timing';
import { pollDelete } from './delete-job';
import {
  accessDeniedMessage,
  createRejectedMessage,
  jobFailedMessage,
  rejectedMessage,
  stoppedOnTimeoutMessage,
  timedOutMessage,
  waitingForSlotStatus,
} from './failure-messages';
import type { IsCompleteRequest, IsCompleteResponse } from './framework-contract';
import { handlerKindFor } from '../kinds';
import type { DescribedJob, HandlerKind } from './handler-kind';
import { logger, useLogLevel } from './logger';
import { observeJob } from './observe-job';
import { describeThrown, quote, WaiterError } from './handler-error';
import { DATA_BUDGET_BYTES, fitToJsonBytes } from './response-budget';
import { isStoppable, stopJob } from './stop-job';
import { readWaitSettings, WaitSettings } from './wait-settings';
import { withErrorReporting } from './with-error-reporting';

/**
 * One poll, called by the provider's state machine every poll interval until it answers complete
 * or throws. Each poll describes the job once (and creates it, for a construct whose job
 * Personalize says does not exist yet): a terminal job answers, a fault or a region at its job limit waits for the
 * next poll, and the waiter's own deadline ends the wait with a message that says what to do.
 */
export const handler = withErrorReporting(async (event: IsCompleteRequest): Promise<IsCompleteResponse> => {
  if (event.RequestType === 'Delete') {
    return pollDelete(event);
  }
  const jobKind = handlerKindFor(event.ResourceType);
  const { kind } = jobKind;
  const settings = readWaitSettings(jobKind, event.ResourceProperties);
  useLogLevel(settings.logLevel);
  const elapsedSeconds = (Date.now() - waitStartedAt(event)) / 1000;
  const ref = settings.ref ?? event.JobRef ?? event.PhysicalResourceId!;

  // A poll may be the one that answers: a job that has succeeded is described with its results.
  const outcome = await observeJob(jobKind, ref, settings.job, 'results');
  let lastStatus: string;
  if (outcome.kind === 'described') {
    const status = outcome.job.status ?? '(none)';
    logger.info(`Polled ${kind.noun}`, { ref, status, elapsedSeconds });
    if (status === kind.succeededStatus) {
      const shortfall = jobKind.shortfall?.(outcome.job, settings.kindSettings);
      if (shortfall !== undefined) {
        throw new WaiterError(shortfall);
      }
      return { IsComplete: true, Data: attributesOf(jobKind, outcome.job, settings, ref) };
    }
    if (kind.failedStatuses.includes(status)) {
      if (settings.failOnJobFailure) {
        throw new WaiterError(jobFailedMessage(kind, ref, status, outcome.job.failureReason, settings.job !== undefined));
      }
      return { IsComplete: true, Data: attributesOf(jobKind, outcome.job, settings, ref) };
    }
    lastStatus = status;
  } else if (outcome.kind === 'started') {
    logger.info(`Created ${kind.noun}`, { ref, elapsedSeconds });
    lastStatus = 'created, not described yet';
  } else if (outcome.kind === 'settingsRejected') {
    // Personalize may check the job's role and data when the job is created, and a role or policy
    // created by the same deployment can take a while to reach every IAM endpoint.
    if (elapsedSeconds >= IAM_PROPAGATION_GRACE_SECONDS) {
      throw new WaiterError(createRejectedMessage(jobKind, ref, settings.job!, outcome.error));
    }
    lastStatus = `not created yet: Personalize rejected its settings (${describeThrown(outcome.error)})`;
    logger.warn('Personalize rejected the job\'s settings; retrying while IAM may be propagating', { ref, elapsedSeconds, error: describeThrown(outcome.error) });
  } else if (outcome.kind === 'notReady') {
    lastStatus = `not created yet: ${outcome.status}`;
    logger.info(`Waiting to create the ${kind.noun}`, { ref, elapsedSeconds, reason: outcome.status, error: describeThrown(outcome.error) });
  } else if (outcome.kind === 'waitingForSlot') {
    lastStatus = waitingForSlotStatus(kind, ref, outcome.error);
    logger.info(`Waiting for a slot to create the ${kind.noun}`, { ref, elapsedSeconds, error: describeThrown(outcome.error) });
  } else {
    const denialOutlastedGrace =
      outcome.kind === 'accessDenied' && elapsedSeconds >= IAM_PROPAGATION_GRACE_SECONDS;
    if (denialOutlastedGrace) {
      throw new WaiterError(accessDeniedMessage(kind, ref, elapsedSeconds, outcome.error));
    }
    if (outcome.kind === 'permanent') {
      throw new WaiterError(rejectedMessage(jobKind, ref, settings.job, outcome));
    }
    logger.warn(`${outcome.call} failed; the next poll tries again`, {
      ref,
      elapsedSeconds,
      failure: outcome.kind,
      error: describeThrown(outcome.error),
    });
    lastStatus = `unknown (the last ${outcome.call} failed: ${describeThrown(outcome.error)})`;
  }

  const { timeoutSeconds, pollIntervalSeconds, linkIndex, linkCount } = settings;
  if (elapsedSeconds < linkDeadlineSeconds(timeoutSeconds, pollIntervalSeconds, linkIndex, linkCount)) {
    return { IsComplete: false };
  }
  if (linkIndex < linkCount) {
    // This link of a relayed wait has used its part of CloudFormation's hour: the next one,
    // which depends on it, waits on.
    logger.info('Handing the wait over to the next link', { ref, lastStatus, elapsedSeconds, linkIndex, linkCount });
    return { IsComplete: true, Data: attributesOf(jobKind, outcome.kind === 'described' ? outcome.job : {}, settings, ref) };
  }
  const waitedSeconds = (linkIndex - 1) * linkBudgetSeconds(pollIntervalSeconds) + elapsedSeconds;
  const timedOut = timedOutMessage(kind, ref, lastStatus, waitedSeconds, timeoutSeconds);
  if (settings.job === undefined || !isStoppable(jobKind)) {
    throw new WaiterError(timedOut);
  }
  // Work the construct started and no longer waits for would go on billing: stop it.
  const stopped = await stopJob(jobKind, ref);
  logger.info(`Stopping the ${kind.noun} the wait gave up on`, { ref, outcome: stopped.kind });
  throw new WaiterError(stoppedOnTimeoutMessage(kind, timedOut, stopped));
});

/** The job's attributes, cut where needed to fit the response CloudFormation accepts. */
function attributesOf(jobKind: HandlerKind, job: DescribedJob, settings: WaitSettings, ref: string): Record<string, string> {
  return fitToJsonBytes(jobKind.attributes(job, settings.kindSettings, ref), DATA_BUDGET_BYTES);
}

function waitStartedAt(event: IsCompleteRequest): number {
  const startedAt = typeof event.WaitStartedAt === 'string' ? Date.parse(event.WaitStartedAt) : NaN;
  if (Number.isNaN(startedAt)) {
    throw new WaiterError(
      `The isComplete event carries no valid WaitStartedAt (got ${quote(event.WaitStartedAt)}); ` +
        'it must come from the waiter onEvent handler through the provider framework.',
    );
  }
  return startedAt;
}
