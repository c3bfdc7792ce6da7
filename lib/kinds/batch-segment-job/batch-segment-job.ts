import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BatchJobInput, BatchJobOutput, BatchJobProps } from '../../batch-jobs/batch-job-props';
import { BatchSegmentJobBase } from './base';
import { BATCH_SEGMENT_JOB, SEGMENT_NUM_RESULTS_COUNTED } from './contract';

/** The JSON lines a batch segment job reads. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BatchSegmentJobInput extends BatchJobInput {}

/** Where a batch segment job writes its segments. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BatchSegmentJobOutput extends BatchJobOutput {}

/** A batch segment job to create and wait for: what every batch job is made of, `numResults` counting users per segment. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BatchSegmentJobProps extends BatchJobProps {}

/**
 * Starts an Amazon Personalize batch segment job from the stack, waits until it has ended, and
 * exposes what it produced as attributes, as `BatchSegmentJobWaiter` does for a job started
 * elsewhere.
 *
 * The job starts when the resource is created, and again (as a new job, with a new name and ARN)
 * when an update changes anything that defines it: the solution version, input, output, role,
 * filter, `numResults` or `jobNamePrefix`. A change to the wait's settings or the tags alone starts
 * nothing. When the region is at Personalize's limit of five pending or in-progress jobs, the
 * creation is retried until a slot frees up or `timeout` runs out. Deleting the construct leaves
 * the job and its output in place (Personalize cannot delete a job) and always succeeds.
 */
export class BatchSegmentJob extends BatchSegmentJobBase {
  /** The role Personalize runs the job with. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: BatchSegmentJobProps) {
    super(scope, id);
    this.role = this._createJob(BATCH_SEGMENT_JOB, props, SEGMENT_NUM_RESULTS_COUNTED, {});
  }
}
