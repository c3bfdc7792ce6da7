import { Construct } from 'constructs';
import { BatchSegmentJobBase, BatchSegmentJobWaitOptions } from './base';
import { BATCH_SEGMENT_JOB } from './contract';

export interface BatchSegmentJobWaiterProps extends BatchSegmentJobWaitOptions {
  /**
   * The ARN of the Amazon Personalize batch segment job to wait for, such as
   * `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo`.
   *
   * A literal is checked at synth time; a token (a parameter, another construct's attribute) is
   * checked when the stack deploys. The job may live in another region than the stack.
   */
  readonly batchSegmentJobArn: string;
}

/**
 * Holds a stack until an Amazon Personalize batch segment job started elsewhere has finished, and
 * exposes what the job produced as attributes. To start the job from the stack too, use
 * `BatchSegmentJob`.
 *
 * Resources that depend on the waiter (`x.node.addDependency(waiter)`) or read one of its
 * attributes are deployed after the job has ended `ACTIVE`. A job that fails, does not exist or
 * outlasts `timeout` fails the deployment with a message that says why. Deleting the waiter never
 * touches the job and always succeeds.
 */
export class BatchSegmentJobWaiter extends BatchSegmentJobBase {
  constructor(scope: Construct, id: string, props: BatchSegmentJobWaiterProps) {
    super(scope, id);
    this._waitForExistingBatchJob(BATCH_SEGMENT_JOB, props.batchSegmentJobArn, props);
  }
}
