import { Construct } from 'constructs';
import type { BatchJobWaitOptions } from '../../engine/wait-options';
import { BatchInferenceJobBase } from './base';
import { BATCH_INFERENCE_JOB } from './contract';

export interface BatchInferenceJobWaiterProps extends BatchJobWaitOptions {
  /**
   * The ARN of the Amazon Personalize batch inference job to wait for, such as
   * `arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly-recommendations`.
   *
   * A literal is checked at synth time; a token (a parameter, another construct's attribute) is
   * checked when the stack deploys. The job may live in another region than the stack.
   */
  readonly batchInferenceJobArn: string;
}

/**
 * Holds a stack until an Amazon Personalize batch inference job started elsewhere has finished,
 * and exposes what the job produced as attributes. To start the job from the stack too, use
 * `BatchInferenceJob`.
 *
 * Resources that depend on the waiter (`x.node.addDependency(waiter)`) or read one of its
 * attributes are deployed after the job has ended `ACTIVE`. A job that fails, does not exist or
 * outlasts `timeout` fails the deployment with a message that says why. Deleting the waiter never
 * touches the job and always succeeds.
 */
export class BatchInferenceJobWaiter extends BatchInferenceJobBase {
  constructor(scope: Construct, id: string, props: BatchInferenceJobWaiterProps) {
    super(scope, id);
    this._waitForExistingBatchJob(BATCH_INFERENCE_JOB, props.batchInferenceJobArn, props);
  }
}
