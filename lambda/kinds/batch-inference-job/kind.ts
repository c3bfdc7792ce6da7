import { isDeepStrictEqual } from 'util';
import { BatchInferenceJob, CreateBatchInferenceJobCommand, DescribeBatchInferenceJobCommand } from '@aws-sdk/client-personalize';
import { BatchJobDefinition, batchJobRequest, jobOutputFolder } from '../../../lib/batch-jobs/contract';
import {
  BATCH_INFERENCE_JOB,
  INFERENCE_MODES,
  INFERENCE_NUM_RESULTS,
  InferenceAttribute,
  inferenceRequestFields,
  InferenceJobField,
  InferenceMode,
  InferenceSettings,
  ITEM_EXPLORATION_CONFIG,
  ITEM_NAME_FIELD_MAX_LENGTH,
  RANKING_FACTORS,
  RANKING_INFLUENCE,
  THEME_GENERATION,
} from '../../../lib/kinds/batch-inference-job/contract';
import { WaiterProperty } from '../../../lib/engine/wait-contract';
import { batchJobAttributes } from '../../batch-jobs/batch-job-attributes';
import { invalidBatchJob, matchesBatchJob, missingSolutionVersionOrFilter, readBatchJobDefinition } from '../../batch-jobs/batch-job-definition';
import { Fields, jobFields } from '../../engine/job-fields';
import { quote, WaiterError } from '../../engine/handler-error';
import { arnRefs } from '../../engine/arn-refs';
import type { HandlerKind } from '../../engine/handler-kind';
import { jobNameOf } from '../../../lib/engine/job-contract';

/** A batch inference job to create: a batch job, with its mode and configuration. */
export interface InferenceJobDefinition extends BatchJobDefinition, InferenceSettings {}

export const batchInferenceJob: HandlerKind<BatchInferenceJob, InferenceJobDefinition, undefined> = {
  kind: BATCH_INFERENCE_JOB,
  async describe(client, jobArn) {
    const response = await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: jobArn }));
    return response.batchInferenceJob ?? {};
  },
  async create(client, jobArn, job) {
    await client.send(
      new CreateBatchInferenceJobCommand({
        ...batchJobRequest(jobNameOf(jobArn), jobOutputFolder(job.outputPath, jobNameOf(jobArn)), job),
        ...inferenceRequestFields(job),
      }),
    );
  },
  readDefinition: readInferenceJobDefinition,
  ...arnRefs<InferenceJobDefinition>(BATCH_INFERENCE_JOB, (job) => job.solutionVersionArn),
  attributes: (job) => ({
    ...batchJobAttributes(job),
    [InferenceAttribute.MODE]: job.batchInferenceJobMode ?? '',
    [InferenceAttribute.CONFIG]: job.batchInferenceJobConfig === undefined ? '' : JSON.stringify(job.batchInferenceJobConfig),
    [InferenceAttribute.THEME_ITEM_NAME_FIELD]: job.themeGenerationConfig?.fieldsForThemeGeneration?.itemName ?? '',
  }),
  matches: (described, job, jobArn) =>
    matchesBatchJob(described, job, jobArn) &&
    (described.batchInferenceJobMode ?? 'BATCH_INFERENCE') === (job.mode ?? 'BATCH_INFERENCE') &&
    described.themeGenerationConfig?.fieldsForThemeGeneration?.itemName === job.themeItemNameField &&
    isDeepStrictEqual(described.batchInferenceJobConfig?.itemExplorationConfig, job.itemExplorationConfig) &&
    isDeepStrictEqual(described.batchInferenceJobConfig?.rankingInfluence, job.rankingInfluence),
  missingOnCreate: missingSolutionVersionOrFilter,
  invalidOnCreate: invalidBatchJob,
  readSettings: () => undefined,
};

/**
 * Reads and checks a batch inference job's `Job` property: the fields of every batch job, then its
 * mode and configuration, against the limits of CreateBatchInferenceJob and BatchInferenceJobConfig.
 */
