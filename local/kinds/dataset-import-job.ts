import { ServiceError } from '../service-error';
import { stepAt, TimelineStep } from '../timeline';

/**
 * The dataset imports of the local Personalize endpoint: datasets that become ACTIVE on a
 * schedule, imports that follow a scripted timeline, and the limit of five imports in progress per
 * region. It answers CreateDatasetImportJob, DescribeDatasetImportJob and ListDatasetImportJobs.
 */

export interface ScriptedDataset {
  /** Seconds after the dataset is added before it is ACTIVE and may be imported into. @default 0 */
  readonly activeAfterSeconds?: number;
  /** The timeline of its imports. @default LIVE_IMPORT_TIMELINE */
  readonly timeline?: readonly TimelineStep[];
  readonly failureReason?: string;
}

interface Import {
  readonly arn: string;
  readonly request: Record<string, unknown>;
  readonly createdAt: number;
  readonly timeline: readonly TimelineStep[];
  readonly failureReason?: string;
}

/** An import as the live service runs a small one: a few minutes pending, then some in progress. */
export const LIVE_IMPORT_TIMELINE: readonly TimelineStep[] = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 120, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 900, status: 'ACTIVE' },
];
export const IMPORT_LIMIT_PER_REGION = 5;
const RUNNING = new Set(['CREATE PENDING', 'CREATE IN_PROGRESS']);
const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,62}$/;

export class LocalImports {
  static readonly OPERATIONS = ['CreateDatasetImportJob', 'DescribeDatasetImportJob', 'ListDatasetImportJobs'];

  private readonly datasets = new Map<string, ScriptedDataset & { readonly addedAt: number }>();
  private readonly imports = new Map<string, Import>();

  constructor(private readonly options: { readonly clock: () => number; readonly accountId: string }) {}

  addDataset(arn: string, dataset: ScriptedDataset = {}): void {
    this.datasets.set(arn, { ...dataset, addedAt: this.options.clock() });
  }

  /** An import started elsewhere, for a waiter to wait on; answers its ARN. */
  addImport(arn: string, datasetArn: string, timeline: readonly TimelineStep[] = LIVE_IMPORT_TIMELINE): string {
    this.imports.set(arn, { arn, request: { datasetArn, dataSource: { dataLocation: 's3://elsewhere/data.csv' } }, createdAt: this.options.clock(), timeline });
    return arn;
  }

  /** The imports created or added, by ARN, oldest first. */
  importArns(): string[] {
    return [...this.imports.keys()];
  }

  statusOf(arn: string): string | undefined {
    const found = this.imports.get(arn);
    return found === undefined ? undefined : this.statusNow(found);
  }

  /**
   * The import whose data a dataset holds now. Personalize does not document what two imports
   * into one dataset do; here the one that ended last (ACTIVE) decides, the worst plausible case
   * for a FULL import, which replaces the data. Undefined before any import has ended.
   */
  dataHeldBy(datasetArn: string): string | undefined {
    const now = this.options.clock();
    const endedAt = (found: Import) => found.createdAt + (found.timeline.find((step) => step.status === 'ACTIVE')?.afterSeconds ?? Infinity) * 1000;
    const ended = [...this.imports.values()].filter((found) => found.request.datasetArn === datasetArn && endedAt(found) <= now);
    ended.sort((a, b) => endedAt(a) - endedAt(b));
    return ended.pop()?.arn;
  }

  /** The tags an import was created with; undefined for an unknown ARN. */
  tagsOf(arn: string): readonly { tagKey: string; tagValue: string }[] | undefined {
    const found = this.imports.get(arn);
    return found === undefined ? undefined : Array.isArray(found.request.tags) ? found.request.tags : [];
  }

  /** What CreateDatasetImportJob was given for the import. */
  requestOf(arn: string): Record<string, unknown> | undefined {
    return this.imports.get(arn)?.request;
  }

  removeAll(): void {
    this.imports.clear();
    this.datasets.clear();
  }

