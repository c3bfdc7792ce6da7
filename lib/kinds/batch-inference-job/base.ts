import { BatchJobBase, IBatchJob } from '../../batch-jobs/batch-job-base';
import { InferenceAttribute } from './contract';

/** A finished Amazon Personalize batch inference job, as a stack sees it. */
export interface IBatchInferenceJob extends IBatchJob {
  /** The job's ARN; whatever reads it is deployed after the job has ended. */
  readonly batchInferenceJobArn: string;
  /** The job's mode: `BATCH_INFERENCE`, or `THEME_GENERATION` for recommendations with themes. */
  readonly batchInferenceJobMode: string;
  /**
   * The job's configuration (`batchInferenceJobConfig`: item exploration, ranking influence) as
   * JSON, e.g. `{"itemExplorationConfig":{"explorationWeight":"0.3"}}`; empty when it has none.
   */
  readonly batchInferenceJobConfig: string;
  /** The items dataset's column that themes are generated from; empty unless the mode is `THEME_GENERATION`. */
  readonly themeItemNameField: string;
}

/** What BatchInferenceJob and BatchInferenceJobWaiter share: the wait, and the job's attributes. */
export abstract class BatchInferenceJobBase extends BatchJobBase implements IBatchInferenceJob {
  public get batchInferenceJobArn(): string {
    return this._jobArn;
  }
  public get batchInferenceJobMode(): string {
    return this._attribute(InferenceAttribute.MODE);
  }
  public get batchInferenceJobConfig(): string {
    return this._attribute(InferenceAttribute.CONFIG);
  }
  public get themeItemNameField(): string {
    return this._attribute(InferenceAttribute.THEME_ITEM_NAME_FIELD);
  }
}
