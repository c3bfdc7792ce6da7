import {
  CreateDatasetImportJobCommand,
  DatasetImportJob,
  DatasetImportJobSummary,
  DescribeDatasetImportJobCommand,
  paginateListDatasetImportJobs,
  PersonalizeClient,
  ResourceInUseException,
} from '@aws-sdk/client-personalize';
import { ARN_MAX_LENGTH, JOB_NAME_PREFIX_MAX_LENGTH, JOB_NAME_SUFFIX_LENGTH, JOB_NAME_PREFIX_PATTERN, JobField, jobNameOf, ROLE_ARN_PATTERN, S3_PATH_MAX_LENGTH, S3_PATH_PATTERN } from '../../../lib/engine/job-contract';
import {
  DATASET_ARN_EXAMPLE,
  DATASET_ARN_PATTERN,
  DATASET_IMPORT_JOB,
  IMPORT_MODES,
  ImportAttribute,
  ImportField,
  ImportModeValue,
  importRequest,
  type ImportRequestDefinition,
} from '../../../lib/kinds/dataset-import-job/contract';
import { WaiterProperty } from '../../../lib/engine/wait-contract';
import { adoptableSince, definitionHash, isTaggedWith, readReuseWithin, withDefinitionTag } from '../../engine/adoption';
import { isoTime, jobFields, matching, readTags } from '../../engine/job-fields';
import { tagList } from '../../../lib/engine/job-contract';
import { ownerInName } from '../../engine/job-name';
import { errorNameOf, quote, WaiterError } from '../../engine/handler-error';
import { arnRefs } from '../../engine/arn-refs';
import type { HandlerKind } from '../../engine/handler-kind';

/** An import to start: which dataset, from where, how, and which version of the data. */
export interface ImportDefinition extends ImportRequestDefinition<ImportModeValue> {
  readonly namePrefix: string;
  readonly dataVersion?: string;
  /** How old an import a retry adopts may be, in seconds; absent or 0: none is adopted. */
  readonly reuseWithinSeconds?: number;
}

export const datasetImportJob: HandlerKind<DatasetImportJob, ImportDefinition, undefined> = {
  kind: DATASET_IMPORT_JOB,
  async describe(client, jobArn) {
    const response = await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: jobArn }));
    return response.datasetImportJob ?? {};
  },
  async create(client, jobArn, job) {
    const running = (await importsInto(client, job.datasetArn)).find((other) => IMPORT_RUNNING.includes(other.status ?? '') && other.datasetImportJobArn !== jobArn);
    if (running !== undefined) {
      // Personalize does not say what two imports into one dataset do; whichever ended last could
      // decide what the dataset holds. One at a time, then: a rollback's import of the old data
      // starts only after the import of the update it undoes has ended.
      throw new ResourceInUseException({ message: `Import ${running.datasetImportJobArn} into dataset ${job.datasetArn} is still ${running.status}.`, $metadata: {} });
    }
    await client.send(new CreateDatasetImportJobCommand({ ...importRequest(jobNameOf(jobArn), job), tags: withDefinitionTag(tagList(job.tags), importDefinitionHash(job)) }));
  },
  startOnlyFields: ['reuseWithinSeconds'],
  async adopt(client, job) {
    if (!job.reuseWithinSeconds) {
      return undefined;
    }
    // Only the latest import into the dataset: what the dataset holds is its data.
    const [latest] = (await importsInto(client, job.datasetArn)).sort((a, b) => (b.creationDateTime?.getTime() ?? 0) - (a.creationDateTime?.getTime() ?? 0));
    const adoptable =
      latest?.status === DATASET_IMPORT_JOB.succeededStatus &&
      (latest.creationDateTime?.getTime() ?? 0) >= adoptableSince(job.reuseWithinSeconds) &&
      new RegExp(`^${job.namePrefix}-[0-9a-f]{${JOB_NAME_SUFFIX_LENGTH}}$`).test(latest.jobName ?? '') &&
      (await isTaggedWith(client, latest.datasetImportJobArn!, importDefinitionHash(job)));
    return adoptable ? { ref: latest.datasetImportJobArn!, createdAt: latest.creationDateTime! } : undefined;
  },
  async latestOwned(client, job, owner) {
    const owned = (await importsInto(client, job.datasetArn)).filter((imported) => ownerInName(imported.jobName ?? '') === owner);
    owned.sort((a, b) => (a.creationDateTime?.getTime() ?? 0) - (b.creationDateTime?.getTime() ?? 0));
    return owned.pop()?.datasetImportJobArn;
  },
  readDefinition: readImportDefinition,
  ...arnRefs<ImportDefinition>(DATASET_IMPORT_JOB, (job) => job.datasetArn),
  attributes: (job, _settings, ref) => ({
    [ImportAttribute.DATASET_IMPORT_JOB_ARN]: job.datasetImportJobArn ?? ref,
    [ImportAttribute.JOB_NAME]: job.jobName ?? '',
    [ImportAttribute.STATUS]: job.status ?? '',
    [ImportAttribute.DATASET_ARN]: job.datasetArn ?? '',
    [ImportAttribute.IMPORT_MODE]: job.importMode ?? '',
    [ImportAttribute.DATA_LOCATION]: job.dataSource?.dataLocation ?? '',
    [ImportAttribute.ROLE_ARN]: job.roleArn ?? '',
    [ImportAttribute.PUBLISH_ATTRIBUTION_METRICS]: job.publishAttributionMetricsToS3 === undefined ? '' : String(job.publishAttributionMetricsToS3),
    [ImportAttribute.FAILURE_REASON]: job.failureReason ?? '',
    [ImportAttribute.CREATION_DATE_TIME]: isoTime(job.creationDateTime),
    [ImportAttribute.LAST_UPDATED_DATE_TIME]: isoTime(job.lastUpdatedDateTime),
  }),
  // Personalize does not describe which version of the data an import read: an import defined by
  // a data version is never taken for one already made (a rollback imports the old data again).
  matches: (described, job) =>
    job.dataVersion === undefined &&
    described.datasetArn === job.datasetArn &&
    described.dataSource?.dataLocation === job.dataLocation &&
    described.roleArn === job.roleArn &&
    (described.importMode ?? 'FULL') === (job.importMode ?? 'FULL'),
  missingOnCreate: (job, region) => `Personalize could not find the dataset ${job.datasetArn}: check that it exists and lives in ${region}.`,
  invalidOnCreate: () =>
    'Personalize rejected the import\'s settings: check the data location (a CSV file, or a folder of them), the role it names, and that the data fits the dataset\'s schema.',
  notReadyOnCreate: (error, job) =>
    errorNameOf(error) === 'ResourceInUseException'
      ? `dataset ${job.datasetArn} is not ready to import into (it is still being created, or another import into it runs)`
      : undefined,
  readSettings: () => undefined,
};

