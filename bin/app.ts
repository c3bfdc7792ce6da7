#!/usr/bin/env node
/**
 * An example app with seven stacks:
 * - PersonalizePipelineExample declares a whole batch pipeline: a dataset group, imports of the
 *   sample data in bin/pipeline-data, two models trained on it (one gated on its NDCG), and a
 *   batch segment job and a batch inference job on them;
 * - PersonalizeRegulatedPipelineExample is the same pipeline with the library's functions in a VPC
 *   without internet access, their logs encrypted, traced and with reserved concurrency, as
 *   HIPAA, NIST 800-53 and PCI DSS rule packs require;
 * - PersonalizeScheduledPipelineExample is the same pipeline run again every night by a state
 *   machine that EventBridge Scheduler starts (the day's interactions, segments and
 *   recommendations; both models trained again on Sundays behind their gates), publishing an
 *   event when each stage ends;
 * - PersonalizeSegmentsExample waits for a batch segment job started elsewhere, then declares a
 *   Glue table over the segments it wrote;
 * - PersonalizeSegmentsJobExample starts a batch segment job itself, then waits for it;
 * - PersonalizeRecommendationsJobExample starts a batch inference job, then waits for it;
 * - PersonalizeTrainingExample trains a model from a new solution, gates it on its NDCG, and
 *   makes user segments from it.
 *
 *   npx cdk synth -c batchSegmentJobArn=arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/my-job \
 *     -c solutionVersionArn=arn:aws:personalize:eu-west-1:111122223333:solution/my-solution/1a2b3c4d \
 *     -c datasetGroupArn=arn:aws:personalize:eu-west-1:111122223333:dataset-group/my-group
 */
import { App } from 'aws-cdk-lib';
import { SOLUTION_VERSION_ARN_EXAMPLE } from '../lib/batch-jobs/contract';
import { BATCH_SEGMENT_JOB } from '../lib/kinds/batch-segment-job/contract';
import { PipelineStack } from './pipeline-stack';
import { RecommendationsJobStack } from './recommendations-job-stack';
import { SegmentsExportStack } from './segments-export-stack';
import { SegmentsJobStack } from './segments-job-stack';
import { TrainingStack } from './training-stack';

const app = new App();
new PipelineStack(app, 'PersonalizePipelineExample');
new PipelineStack(app, 'PersonalizeRegulatedPipelineExample', { regulated: true });
new PipelineStack(app, 'PersonalizeScheduledPipelineExample', { scheduled: true });
new SegmentsExportStack(app, 'PersonalizeSegmentsExample', {
  batchSegmentJobArn: app.node.tryGetContext('batchSegmentJobArn') ?? BATCH_SEGMENT_JOB.arnExample,
});
new SegmentsJobStack(app, 'PersonalizeSegmentsJobExample', {
  solutionVersionArn: app.node.tryGetContext('solutionVersionArn') ?? SOLUTION_VERSION_ARN_EXAMPLE,
});
new RecommendationsJobStack(app, 'PersonalizeRecommendationsJobExample', {
  solutionVersionArn: app.node.tryGetContext('solutionVersionArn') ?? SOLUTION_VERSION_ARN_EXAMPLE,
});
new TrainingStack(app, 'PersonalizeTrainingExample', {
  datasetGroupArn: app.node.tryGetContext('datasetGroupArn') ?? 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo',
  minimumNdcg: 0.2,
});
