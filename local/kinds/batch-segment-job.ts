import type { EndpointKind } from '../batch-job-endpoint';

/** Batch segment jobs on the local endpoint: DescribeBatchSegmentJob, CreateBatchSegmentJob, ListBatchSegmentJobs. */
export const BATCH_SEGMENT_JOB_ENDPOINT: EndpointKind = {
  noun: 'batch segment job',
  arnResource: 'batch-segment-job',
  arnField: 'batchSegmentJobArn',
  describe: 'DescribeBatchSegmentJob',
  create: 'CreateBatchSegmentJob',
  list: 'ListBatchSegmentJobs',
  describeKey: 'batchSegmentJob',
  listKey: 'batchSegmentJobs',
};
