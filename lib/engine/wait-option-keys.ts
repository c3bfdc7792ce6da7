import type { BatchJobWaitOptions } from './wait-options';

/** Every option of a wait, so that what defines a job can be told from how a stack waits for it (a compile error when one is missing). */
const WAIT_OPTION_KEYS = { timeout: true, pollInterval: true, failOnJobFailure: true, logLevel: true, logRetention: true, handlerSettings: true } as const satisfies Record<keyof BatchJobWaitOptions, true>;

/** `props` without the options of a wait: what a scheduled run of the same job takes from a stack's construct. */
export function withoutWaitOptions<P extends object>(props: P): Omit<P, keyof BatchJobWaitOptions> {
  return Object.fromEntries(Object.entries(props).filter(([key]) => !(key in WAIT_OPTION_KEYS))) as Omit<P, keyof BatchJobWaitOptions>;
}
