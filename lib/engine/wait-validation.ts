import { Duration, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { REUSE_WITHIN_SECONDS } from './job-contract';
import { JobKind, jobArnPattern } from './job-kind';
import { POLL_INTERVAL_SECONDS, TIMEOUT_SECONDS } from './wait-timing';

/*
 * Synth-time checks of a waiter's props. A value that is still a token (a parameter, another
 * construct's attribute) passes here and is checked by the handler at deploy time.
 */

/** A waiter's job ARN, given as the prop named after the kind's property (`batchSegmentJobArn`). */
export function validateJobArn(scope: IConstruct, kind: JobKind, arn: string): void {
  if (Token.isUnresolved(arn) || jobArnPattern(kind).test(arn)) {
    return;
  }
  const prop = kind.arnProperty.charAt(0).toLowerCase() + kind.arnProperty.slice(1);
  throw new Error(
    `${scope.node.path}: ${prop} must be the ARN of an Amazon Personalize ${kind.noun}, ` +
      `such as ${kind.arnExample}; got ${JSON.stringify(arn)}.`,
  );
}

/** The timeout in whole seconds (a token passes, for the handler to check); throws when it is out of range. */
export function validateTimeout(scope: IConstruct, timeout: Duration): number {
  const seconds = timeout.toSeconds({ integral: false });
  if (Token.isUnresolved(seconds)) {
    return seconds;
  }
  return wholeSecondsWithin(scope, 'timeout', timeout, TIMEOUT_SECONDS);
}

/**
 * The poll interval in whole seconds; throws when it is a token (the provider's interval is fixed
 * at synth), out of range, or longer than the timeout.
 */
export function validatePollInterval(scope: IConstruct, pollInterval: Duration, timeoutSeconds: number): number {
  const range = rangeText(POLL_INTERVAL_SECONDS);
  if (Token.isUnresolved(pollInterval.toSeconds({ integral: false }))) {
    throw new Error(`${scope.node.path}: pollInterval must be a duration known at synth time, ${range}; got a token.`);
  }
  const seconds = wholeSecondsWithin(scope, 'pollInterval', pollInterval, POLL_INTERVAL_SECONDS);
  if (!Token.isUnresolved(timeoutSeconds) && seconds > timeoutSeconds) {
    throw new Error(
      `${scope.node.path}: pollInterval (${pollInterval.toHumanString()}) must not be longer than timeout ` +
        `(${Duration.seconds(timeoutSeconds).toHumanString()}): the waiter would give up before its first poll.`,
    );
  }
  return seconds;
}

/** `reuseWithin` in whole seconds, known at synth time. */
export function validateReuseWithin(scope: IConstruct, reuseWithin: Duration): number {
  if (Token.isUnresolved(reuseWithin.toSeconds({ integral: false }))) {
    throw new Error(`${scope.node.path}: reuseWithin must be a duration known at synth time, ${rangeText(REUSE_WITHIN_SECONDS)}; got a token.`);
  }
  return wholeSecondsWithin(scope, 'reuseWithin', reuseWithin, REUSE_WITHIN_SECONDS);
}

function wholeSecondsWithin(
  scope: IConstruct,
  name: string,
  duration: Duration,
  limits: { readonly min: number; readonly max: number },
): number {
  const range = rangeText(limits);
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < limits.min || seconds > limits.max) {
    throw new Error(
      `${scope.node.path}: ${name} must be a whole number of seconds ${range}; got ${
        Number.isInteger(seconds) ? duration.toHumanString() : `${seconds} seconds`
      }.`,
    );
  }
  return seconds;
}

function rangeText(limits: { readonly min: number; readonly max: number }): string {
  return `from ${Duration.seconds(limits.min).toHumanString()} to ${Duration.seconds(limits.max).toHumanString()}`;
}
