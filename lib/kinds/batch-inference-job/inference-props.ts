import type { BatchJobDefinitionProps } from '../../batch-jobs/batch-job-props';

/** How a batch inference job runs (`batchInferenceJobMode`). */
export enum BatchInferenceJobMode {
  /** Recommendations only. */
  BATCH_INFERENCE = 'BATCH_INFERENCE',
  /**
   * Recommendations with themes from Content Generator (Similar-Items solutions only); needs
   * `themeItemNameField`.
   */
  THEME_GENERATION = 'THEME_GENERATION',
}

/** How much popularity and freshness weigh in the ranking, each from 0 to 1 (`rankingInfluence`). */
export interface RankingInfluence {
  /**
   * @default - Personalize's default (0)
   */
  readonly popularity?: number;
  /**
   * @default - Personalize's default (0)
   */
  readonly freshness?: number;
}

/** A batch inference job's configuration (`batchInferenceJobConfig`). */
export interface BatchInferenceJobConfig {
  /**
   * Item exploration for User-Personalization solutions, e.g. `{ explorationWeight: '0.3',
   * explorationItemAgeCutOff: '30' }`: at most 100 settings, keys up to 256 characters, values up
   * to 1000.
   *
   * @default - Personalize's defaults
   */
  readonly itemExplorationConfig?: { [key: string]: string };
  /**
   * How much popularity and freshness influence the ranking.
   *
   * @default - neither
   */
  readonly rankingInfluence?: RankingInfluence;
}

/** What a batch inference job is made of: what every batch job is, with its mode and configuration. */
export interface BatchInferenceJobDefinitionProps extends BatchJobDefinitionProps {
  /**
   * The job's configuration: item exploration, ranking influence.
   *
   * @default - none
   */
  readonly batchInferenceJobConfig?: BatchInferenceJobConfig;

  /**
   * Whether the job only recommends, or also generates themes.
   *
   * @default BatchInferenceJobMode.BATCH_INFERENCE
   */
  readonly batchInferenceJobMode?: BatchInferenceJobMode;

  /**
   * The items dataset's column that holds item names, which themes are generated from
   * (`themeGenerationConfig.fieldsForThemeGeneration.itemName`). Required with
   * `BatchInferenceJobMode.THEME_GENERATION`, and only then.
   *
   * @default - no themes
   */
  readonly themeItemNameField?: string;
}
