import { BatchSegmentJob, DescribeBatchSegmentJobCommand } from '@aws-sdk/client-personalize';
import { regionOfArn } from '../lib/waiter-contract';
import { classifyCallFailure, CallFailureKind } from './call-failure';
import { personalizeClientFor } from './personalize-client';

export type DescribeOutcome =
  | { readonly kind: 'described'; readonly job: BatchSegmentJob }
  | { readonly kind: CallFailureKind; readonly error: unknown };

/** One DescribeBatchSegmentJob call in the job's own region; never throws. */
export async function describeJob(jobArn: string): Promise<DescribeOutcome> {
  try {
    const response = await personalizeClientFor(regionOfArn(jobArn)).send(
      new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: jobArn }),
    );
    return { kind: 'described', job: response.batchSegmentJob ?? {} };
  } catch (error) {
    return { kind: classifyCallFailure(error), error };
  }
}
