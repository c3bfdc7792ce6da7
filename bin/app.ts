#!/usr/bin/env node
/**
 * An example app: a stack that waits for a batch segment job and then declares a Glue table over
 * the segments it wrote.
 *
 *   npx cdk synth -c batchSegmentJobArn=arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/my-job
 */
import { App } from 'aws-cdk-lib';
import { BATCH_SEGMENT_JOB_ARN_EXAMPLE } from '../lib/waiter-contract';
import { SegmentsExportStack } from './segments-export-stack';

const app = new App();
new SegmentsExportStack(app, 'PersonalizeSegmentsExample', {
  batchSegmentJobArn: app.node.tryGetContext('batchSegmentJobArn') ?? BATCH_SEGMENT_JOB_ARN_EXAMPLE,
});
