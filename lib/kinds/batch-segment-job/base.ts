import { BatchJobBase, IBatchJob } from '../../batch-jobs/batch-job-base';
import type { BatchJobWaitOptions } from '../../engine/wait-options';

/**
 * How to wait for a batch segment job; the same for a job the stack creates and one it only waits
 * for. The name predates the other kinds, which share the same `BatchJobWaitOptions`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BatchSegmentJobWaitOptions extends BatchJobWaitOptions {}

/** A finished Amazon Personalize batch segment job, as a stack sees it. */
export interface IBatchSegmentJob extends IBatchJob {
  /** The job's ARN; whatever reads it is deployed after the job has ended. */
  readonly batchSegmentJobArn: string;
}

/** What BatchSegmentJob and BatchSegmentJobWaiter share: the wait, and the job's attributes. */
export abstract class BatchSegmentJobBase extends BatchJobBase implements IBatchSegmentJob {
  public get batchSegmentJobArn(): string {
    return this._jobArn;
  }
}
