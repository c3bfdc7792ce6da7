import type { JobKind } from '../../engine/job-kind';

/** Batch segment jobs: the users most likely to interact with each item or attribute of the input. */
export const BATCH_SEGMENT_JOB: JobKind = {
  id: 'batchSegmentJob',
  noun: 'batch segment job',
  arnResource: 'batch-segment-job',
  waiterResourceType: 'Custom::PersonalizeBatchSegmentJobWaiter',
  jobResourceType: 'Custom::PersonalizeBatchSegmentJob',
  arnProperty: 'BatchSegmentJobArn',
  refProperty: 'BatchSegmentJobArn',
  arnExample: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo',
  describeAction: 'personalize:DescribeBatchSegmentJob',
  createAction: 'personalize:CreateBatchSegmentJob',
  grantedActions: ['personalize:DescribeBatchSegmentJob', 'personalize:CreateBatchSegmentJob', 'personalize:TagResource', 'iam:PassRole'],
  inFlightLimit: 5,
  succeededStatus: 'ACTIVE',
  failedStatuses: ['CREATE FAILED'],
};

/** Personalize's limit on users per segment. */
export const SEGMENT_NUM_RESULTS = { min: 1, max: 5_000_000 } as const;
/** The same, with what it counts, for the constructs' messages. */
export const SEGMENT_NUM_RESULTS_COUNTED = { ...SEGMENT_NUM_RESULTS, unit: 'users per segment' } as const;
