import type { EndpointKind } from '../batch-job-endpoint';

/** Batch inference jobs on the local endpoint: DescribeBatchInferenceJob, CreateBatchInferenceJob, ListBatchInferenceJobs. */
export const BATCH_INFERENCE_JOB_ENDPOINT: EndpointKind = {
  noun: 'batch inference job',
  arnResource: 'batch-inference-job',
  arnField: 'batchInferenceJobArn',
  describe: 'DescribeBatchInferenceJob',
  create: 'CreateBatchInferenceJob',
  list: 'ListBatchInferenceJobs',
  describeKey: 'batchInferenceJob',
  listKey: 'batchInferenceJobs',
};
