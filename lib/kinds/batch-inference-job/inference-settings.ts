import { Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ITEM_EXPLORATION_CONFIG, ITEM_NAME_FIELD_MAX_LENGTH, InferenceSettings, RANKING_INFLUENCE } from './contract';
import { BatchInferenceJobMode, type BatchInferenceJobDefinitionProps, type RankingInfluence } from './inference-props';

/** The inference-only settings of `props`, checked where they are known at synth. */
export function inferenceSettingsOf(scope: Construct, props: BatchInferenceJobDefinitionProps): InferenceSettings {
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
  return { mode, itemExplorationConfig: exploration, rankingInfluence, themeItemNameField: itemName };
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
