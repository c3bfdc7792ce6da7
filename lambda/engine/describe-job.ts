import { regionOfArn } from '../../lib/engine/wait-contract';
import { classifyCallFailure, CallFailureKind } from './call-failure';
import type { DescribeDetail, DescribedJob, HandlerKind } from './handler-kind';
import { personalizeClientFor } from './personalize-client';

export type DescribeOutcome =
  | { readonly kind: 'described'; readonly job: DescribedJob }
  | { readonly kind: CallFailureKind; readonly error: unknown };

/** One Describe of the job (with its results, for `detail` 'results'), in its own region; never throws. */
export async function describeJob(jobKind: HandlerKind, ref: string, detail: DescribeDetail): Promise<DescribeOutcome> {
  try {
    return { kind: 'described', job: await jobKind.describe(personalizeClientFor(regionOfArn(ref)), ref, detail) };
  } catch (error) {
    return { kind: classifyCallFailure(error), error };
  }
}
