import { createHash } from 'crypto';
import {
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  PersonalizeClient,
  SolutionVersion,
  StopSolutionVersionCreationCommand,
  UpdateSolutionCommand,
} from '@aws-sdk/client-personalize';
import { ARN_MAX_LENGTH, JOB_NAME_PREFIX_MAX_LENGTH, JOB_NAME_PREFIX_PATTERN, JobField } from '../../../lib/engine/job-contract';
import {
  parseTrainingRef,
  SOLUTION_ARN_EXAMPLE,
  SOLUTION_ARN_PATTERN,
  SOLUTION_VERSION,
  SolutionVersionAttribute,
  TRAINING_MODES,
  TRAINING_STATUSES,
  TrainingField,
  TrainingRef,
  TrainingModeValue,
  trainingRef,
} from '../../../lib/kinds/solution-version/contract';
import { regionOfArn, WaiterProperty } from '../../../lib/engine/wait-contract';
import { isoTime, jobFields, matching, readTags } from '../../engine/job-fields';
import { tagList } from '../../../lib/engine/job-contract';
import { ownerInName } from '../../engine/job-name';
import { adoptableSince, definitionHash, isTaggedWith, readReuseWithin, withDefinitionTag } from '../../engine/adoption';
import { describeRunningVersions, describeVersionNamed, newestActiveVersion } from './training-lookup';
import { errorNameOf, quote, WaiterError } from '../../engine/handler-error';
import type { HandlerKind } from '../../engine/handler-kind';
import { gateShortfall, metricAttributes, QualityGate, readQualityGate } from './quality-gate';

