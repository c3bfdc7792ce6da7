import { BatchSegmentJob, CreateBatchSegmentJobCommand, DescribeBatchSegmentJobCommand } from '@aws-sdk/client-personalize';
import { BatchJobDefinition, jobNameOf } from '../../lib/job-contract';
import { BATCH_SEGMENT_JOB, SEGMENT_NUM_RESULTS } from '../../lib/kinds/batch-segment-job';
import { batchJobAttributes } from '../job-attributes';
import { matchesBatchJob, missingSolutionVersionOrFilter, readBatchJobDefinition, tagList } from '../job-definition';
import type { HandlerKind } from './handler-kind';

export const batchSegmentJob: HandlerKind<BatchSegmentJob, BatchJobDefinition> = {
  kind: BATCH_SEGMENT_JOB,
  async describe(client, jobArn) {
    const response = await client.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn: jobArn }));
    return response.batchSegmentJob ?? {};
  },
  async create(client, jobArn, job) {
    await client.send(
      new CreateBatchSegmentJobCommand({
        jobName: jobNameOf(jobArn),
        solutionVersionArn: job.solutionVersionArn,
        filterArn: job.filterArn,
        numResults: job.numResults,
        roleArn: job.roleArn,
        jobInput: { s3DataSource: { path: job.inputPath, kmsKeyArn: job.inputKmsKeyArn } },
        jobOutput: { s3DataDestination: { path: job.outputPath, kmsKeyArn: job.outputKmsKeyArn } },
        tags: tagList(job.tags),
      }),
    );
  },
  readDefinition: (value) => readBatchJobDefinition(value, { ...SEGMENT_NUM_RESULTS, unit: 'users' }),
  homeArn: (job) => job.solutionVersionArn,
  attributes: batchJobAttributes,
  matches: matchesBatchJob,
  missingOnCreate: missingSolutionVersionOrFilter,
};
