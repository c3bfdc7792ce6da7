import type { JobKind } from '../../engine/job-kind';

/**
 * Batch inference jobs: recommendations in bulk (items for each user, related items for each item,
 * a personalized ranking, recommendations with themes). CreateBatchInferenceJob and
 * BatchInferenceJobConfig in the Personalize API reference.
 */
export const BATCH_INFERENCE_JOB: JobKind = {
  id: 'batchInferenceJob',
  noun: 'batch inference job',
  arnResource: 'batch-inference-job',
  waiterResourceType: 'Custom::PersonalizeBatchInferenceJobWaiter',
  jobResourceType: 'Custom::PersonalizeBatchInferenceJob',
  arnProperty: 'BatchInferenceJobArn',
  refProperty: 'BatchInferenceJobArn',
  arnExample: 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly-recommendations',
  describeAction: 'personalize:DescribeBatchInferenceJob',
  createAction: 'personalize:CreateBatchInferenceJob',
  grantedActions: ['personalize:DescribeBatchInferenceJob', 'personalize:CreateBatchInferenceJob', 'personalize:TagResource', 'iam:PassRole'],
  inFlightLimit: 5,
  succeededStatus: 'ACTIVE',
  failedStatuses: ['CREATE FAILED'],
};

/** numResults is an Integer the API reference gives no range for: from 1 to the type's largest. */
export const INFERENCE_NUM_RESULTS = { min: 1, max: 2_147_483_647 } as const;
/** The same, with what it counts, for the constructs' messages. */
export const INFERENCE_NUM_RESULTS_COUNTED = { ...INFERENCE_NUM_RESULTS, unit: 'recommendations' } as const;

/** Keys of the inference-only fields in the custom resource's `Job` property. */
export const InferenceJobField = {
  MODE: 'Mode',
  ITEM_EXPLORATION_CONFIG: 'ItemExplorationConfig',
  RANKING_INFLUENCE: 'RankingInfluence',
  THEME_ITEM_NAME_FIELD: 'ThemeItemNameField',
} as const;

/** The job modes (`batchInferenceJobMode`); themes need the name of the input's item-name field. */
export const INFERENCE_MODES = ['BATCH_INFERENCE', 'THEME_GENERATION'] as const;
export type InferenceMode = (typeof INFERENCE_MODES)[number];
export const THEME_GENERATION: InferenceMode = 'THEME_GENERATION';

/** `itemExplorationConfig`: a string map of at most 100 entries, keys up to 256 characters, values up to 1000. */
export const ITEM_EXPLORATION_CONFIG = { maxEntries: 100, maxKeyLength: 256, maxValueLength: 1000 } as const;

/** `rankingInfluence`: a weight from 0 to 1 for each of these factors. */
export const RANKING_FACTORS = ['POPULARITY', 'FRESHNESS'] as const;
export const RANKING_INFLUENCE = { min: 0, max: 1 } as const;

/** `themeGenerationConfig.fieldsForThemeGeneration.itemName`: the name of a column of the items dataset. */
export const ITEM_NAME_FIELD_MAX_LENGTH = 150;

/** The attributes a batch inference job's wait answers with, beside those of every batch job. */
export const InferenceAttribute = {
  MODE: 'BatchInferenceJobMode',
  CONFIG: 'BatchInferenceJobConfig',
  THEME_ITEM_NAME_FIELD: 'ThemeItemNameField',
} as const;

/** A batch inference job's own settings, beside those of every batch job: checked, in the API's shapes. */
export interface InferenceSettings {
  readonly mode?: InferenceMode;
  readonly itemExplorationConfig?: Readonly<Record<string, string>>;
  readonly rankingInfluence?: Readonly<Record<string, number>>;
  readonly themeItemNameField?: string;
}

/** The fields of CreateBatchInferenceJob that `settings` give (camelCase, as the SDK takes them), for the handlers and a state machine alike. */
export function inferenceRequestFields(settings: InferenceSettings) {
  const config = {
    ...(settings.itemExplorationConfig !== undefined ? { itemExplorationConfig: { ...settings.itemExplorationConfig } } : {}),
    ...(settings.rankingInfluence !== undefined ? { rankingInfluence: { ...settings.rankingInfluence } } : {}),
  };
  return {
    batchInferenceJobConfig: Object.keys(config).length > 0 ? config : undefined,
    batchInferenceJobMode: settings.mode,
    themeGenerationConfig: settings.themeItemNameField !== undefined ? { fieldsForThemeGeneration: { itemName: settings.themeItemNameField } } : undefined,
  };
}