/** A training to start: the solution it trains, how, and what the version is called and tagged. */
export interface TrainingDefinition {
  readonly namePrefix: string;
  readonly solutionArn: string;
  readonly trainingMode?: TrainingModeValue;
  /** The imports whose data the training includes. */
  readonly afterImports?: readonly string[];
  /** The solution's automatic training, set before the training starts; absent: left as it is. */
  readonly performAutoTraining?: boolean;
  /** How old a version a retry adopts may be, in seconds; absent or 0: none is adopted. */
  readonly reuseWithinSeconds?: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** A version as Describe reports it, with its metrics once it is ACTIVE (GetSolutionMetrics). */
export type DescribedVersion = SolutionVersion & { readonly metrics?: Readonly<Record<string, number>> };

export const solutionVersion: HandlerKind<DescribedVersion, TrainingDefinition, QualityGate> = {
  kind: SOLUTION_VERSION,
  async describe(client, ref, detail) {
    const training = parseTrainingRef(ref);
    const version = training !== undefined ? await describeVersionNamed(client, training.solutionArn, training.versionName) : await describeVersion(client, ref);
    if (detail !== 'results' || version.status !== SOLUTION_VERSION.succeededStatus) {
      return version;
    }
    const response = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: version.solutionVersionArn }));
    return { ...version, metrics: response.metrics ?? {} };
  },
  startOnlyFields: ['performAutoTraining', 'reuseWithinSeconds'],
  async create(client, ref, training) {
    if (training.performAutoTraining !== undefined) {
      await setAutomaticTraining(client, training.solutionArn, training.performAutoTraining);
    }
    await client.send(
      new CreateSolutionVersionCommand({
        name: parseTrainingRef(ref)!.versionName,
        solutionArn: training.solutionArn,
        trainingMode: training.trainingMode,
        tags: withDefinitionTag(tagList(training.tags), trainingDefinitionHash(training)),
      }),
    );
  },
  async adopt(client, training) {
    if (!training.reuseWithinSeconds) {
      return undefined;
    }
    const hash = trainingDefinitionHash(training);
    const version = await newestActiveVersion(client, training.solutionArn, adoptableSince(training.reuseWithinSeconds), (arn) => isTaggedWith(client, arn, hash));
    if (version?.name === undefined) {
      return undefined;
    }
    return { ref: trainingRef(training.solutionArn, version.name, dataHashOf(training)), createdAt: version.creationDateTime ?? new Date(0) };
  },
  async stop(client, ref) {
    const training = parseTrainingRef(ref)!;
    let version: SolutionVersion;
    try {
      version = await describeVersionNamed(client, training.solutionArn, training.versionName);
    } catch (error) {
      if (errorNameOf(error) === 'ResourceNotFoundException') {
        return 'notRunning';
      }
      throw error;
    }
    if (!TRAINING_STATUSES.includes(version.status ?? '')) {
      return 'notRunning';
    }
    try {
      await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: version.solutionVersionArn }));
    } catch (error) {
      // Ended or stopping by now: it cannot be stopped any more.
      if (errorNameOf(error) === 'ResourceInUseException' || errorNameOf(error) === 'ResourceNotFoundException') {
        return 'notRunning';
      }
      throw error;
    }
    return 'stopRequested';
  },
  async stopOwned(clientFor, trainings, owner, { keepName, upToRef }) {
    const stopped: string[] = [];
    const upTo = upToRef === undefined ? undefined : parseTrainingRef(upToRef);
    for (const solutionArn of new Set(trainings.map((training) => training.solutionArn))) {
      const client = clientFor(regionOfArn(solutionArn));
      const running = await describeRunningVersions(client, solutionArn).catch((error: unknown) => {
        // A solution that is gone trains nothing.
        if (errorNameOf(error) === 'ResourceNotFoundException') {
          return [];
        }
        throw error;
      });
      // The training upToRef names is among those running, or it has ended and must be looked up.
      const named = running.find((version) => version.name === upTo?.versionName);
      const createdBy = named !== undefined ? named.creationDateTime?.getTime() : await creationOfNamed(clientFor, upTo);
      const owned = running.filter(
        (version) => version.name !== keepName && ownerInName(version.name ?? '') === owner && (createdBy === undefined || (version.creationDateTime?.getTime() ?? 0) <= createdBy),
      );
      for (const version of owned) {
        try {
          await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: version.solutionVersionArn }));
          stopped.push(version.name!);
        } catch (error) {
          // Ended or stopping by now: it cannot be stopped any more.
          if (errorNameOf(error) !== 'ResourceInUseException' && errorNameOf(error) !== 'ResourceNotFoundException') {
            throw error;
          }
        }
      }
    }
    return stopped;
  },
  stopOwnedByHand: (trainings, owner) =>
    `list the versions of ${[...new Set(trainings.map((training) => training.solutionArn))].join(' and ')} with "aws personalize list-solution-versions", ` +
    `describe those in CREATE PENDING or CREATE IN_PROGRESS, and stop each whose name ends in -${owner} and 6 more hex characters ` +
    'with "aws personalize stop-solution-version-creation --solution-version-arn <its ARN>"',
  stopByHand: (ref) => {
    const training = parseTrainingRef(ref);
    return (
      `find the version named ${training?.versionName} with "aws personalize list-solution-versions --solution-arn ${training?.solutionArn}" ` +
      'and "describe-solution-version", then stop it with "aws personalize stop-solution-version-creation --solution-version-arn <its ARN>"'
    );
  },
  readDefinition: readTrainingDefinition,
  homeArn: (training) => training.solutionArn,
  refFor: (training, name) => trainingRef(training.solutionArn, name, dataHashOf(training)),
  isRef: (value) => parseTrainingRef(value) !== undefined,
  nameOfRef: (ref) => parseTrainingRef(ref)?.versionName ?? ref,
  attributes: (version, gate) => ({
    [SolutionVersionAttribute.SOLUTION_VERSION_ARN]: version.solutionVersionArn ?? '',
    [SolutionVersionAttribute.NAME]: version.name ?? '',
    [SolutionVersionAttribute.SOLUTION_ARN]: version.solutionArn ?? '',
    [SolutionVersionAttribute.STATUS]: version.status ?? '',
    [SolutionVersionAttribute.TRAINING_MODE]: version.trainingMode ?? '',
    [SolutionVersionAttribute.TRAINING_TYPE]: version.trainingType ?? '',
    [SolutionVersionAttribute.TRAINING_HOURS]: version.trainingHours === undefined ? '' : String(version.trainingHours),
    [SolutionVersionAttribute.FAILURE_REASON]: version.failureReason ?? '',
    [SolutionVersionAttribute.CREATION_DATE_TIME]: isoTime(version.creationDateTime),
    [SolutionVersionAttribute.LAST_UPDATED_DATE_TIME]: isoTime(version.lastUpdatedDateTime),
    ...metricAttributes(version.metrics ?? {}, gate),
  }),
  matches: (version, training, ref) =>
    version.solutionArn === training.solutionArn &&
    (version.trainingMode ?? 'FULL') === (training.trainingMode ?? 'FULL') &&
    parseTrainingRef(ref)?.dataHash === dataHashOf(training),
  missingOnCreate: (training, region) =>
    `Personalize could not find the solution ${training.solutionArn}: check that it exists and lives in ${region}.`,
  invalidOnCreate: (training) =>
    `Personalize rejected the training's settings: check the training mode (${training.trainingMode ?? 'FULL'}; UPDATE needs a ` +
    'User-Personalization or HRNN-Coldstart solution that already has an ACTIVE version trained FULL) and the tags.',
  notReadyOnCreate: (error, training) =>
    errorNameOf(error) === 'ResourceInUseException'
      ? `solution ${training.solutionArn} is not ready to train (it is still being created or updated)`
      : undefined,
  readSettings: readQualityGate,
  shortfall: (version, gate) => gateShortfall(version.solutionVersionArn ?? '(no ARN reported)', version.metrics ?? {}, gate),
};