  answer(operation: string, region: string, body: Record<string, unknown>): unknown {
    switch (operation) {
      case 'CreateDatasetImportJob':
        return { datasetImportJobArn: this.create(region, body) };
      case 'DescribeDatasetImportJob':
        return { datasetImportJob: this.describe(region, body.datasetImportJobArn) };
      default:
        return {
          datasetImportJobs: this.importArns()
            .filter((arn) => arn.split(':')[3] === region)
            .map((arn) => this.describe(region, arn))
            .filter((job) => body.datasetArn === undefined || job.datasetArn === body.datasetArn)
            .map(({ datasetImportJobArn, jobName, status, creationDateTime, lastUpdatedDateTime, failureReason, importMode }) => ({
              datasetImportJobArn,
              jobName,
              status,
              creationDateTime,
              lastUpdatedDateTime,
              failureReason,
              importMode,
            })),
        };
    }
  }

  private create(region: string, body: Record<string, unknown>): string {
    const datasetArn = String(body.datasetArn);
    const dataset = this.datasets.get(datasetArn);
    if (typeof body.jobName !== 'string' || !NAME_PATTERN.test(body.jobName)) {
      throw new ServiceError('InvalidInputException', `Invalid job name ${String(body.jobName)}`);
    }
    const location = (body.dataSource as { dataLocation?: unknown } | undefined)?.dataLocation;
    if (typeof location !== 'string' || !/^s3:\/\/[^/]+\/.+$/.test(location) || typeof body.roleArn !== 'string') {
      throw new ServiceError('InvalidInputException', 'dataSource.dataLocation (an S3 path) and roleArn are required');
    }
    if (dataset === undefined || datasetArn.split(':')[3] !== region) {
      throw new ServiceError('ResourceNotFoundException', `Could not find dataset ${datasetArn}`);
    }
    if ((this.options.clock() - dataset.addedAt) / 1000 < (dataset.activeAfterSeconds ?? 0)) {
      throw new ServiceError('ResourceInUseException', `Dataset ${datasetArn} is in CREATE IN_PROGRESS; it must be ACTIVE`);
    }
    const arn = `arn:aws:personalize:${region}:${this.options.accountId}:dataset-import-job/${body.jobName}`;
    if (this.imports.has(arn)) {
      throw new ServiceError('ResourceAlreadyExistsException', `Dataset import job ${body.jobName} already exists`);
    }
    const running = this.importArns().filter((existing) => existing.split(':')[3] === region && RUNNING.has(this.statusOf(existing)!));
    if (running.length >= IMPORT_LIMIT_PER_REGION) {
      throw new ServiceError('LimitExceededException', `More than ${IMPORT_LIMIT_PER_REGION} resources with PENDING or IN_PROGRESS status`);
    }
    this.imports.set(arn, { arn, request: body, createdAt: this.options.clock(), timeline: dataset.timeline ?? LIVE_IMPORT_TIMELINE, failureReason: dataset.failureReason });
    return arn;
  }

  private describe(region: string, arn: unknown): Record<string, unknown> {
    const found = typeof arn === 'string' ? this.imports.get(arn) : undefined;
    if (found === undefined || found.arn.split(':')[3] !== region) {
      throw new ServiceError('ResourceNotFoundException', `Could not find dataset import job ${String(arn)}`);
    }
    const status = this.statusNow(found);
    const { request } = found;
    return {
      datasetImportJobArn: found.arn,
      jobName: found.arn.split('/').pop(),
      datasetArn: request.datasetArn,
      dataSource: request.dataSource,
      roleArn: request.roleArn,
      importMode: request.importMode ?? 'FULL',
      ...(request.publishAttributionMetricsToS3 !== undefined ? { publishAttributionMetricsToS3: request.publishAttributionMetricsToS3 } : {}),
      status,
      ...(status === 'CREATE FAILED' ? { failureReason: found.failureReason ?? 'The data does not match the dataset\'s schema.' } : {}),
      creationDateTime: found.createdAt / 1000,
      lastUpdatedDateTime: this.options.clock() / 1000,
    };
  }

  private statusNow(found: Import): string {
    return stepAt(found.timeline, (this.options.clock() - found.createdAt) / 1000).status;
  }
}
