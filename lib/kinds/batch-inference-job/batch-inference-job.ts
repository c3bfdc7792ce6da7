import { Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SolutionVersion } from '../solution-version/solution-version';
import { BatchJobProps } from '../../batch-jobs/batch-job-props';
import { BatchInferenceJobBase } from './base';
import {
  BATCH_INFERENCE_JOB,
  INFERENCE_NUM_RESULTS,
  InferenceJobField,
  ITEM_EXPLORATION_CONFIG,
  ITEM_NAME_FIELD_MAX_LENGTH,
  RANKING_INFLUENCE,
} from './contract';

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

/** A batch inference job to create and wait for. */
export interface BatchInferenceJobProps extends BatchJobProps {
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
    this.role = this._createJob(BATCH_INFERENCE_JOB, props, { ...INFERENCE_NUM_RESULTS, unit: 'recommendations' }, inferenceFields(this, props));
    // CreateBatchInferenceJob is authorized on the solution version (of the solution type) as well as on the job it creates.
    this._handlers().allow(BATCH_INFERENCE_JOB.createAction, SolutionVersion._versionGrantOf(props.solutionVersionArn));
  }
}

/** The inference-only fields of the `Job` property, checked where they are known at synth. */
function inferenceFields(scope: Construct, props: BatchInferenceJobProps): Record<string, unknown> {
  const mode = props.batchInferenceJobMode;
  const themes = mode === BatchInferenceJobMode.THEME_GENERATION;
  const itemName = props.themeItemNameField;
  if (themes && itemName === undefined) {
    throw new Error(`${scope.node.path}: batchInferenceJobMode THEME_GENERATION needs themeItemNameField, the items dataset's item-name column.`);
  }
  if (!themes && itemName !== undefined) {
    throw new Error(`${scope.node.path}: themeItemNameField is only for batchInferenceJobMode THEME_GENERATION; got ${JSON.stringify(itemName)} with ${mode ?? 'the default mode'}.`);
  }
  if (itemName !== undefined && !Token.isUnresolved(itemName) && (itemName.length === 0 || itemName.length > ITEM_NAME_FIELD_MAX_LENGTH)) {
    throw new Error(`${scope.node.path}: themeItemNameField must be 1 to ${ITEM_NAME_FIELD_MAX_LENGTH} characters; got ${JSON.stringify(itemName)}.`);
  }
  const exploration = props.batchInferenceJobConfig?.itemExplorationConfig;
  validateItemExplorationConfig(scope, exploration);
  const ranking = props.batchInferenceJobConfig?.rankingInfluence;
  const rankingInfluence = ranking === undefined ? undefined : rankingInfluenceField(scope, ranking);
  return {
    [InferenceJobField.MODE]: mode,
    [InferenceJobField.ITEM_EXPLORATION_CONFIG]: exploration,
    [InferenceJobField.RANKING_INFLUENCE]: rankingInfluence,
    [InferenceJobField.THEME_ITEM_NAME_FIELD]: itemName,
  };
}

function validateItemExplorationConfig(scope: Construct, config: { [key: string]: string } | undefined): void {
  if (config === undefined) {
    return;
  }
  const { maxEntries, maxKeyLength, maxValueLength } = ITEM_EXPLORATION_CONFIG;
  const entries = Object.entries(config);
  if (entries.length > maxEntries) {
    throw new Error(`${scope.node.path}: itemExplorationConfig may hold at most ${maxEntries} settings; got ${entries.length}.`);
  }
  for (const [key, value] of entries) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
      continue;
    }
    if (key.length === 0 || key.length > maxKeyLength || value.length > maxValueLength) {
      throw new Error(
        `${scope.node.path}: itemExplorationConfig setting ${JSON.stringify(key)} must have a key of 1 to ${maxKeyLength} characters ` +
          `and a value of at most ${maxValueLength}; got a key of ${key.length} and a value of ${value.length}.`,
      );
    }
  }
}

/** The service's `rankingInfluence` map, from the props' struct. */
function rankingInfluenceField(scope: Construct, ranking: RankingInfluence): Record<string, number> {
  const influence: Record<string, number> = {};
  for (const [factor, weight] of [['POPULARITY', ranking.popularity], ['FRESHNESS', ranking.freshness]] as const) {
    if (weight === undefined) {
      continue;
    }
    if (!Token.isUnresolved(weight) && !(weight >= RANKING_INFLUENCE.min && weight <= RANKING_INFLUENCE.max)) {
      throw new Error(
        `${scope.node.path}: rankingInfluence.${factor.toLowerCase()} must be a number from ${RANKING_INFLUENCE.min} to ${RANKING_INFLUENCE.max}; got ${weight}.`,
      );
    }
    influence[factor] = weight;
  }
  return influence;
}
