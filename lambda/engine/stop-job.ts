import { regionOfArn } from '../../lib/engine/wait-contract';
import { CallFailureKind, classifyCallFailure } from './call-failure';
import type { HandlerKind } from './handler-kind';
import { personalizeClientFor } from './personalize-client';

export type StopOutcome =
  | { readonly kind: 'stopRequested' }
  | { readonly kind: 'notRunning' }
  | { readonly kind: CallFailureKind; readonly error: unknown };

/** A kind whose work can be stopped. */
export type StoppableKind = HandlerKind & Required<Pick<HandlerKind, 'stop'>>;

export function isStoppable(jobKind: HandlerKind): jobKind is StoppableKind {
  return jobKind.stop !== undefined;
}

/** Stops the job `ref` names if it is still running; never throws. */
export async function stopJob(jobKind: StoppableKind, ref: string): Promise<StopOutcome> {
  try {
    const result = await jobKind.stop(personalizeClientFor(regionOfArn(ref)), ref);
    return result === 'stopRequested' ? { kind: 'stopRequested' } : { kind: 'notRunning' };
  } catch (error) {
    return { kind: classifyCallFailure(error), error };
  }
}