/**
 * When the training a reference names was created; undefined for no reference, or one whose
 * training does not exist (never created: then nothing the resource started is newer).
 */
async function creationOfNamed(clientFor: (region: string) => PersonalizeClient, training: TrainingRef | undefined): Promise<number | undefined> {
  if (training === undefined) {
    return undefined;
  }
  try {
    const version = await describeVersionNamed(clientFor(regionOfArn(training.solutionArn)), training.solutionArn, training.versionName);
    return version.creationDateTime?.getTime();
  } catch (error) {
    if (errorNameOf(error) === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

/**
 * Sets the solution's automatic training unless it is set so already, or being set so. UpdateSolution
 * is refused (ResourceInUseException) while the solution is not ACTIVE, or another update of it
 * runs (API_UpdateSolution); the engine takes that as "not ready yet" and tries again at the next
 * poll, so a solution created by the same deployment is waited for.
 */
async function setAutomaticTraining(client: PersonalizeClient, solutionArn: string, performAutoTraining: boolean): Promise<void> {
  const { solution } = await client.send(new DescribeSolutionCommand({ solutionArn }));
  const update = solution?.latestSolutionUpdate;
  const updating = update !== undefined && update.status !== SOLUTION_VERSION.succeededStatus && !SOLUTION_VERSION.failedStatuses.includes(update.status ?? '');
  const current = updating ? update.performAutoTraining : solution?.performAutoTraining;
  if (current !== performAutoTraining) {
    await client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining }));
  }
}

async function describeVersion(client: PersonalizeClient, solutionVersionArn: string): Promise<SolutionVersion> {
  const response = await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }));
  return response.solutionVersion ?? {};
}

/** Reads and checks a training's `Job` property; values that were tokens at synth are seen here first. */
export function readTrainingDefinition(value: unknown): TrainingDefinition {
  const fields = jobFields(value);
  const mode = fields[TrainingField.TRAINING_MODE];
  if (mode !== undefined && mode !== '' && !TRAINING_MODES.some((known) => known === mode)) {
    throw new WaiterError(`The ${WaiterProperty.JOB} property's ${TrainingField.TRAINING_MODE} must be one of ${TRAINING_MODES.join(', ')}; got ${quote(mode)}.`);
  }
  const afterImports = fields[TrainingField.AFTER_IMPORTS];
  if (afterImports !== undefined && (!Array.isArray(afterImports) || !afterImports.every((arn) => typeof arn === 'string' && arn.length > 0))) {
    throw new WaiterError(`The ${WaiterProperty.JOB} property's ${TrainingField.AFTER_IMPORTS} must be a list of dataset import job ARNs; got ${quote(afterImports)}.`);
  }
  return {
    namePrefix: matching(fields, JobField.NAME_PREFIX, JOB_NAME_PREFIX_PATTERN, JOB_NAME_PREFIX_MAX_LENGTH, 'a name prefix of letters, digits, - and _ that starts with a letter or digit'),
    solutionArn: matching(fields, TrainingField.SOLUTION_ARN, SOLUTION_ARN_PATTERN, ARN_MAX_LENGTH, `a solution ARN such as ${SOLUTION_ARN_EXAMPLE}`),
    ...(mode !== undefined && mode !== '' ? { trainingMode: mode as TrainingModeValue } : {}),
    ...(afterImports !== undefined && afterImports.length > 0 ? { afterImports: afterImports as string[] } : {}),
    ...readAutoTraining(fields[TrainingField.PERFORM_AUTO_TRAINING]),
    ...readReuseWithin(fields),
    tags: readTags(fields[JobField.TAGS]),
  };
}

function readAutoTraining(value: unknown): { performAutoTraining?: boolean } {
  if (value === undefined || value === '') {
    return {};
  }
  if (value !== 'true' && value !== 'false' && typeof value !== 'boolean') {
    throw new WaiterError(`The ${WaiterProperty.JOB} property's ${TrainingField.PERFORM_AUTO_TRAINING} must be "true" or "false"; got ${quote(value)}.`);
  }
  return { performAutoTraining: value === true || value === 'true' };
}

/** What defines a training, for its definition tag: the solution, the mode, and the imports it follows, in any order. */
function trainingDefinitionHash(training: TrainingDefinition): string {
  return definitionHash([training.solutionArn, training.trainingMode ?? 'FULL', ...[...(training.afterImports ?? [])].sort()]);
}

/** 12 hex characters of the imports' ARNs, in any order; undefined for a training that follows none. */
function dataHashOf(training: TrainingDefinition): string | undefined {
  if (training.afterImports === undefined) {
    return undefined;
  }
  return createHash('sha256').update([...training.afterImports].sort().join(',')).digest('hex').slice(0, 12);
}