export function readInferenceJobDefinition(value: unknown): InferenceJobDefinition {
  const batchJob = readBatchJobDefinition(value, { ...INFERENCE_NUM_RESULTS, unit: 'recommendations' });
  const fields = jobFields(value);
  const mode = readMode(fields[InferenceJobField.MODE]);
  const itemExplorationConfig = readItemExplorationConfig(fields[InferenceJobField.ITEM_EXPLORATION_CONFIG]);
  const rankingInfluence = readRankingInfluence(fields[InferenceJobField.RANKING_INFLUENCE]);
  const themeItemNameField = readThemeItemNameField(fields, mode);
  return {
    ...batchJob,
    ...(mode !== undefined ? { mode } : {}),
    ...(itemExplorationConfig !== undefined ? { itemExplorationConfig } : {}),
    ...(rankingInfluence !== undefined ? { rankingInfluence } : {}),
    ...(themeItemNameField !== undefined ? { themeItemNameField } : {}),
  };
}

function fieldError(key: string, expected: string, value: unknown): WaiterError {
  return new WaiterError(`The ${WaiterProperty.JOB} property's ${key} must be ${expected}; got ${quote(value)}.`);
}

function readMode(value: unknown): InferenceMode | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const mode = INFERENCE_MODES.find((candidate) => candidate === value);
  if (mode === undefined) {
    throw fieldError(InferenceJobField.MODE, `one of ${INFERENCE_MODES.join(', ')}`, value);
  }
  return mode;
}

function readItemExplorationConfig(value: unknown): Record<string, string> | undefined {
  if (value === undefined) {
    return undefined;
  }
  const { maxEntries, maxKeyLength, maxValueLength } = ITEM_EXPLORATION_CONFIG;
  const expected = `an object of at most ${maxEntries} string settings, keys of 1 to ${maxKeyLength} characters and values of at most ${maxValueLength}`;
  const entries = isObject(value) ? Object.entries(value) : undefined;
  const valid =
    entries !== undefined &&
    entries.length <= maxEntries &&
    entries.every(([key, setting]) => key.length > 0 && key.length <= maxKeyLength && typeof setting === 'string' && setting.length <= maxValueLength);
  if (!valid) {
    throw fieldError(InferenceJobField.ITEM_EXPLORATION_CONFIG, expected, value);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function readRankingInfluence(value: unknown): Record<string, number> | undefined {
  if (value === undefined) {
    return undefined;
  }
  const expected = `an object whose keys are ${RANKING_FACTORS.join(' or ')}, each a number from ${RANKING_INFLUENCE.min} to ${RANKING_INFLUENCE.max}`;
  if (!isObject(value)) {
    throw fieldError(InferenceJobField.RANKING_INFLUENCE, expected, value);
  }
  const influence: Record<string, number> = {};
  for (const [factor, weight] of Object.entries(value)) {
    // CloudFormation delivers numbers as strings.
    const number = typeof weight === 'number' || (typeof weight === 'string' && weight.trim() !== '') ? Number(weight) : NaN;
    if (!RANKING_FACTORS.some((known) => known === factor) || !(number >= RANKING_INFLUENCE.min && number <= RANKING_INFLUENCE.max)) {
      throw fieldError(InferenceJobField.RANKING_INFLUENCE, expected, value);
    }
    influence[factor] = number;
  }
  return influence;
}

function readThemeItemNameField(fields: Fields, mode: InferenceMode | undefined): string | undefined {
  const value = fields[InferenceJobField.THEME_ITEM_NAME_FIELD];
  if (mode !== THEME_GENERATION) {
    if (value !== undefined && value !== '') {
      throw fieldError(InferenceJobField.THEME_ITEM_NAME_FIELD, `absent unless ${InferenceJobField.MODE} is ${THEME_GENERATION}`, value);
    }
    return undefined;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > ITEM_NAME_FIELD_MAX_LENGTH) {
    throw fieldError(
      InferenceJobField.THEME_ITEM_NAME_FIELD,
      `the name of the items dataset's item-name column, 1 to ${ITEM_NAME_FIELD_MAX_LENGTH} characters, when ${InferenceJobField.MODE} is ${THEME_GENERATION}`,
      value,
    );
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