/** What defines an import, for its definition tag: where the data goes, where it comes from and which version of it, and how. */
function importDefinitionHash(job: ImportDefinition): string {
  return definitionHash([job.datasetArn, job.dataLocation, job.importMode ?? 'FULL', job.dataVersion, String(job.publishAttributionMetricsToS3 ?? '')]);
}

/** The statuses of an import still running (CreateDatasetImportJob). */
const IMPORT_RUNNING: readonly string[] = ['CREATE PENDING', 'CREATE IN_PROGRESS'];

/** Every import into the dataset, as ListDatasetImportJobs summarizes them (status and name included). */
async function importsInto(client: PersonalizeClient, datasetArn: string): Promise<DatasetImportJobSummary[]> {
  const imports: DatasetImportJobSummary[] = [];
  for await (const page of paginateListDatasetImportJobs({ client, pageSize: 100 }, { datasetArn })) {
    imports.push(...(page.datasetImportJobs ?? []));
  }
  return imports;
}

/** Reads and checks an import's `Job` property; values that were tokens at synth are seen here first. */
export function readImportDefinition(value: unknown): ImportDefinition {
  const fields = jobFields(value);
  const mode = fields[ImportField.IMPORT_MODE];
  if (mode !== undefined && mode !== '' && !IMPORT_MODES.some((known) => known === mode)) {
    throw new WaiterError(`The ${WaiterProperty.JOB} property's ${ImportField.IMPORT_MODE} must be one of ${IMPORT_MODES.join(', ')}; got ${quote(mode)}.`);
  }
  const publish = fields[ImportField.PUBLISH_ATTRIBUTION_METRICS];
  if (publish !== undefined && publish !== 'true' && publish !== 'false' && typeof publish !== 'boolean') {
    throw new WaiterError(`The ${WaiterProperty.JOB} property's ${ImportField.PUBLISH_ATTRIBUTION_METRICS} must be "true" or "false"; got ${quote(publish)}.`);
  }
  const dataVersion = fields[ImportField.DATA_VERSION];
  if (dataVersion !== undefined && typeof dataVersion !== 'string') {
    throw new WaiterError(`The ${WaiterProperty.JOB} property's ${ImportField.DATA_VERSION} must be a string; got ${quote(dataVersion)}.`);
  }
  return {
    namePrefix: matching(fields, JobField.NAME_PREFIX, JOB_NAME_PREFIX_PATTERN, JOB_NAME_PREFIX_MAX_LENGTH, 'a job name prefix of letters, digits, - and _ that starts with a letter or digit'),
    datasetArn: matching(fields, ImportField.DATASET_ARN, DATASET_ARN_PATTERN, ARN_MAX_LENGTH, `a dataset ARN such as ${DATASET_ARN_EXAMPLE}`),
    dataLocation: matching(fields, ImportField.DATA_LOCATION, S3_PATH_PATTERN, S3_PATH_MAX_LENGTH, 'an S3 path such as s3://bucket/interactions.csv or s3://bucket/folder/'),
    roleArn: matching(fields, JobField.ROLE_ARN, ROLE_ARN_PATTERN, ARN_MAX_LENGTH, 'an IAM role ARN'),
    importMode: mode === '' ? undefined : (mode as ImportModeValue | undefined),
    ...(publish !== undefined ? { publishAttributionMetricsToS3: publish === true || publish === 'true' } : {}),
    dataVersion: dataVersion === '' ? undefined : dataVersion,
    tags: readTags(fields[JobField.TAGS]),
    ...readReuseWithin(fields),
  };
}
