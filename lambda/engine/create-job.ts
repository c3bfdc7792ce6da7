import { regionOfArn } from '../../lib/engine/wait-contract';
import { CallFailureKind, classifyCallFailure } from './call-failure';
import type { HandlerKind, JobDefinition } from './handler-kind';
import { personalizeClientFor } from './personalize-client';
import { errorNameOf } from './handler-error';

export type CreateOutcome =
  /** Personalize accepted the job, now or on an earlier attempt of the same request. */
  | { readonly kind: 'started' }
  /** The region is at Personalize's limit of jobs in flight (or its request rate): try again later. */
  | { readonly kind: 'waitingForSlot'; readonly error: unknown }
  /** Personalize found the job's settings invalid: maybe only until a role or policy of the same deployment has propagated. */
  | { readonly kind: 'settingsRejected'; readonly error: unknown }
  /** What the job is made from is not ready yet (a solution still being created): try again later. */
  | { readonly kind: 'notReady'; readonly status: string; readonly error: unknown }
  | { readonly kind: CallFailureKind; readonly error: unknown };

/** One Create call for the job `ref` (its reference) names, in the region it names; never throws. */
export async function createJob(jobKind: HandlerKind, ref: string, job: JobDefinition): Promise<CreateOutcome> {
  try {
    await jobKind.create(personalizeClientFor(regionOfArn(ref), true), ref, job);
    return { kind: 'started' };
  } catch (error) {
    const notReady = jobKind.notReadyOnCreate?.(error, job);
    if (notReady !== undefined) {
      return { kind: 'notReady', status: notReady, error };
    }
    const name = errorNameOf(error);
    if (name === 'ResourceAlreadyExistsException') {
      // The name is this request's own: an earlier attempt created the job and lost the answer.
      return { kind: 'started' };
    }
    if (name === 'LimitExceededException') {
      return { kind: 'waitingForSlot', error };
    }
    if (name === 'InvalidInputException') {
      return { kind: 'settingsRejected', error };
    }
    return { kind: classifyCallFailure(error), error };
  }
}
