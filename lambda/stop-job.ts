import { regionOfArn } from '../lib/waiter-contract';
import { CallFailureKind, classifyCallFailure } from './call-failure';
import type { HandlerKind } from './kinds/handler-kind';
import { personalizeClientFor } from './personalize-client';

export type StopOutcome =
  | { readonly kind: 'stopRequested' }
  | { readonly kind: 'notRunning' }
  | { readonly kind: CallFailureKind; readonly error: unknown };

/** Stops the job `ref` names if it is still running, for a kind that can; never throws. */
export async function stopJob(jobKind: HandlerKind, ref: string): Promise<StopOutcome> {
  if (jobKind.stop === undefined) {
    return { kind: 'notRunning' };
  }
  try {
    const result = await jobKind.stop(personalizeClientFor(regionOfArn(ref)), ref);
    return result === 'stopRequested' ? { kind: 'stopRequested' } : { kind: 'notRunning' };
  } catch (error) {
    return { kind: classifyCallFailure(error), error };
  }
}
