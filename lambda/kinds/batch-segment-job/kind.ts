import { BatchSegmentJob, CreateBatchSegmentJobCommand, DescribeBatchSegmentJobCommand } from '@aws-sdk/client-personalize';
import { BatchJobDefinition, batchJobRequest, jobOutputFolder } from '../../../lib/batch-jobs/contract';
import { BATCH_SEGMENT_JOB, SEGMENT_NUM_RESULTS } from '../../../lib/kinds/batch-segment-job/contract';
import { batchJobAttributes } from '../../batch-jobs/batch-job-attributes';
import { invalidBatchJob, matchesBatchJob, missingSolutionVersionOrFilter, readBatchJobDefinition } from '../../batch-jobs/batch-job-definition';
import { arnRefs } from '../../engine/arn-refs';
import type { HandlerKind } from '../../engine/handler-kind';
import { jobNameOf } from '../../../lib/engine/job-contract';

export const batchSegmentJob: HandlerKind<BatchSegmentJob, BatchJobDefinition, undefined> = {
  kind: BATCH_SEGMENT_JOB,
  async describe(client, jobArn) {
    const response = await client.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: jobArn }));
    return response.batchSegmentJob ?? {};
  },
  async create(client, jobArn, job) {
    await client.send(new CreateBatchSegmentJobCommand(batchJobRequest(jobNameOf(jobArn), jobOutputFolder(job.outputPath, jobNameOf(jobArn)), job)));
  },
  readDefinition: (value) => readBatchJobDefinition(value, { ...SEGMENT_NUM_RESULTS, unit: 'users' }),
  ...arnRefs<BatchJobDefinition>(BATCH_SEGMENT_JOB, (job) => job.solutionVersionArn),
  attributes: batchJobAttributes,
  matches: matchesBatchJob,
  missingOnCreate: missingSolutionVersionOrFilter,
  invalidOnCreate: invalidBatchJob,
  readSettings: () => undefined,
};
