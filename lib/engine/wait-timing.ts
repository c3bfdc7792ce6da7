/**
 * How long a waiter may poll, shared by the construct (which sizes the provider) and the handler
 * (which enforces each waiter's own timeout, since the provider's timeout is one for all waiters).
 */

/** CloudFormation abandons a custom resource that has not answered within one hour. */
export const CLOUDFORMATION_RESPONSE_LIMIT_SECONDS = 3600;

/**
 * Time kept free of polling inside CloudFormation's hour, for what happens around the polls:
 * CloudFormation reaching the provider, the first Describe, the state machine starting, the poll
 * that notices the deadline and the answer travelling back.
 */
export const ANSWER_MARGIN_SECONDS = 180;

export const TIMEOUT_SECONDS = { min: 60, max: 12 * 3600, default: 3600 } as const;
export const POLL_INTERVAL_SECONDS = { min: 5, max: 300, default: 30 } as const;

/** The defaults of a kind's wait, in seconds. */
export interface WaitDefaults {
  readonly timeoutSeconds: number;
  readonly pollIntervalSeconds: number;
}

/** A job's wait (batch jobs, imports): an hour, polled every 30 seconds, unless told otherwise. */
export const JOB_WAIT_DEFAULTS: WaitDefaults = { timeoutSeconds: TIMEOUT_SECONDS.default, pollIntervalSeconds: POLL_INTERVAL_SECONDS.default };

/**
 * Access denied within this time of the wait's start is taken for IAM propagation and retried,
 * as aws-cdk's triggers do (12 tries 5 seconds apart).
 */
export const IAM_PROPAGATION_GRACE_SECONDS = 60;

/**
 * How long the handler polls before it gives up: the waiter's timeout, cut where needed so that
 * the poll that notices the deadline (up to one interval later) still answers inside
 * CloudFormation's hour with the margin to spare.
 */
export function pollingDeadlineSeconds(timeoutSeconds: number, pollIntervalSeconds: number): number {
  return Math.min(
    timeoutSeconds,
    CLOUDFORMATION_RESPONSE_LIMIT_SECONDS - ANSWER_MARGIN_SECONDS - pollIntervalSeconds,
  );
}

/**
 * The provider's own total timeout, a backstop only: a whole multiple of the interval (the
 * provider requires it), past every waiter's polling deadline so that the handler's clearer
 * message reaches CloudFormation first, and under CloudFormation's hour.
 */
export function providerTotalTimeoutSeconds(pollIntervalSeconds: number): number {
  const backstop = CLOUDFORMATION_RESPONSE_LIMIT_SECONDS - ANSWER_MARGIN_SECONDS / 3;
  return Math.floor(backstop / pollIntervalSeconds) * pollIntervalSeconds;
}

/** "56m 30s", "2h", "45s": durations as a person reads them in an error message. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const parts = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ] as const;
  const shown = parts.filter(([value]) => value > 0).map(([value, unit]) => `${value}${unit}`);
  return shown.length > 0 ? shown.join(' ') : '0s';
}

/*
 * Waits longer than CloudFormation's hour are relayed: the waiter becomes a chain of links, each
 * a custom resource that waits at most one link's budget and depends on the link before it. A
 * link that finds the job finished answers at once; one whose budget runs out hands over to the
 * next by completing; the last one fails with the timeout message.
 */

/** How long one link polls: as long as a single resource may inside CloudFormation's hour. */
export function linkBudgetSeconds(pollIntervalSeconds: number): number {
  return pollingDeadlineSeconds(CLOUDFORMATION_RESPONSE_LIMIT_SECONDS, pollIntervalSeconds);
}

/** How many links a waiter needs; one for a timeout of an hour or less. */
export function linkCountFor(timeoutSeconds: number, pollIntervalSeconds: number): number {
  return timeoutSeconds <= CLOUDFORMATION_RESPONSE_LIMIT_SECONDS ? 1 : Math.ceil(timeoutSeconds / linkBudgetSeconds(pollIntervalSeconds));
}

/** When link `linkIndex` (from 1) of `linkCount` stops polling, in seconds from its own start. */
export function linkDeadlineSeconds(timeoutSeconds: number, pollIntervalSeconds: number, linkIndex: number, linkCount: number): number {
  if (linkCount === 1) {
    return pollingDeadlineSeconds(timeoutSeconds, pollIntervalSeconds);
  }
  const budget = linkBudgetSeconds(pollIntervalSeconds);
  return linkIndex < linkCount ? budget : timeoutSeconds - (linkCount - 1) * budget;
}
