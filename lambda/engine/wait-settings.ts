import { jobArnPattern } from '../../lib/engine/job-kind';
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, WaiterLogLevel, WaiterProperty } from '../../lib/engine/wait-contract';
import { CLOUDFORMATION_RESPONSE_LIMIT_SECONDS, POLL_INTERVAL_SECONDS, TIMEOUT_SECONDS } from '../../lib/engine/wait-timing';
import type { HandlerKind, JobDefinition } from './handler-kind';
import { quote, WaiterError } from './handler-error';

/** One waiter's settings, read from the custom resource's properties. */
export interface WaitSettings {
  /**
   * The job to wait for: its ARN, or for a construct that creates its job, the job's reference
   * (see HandlerKind). Absent only for the first resource of such a construct, which names the
   * job when the deployment asks for it.
   */
  readonly ref?: string;
  /** The job to create when it does not exist yet (constructs that create their job only). */
  readonly job?: JobDefinition;
  /** The kind's own settings (a solution version's quality gate). */
  readonly kindSettings: unknown;
  readonly timeoutSeconds: number;
  readonly pollIntervalSeconds: number;
  readonly failOnJobFailure: boolean;
  readonly logLevel: WaiterLogLevel;
  /** This resource's place in a relayed wait: link `linkIndex` of `linkCount`. */
  readonly linkIndex: number;
  readonly linkCount: number;
}

/** A 12-hour wait at the shortest poll interval needs 13 links. */
const LINKS = { min: 1, max: 20, default: 1 } as const;

/**
 * Reads and checks a waiter's properties. CloudFormation sends every value as a string ("3600",
 * "true"), and values that were tokens at synth time are seen here for the first time, so each
 * one is checked before any AWS call; a bad one throws an error that names it.
 */
export function readWaitSettings(jobKind: HandlerKind, properties: Record<string, unknown> | undefined): WaitSettings {
  const props = properties ?? {};
  const job = props[WaiterProperty.JOB] === undefined ? undefined : jobKind.readDefinition(props[WaiterProperty.JOB]);
  const refValue = props[job === undefined ? jobKind.kind.arnProperty : jobKind.kind.refProperty];
  const settings: WaitSettings = {
    ...(job !== undefined ? { job } : {}),
    ...(job === undefined ? { ref: readJobArn(jobKind, refValue) } : {}),
    ...(job !== undefined && refValue !== undefined ? { ref: readJobRef(jobKind, refValue) } : {}),
    kindSettings: jobKind.readSettings(props),
    timeoutSeconds: readWholeNumber(props, WaiterProperty.TIMEOUT_SECONDS, TIMEOUT_SECONDS, 'a whole number of seconds'),
    pollIntervalSeconds: readWholeNumber(props, WaiterProperty.POLL_INTERVAL_SECONDS, POLL_INTERVAL_SECONDS, 'a whole number of seconds'),
    failOnJobFailure: readBoolean(props, WaiterProperty.FAIL_ON_JOB_FAILURE, true),
    logLevel: readLogLevel(props[WaiterProperty.LOG_LEVEL]),
    linkIndex: readWholeNumber(props, WaiterProperty.LINK_INDEX, LINKS, 'a whole number'),
    linkCount: readWholeNumber(props, WaiterProperty.LINK_COUNT, LINKS, 'a whole number'),
  };
  if (settings.linkIndex > settings.linkCount) {
    throw new WaiterError(
      `The ${WaiterProperty.LINK_INDEX} property (${settings.linkIndex}) must not exceed ${WaiterProperty.LINK_COUNT} (${settings.linkCount}).`,
    );
  }
  if (settings.linkCount === 1 && settings.timeoutSeconds > CLOUDFORMATION_RESPONSE_LIMIT_SECONDS) {
    throw new WaiterError(
      `A ${WaiterProperty.TIMEOUT_SECONDS} over ${CLOUDFORMATION_RESPONSE_LIMIT_SECONDS} (got ${settings.timeoutSeconds}) needs a chain ` +
        'of waits that the construct builds at synth time: give a timeout over one hour as a Duration, not a token.',
    );
  }
  if (settings.pollIntervalSeconds > settings.timeoutSeconds) {
    throw new WaiterError(
      `The ${WaiterProperty.POLL_INTERVAL_SECONDS} property (${settings.pollIntervalSeconds}) must not exceed ` +
        `${WaiterProperty.TIMEOUT_SECONDS} (${settings.timeoutSeconds}): the waiter would give up before its first poll.`,
    );
  }
  return settings;
}

function readJobArn({ kind }: HandlerKind, value: unknown): string {
  if (typeof value !== 'string' || !jobArnPattern(kind).test(value)) {
    throw new WaiterError(
      `The ${kind.arnProperty} property must be the ARN of an Amazon Personalize ${kind.noun}, ` +
        `such as ${kind.arnExample}; got ${quote(value)}.`,
    );
  }
  return value;
}

/** The first link's reference, which the later links of a construct that creates its job carry. */
function readJobRef(jobKind: HandlerKind, value: unknown): string {
  if (jobKind.kind.refProperty === jobKind.kind.arnProperty) {
    return readJobArn(jobKind, value);
  }
  if (typeof value !== 'string' || !jobKind.isRef(value)) {
    throw new WaiterError(
      `The ${jobKind.kind.refProperty} property must be the physical id of the wait's first resource, which names its ${jobKind.kind.noun}; got ${quote(value)}.`,
    );
  }
  return value;
}

function readWholeNumber(
  props: Record<string, unknown>,
  key: string,
  limits: { readonly min: number; readonly max: number; readonly default: number },
  what: string,
): number {
  const value = props[key];
  if (value === undefined) {
    return limits.default;
  }
  const seconds = /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(seconds) || seconds < limits.min || seconds > limits.max) {
    throw new WaiterError(
      `The ${key} property must be ${what} from ${limits.min} to ${limits.max}; got ${quote(value)}.`,
    );
  }
  return seconds;
}

function readBoolean(props: Record<string, unknown>, key: string, defaultValue: boolean): boolean {
  const value = props[key];
  if (value === undefined) {
    return defaultValue;
  }
  if (value === true || value === 'true') {
    return true;
  }
  if (value === false || value === 'false') {
    return false;
  }
  throw new WaiterError(`The ${key} property must be "true" or "false"; got ${quote(value)}.`);
}

function readLogLevel(value: unknown): WaiterLogLevel {
  if (value === undefined) {
    return DEFAULT_LOG_LEVEL;
  }
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (level === undefined) {
    throw new WaiterError(
      `The ${WaiterProperty.LOG_LEVEL} property must be one of ${LOG_LEVELS.join(', ')}; got ${quote(value)}.`,
    );
  }
  return level;
}
