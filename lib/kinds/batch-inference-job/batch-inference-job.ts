import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BatchJobWaitOptions } from '../../engine/wait-options';
import { BatchInferenceJobBase } from './base';
import { BATCH_INFERENCE_JOB, INFERENCE_NUM_RESULTS_COUNTED, InferenceJobField } from './contract';
import { inferenceCreateVersionResource } from './create-grant';
import type { BatchInferenceJobDefinitionProps } from './inference-props';
import { inferenceSettingsOf } from './inference-settings';

/** A batch inference job to create and wait for. */
export interface BatchInferenceJobProps extends BatchInferenceJobDefinitionProps, BatchJobWaitOptions {}

/**
 * Starts an Amazon Personalize batch inference job from the stack, waits until it has ended, and
 * exposes what it produced as attributes, as `BatchInferenceJobWaiter` does for a job started
 * elsewhere.
 *
 * The job starts when the resource is created, and again (as a new job, with a new name and ARN)
 * when an update changes anything that defines it: the solution version, input, output, role,
 * filter, `numResults`, configuration, mode or `jobNamePrefix`. A change to the wait's settings or
 * the tags alone starts nothing. When the region is at Personalize's limit of five pending or
 * in-progress batch inference jobs, the creation is retried until a slot frees up or `timeout`
 * runs out. Deleting the construct leaves the job and its output in place (Personalize cannot
 * delete a job) and always succeeds.
 */
export class BatchInferenceJob extends BatchInferenceJobBase {
  /** The role Personalize runs the job with. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: BatchInferenceJobProps) {
    super(scope, id);
    const settings = inferenceSettingsOf(this, props);
    this.role = this._createJob(BATCH_INFERENCE_JOB, props, INFERENCE_NUM_RESULTS_COUNTED, {
      [InferenceJobField.MODE]: settings.mode,
      [InferenceJobField.ITEM_EXPLORATION_CONFIG]: settings.itemExplorationConfig,
      [InferenceJobField.RANKING_INFLUENCE]: settings.rankingInfluence,
      [InferenceJobField.THEME_ITEM_NAME_FIELD]: settings.themeItemNameField,
    });
    this._handlers().allow(BATCH_INFERENCE_JOB.createAction, inferenceCreateVersionResource(this, props.solutionVersionArn));
  }
}

