import * as http from 'http';
import type { AddressInfo } from 'net';
import { ServiceError } from './service-error';
import type { EndpointKind } from './batch-job-endpoint';
import { BATCH_INFERENCE_JOB_ENDPOINT } from './kinds/batch-inference-job';
import { BATCH_SEGMENT_JOB_ENDPOINT } from './kinds/batch-segment-job';
import { stepAt, TimelineStep } from './timeline';
import { LocalImports } from './kinds/dataset-import-job';
import { LocalTrainings } from './kinds/solution-version';
import { IamModelError, LocalIam } from './iam/local-iam';
import { authorizationsFor, PersonalizeRequest, roleUseOf } from './iam/personalize-calls';
import { checkRoleUse } from './iam/personalize-role-checks';

/**
 * A local Amazon Personalize endpoint for tests and the demo. It speaks the service's wire protocol
 * (awsJson1_1: `POST /`, `X-Amz-Target: AmazonPersonalize.<Operation>`, JSON errors with `__type`),
 * so the real AWS SDK reaches it through `AWS_ENDPOINT_URL_PERSONALIZE` with no code change. It
 * serves batch segment jobs and batch inference jobs (Describe, Create, List), each kind with its
 * own limit of jobs in flight per region, solution versions (see kinds/solution-version.ts) and dataset
 * imports (kinds/dataset-import-job.ts).
 *
 * Jobs follow scripted timelines over a clock the caller owns (simulated time in tests), live in
 * the region their ARN names (read from each request's SigV4 credential scope), and faults can be
 * injected for the next requests. Every call is recorded and, with `iam`, decided by IAM before
 * the service looks at it (iam/).
 */

export type { TimelineStep } from './timeline';

/** A job of either kind, named by the ARN field its Describe answers with. */
export type ScriptedJob = ({ readonly batchSegmentJobArn: string } | { readonly batchInferenceJobArn: string }) & ScriptedJobDetails;

export interface ScriptedJobDetails {
  readonly timeline: readonly TimelineStep[];
  /** When the job was created, in clock milliseconds; defaults to the clock when it is added. */
  readonly createdAt?: number;
  readonly failureReason?: string;
  readonly numResults?: number;
  readonly outputPath?: string;
  readonly inputPath?: string;
  readonly solutionVersionArn?: string;
  readonly roleArn?: string;
  readonly filterArn?: string;
  readonly inputKmsKeyArn?: string;
  readonly outputKmsKeyArn?: string;
  /** Tags given to the Create call. */
  readonly tags?: readonly { readonly tagKey: string; readonly tagValue: string }[];
  /** A batch inference job's mode, configuration and theme settings, as CreateBatchInferenceJob took them. */
  readonly batchInferenceJobMode?: string;
  readonly batchInferenceJobConfig?: Record<string, unknown>;
  readonly themeGenerationConfig?: Record<string, unknown>;
}

/** The batch job kinds the endpoint serves, each from its module under local/kinds/. */
const KINDS: readonly EndpointKind[] = [BATCH_SEGMENT_JOB_ENDPOINT, BATCH_INFERENCE_JOB_ENDPOINT];

export type Fault =
  | { readonly kind: 'throttling' }
  | { readonly kind: 'serverError'; readonly status?: 500 | 503 }
  /** IAM refuses the call as it does before a new policy has propagated: decided without the caller's policies (with iam), or a fixed refusal. */
  | { readonly kind: 'accessDenied' }
  /** Answers after `delayMs` of real time: longer than the SDK's request timeout, it times out. */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Closes the connection without answering. */
  | { readonly kind: 'drop' }
  /** Carries out the request, then answers 500 as if it had failed: the caller cannot know it succeeded. */
  | { readonly kind: 'failAfterHandling' };

export interface RecordedCall {
  readonly operation: string;
  readonly region: string;
  readonly body: Record<string, unknown>;
  /** Clock milliseconds when the call arrived. */
  readonly at: number;
  /** The fault injected into this call, if any. */
  readonly fault?: Fault['kind'];
  /** The error the endpoint answered with, if it refused the call (`ResourceInUseException`). */
  error?: string;
}

export interface LocalPersonalizeOptions {
  /** The clock jobs age by, in milliseconds. @default Date.now */
  readonly clock?: () => number;
  /** The account of jobs created through CreateBatchSegmentJob. @default '111122223333' */
  readonly accountId?: string;
  /** The timeline of jobs created through CreateBatchSegmentJob. */
  readonly createdJobTimeline?: readonly TimelineStep[];
  /**
   * IAM, deciding every call as AWS would (see iam/): the caller's policies as its credentials'
   * session names them, and Personalize's own checks with a role a Create passes.
   * @default - every call is allowed, as when no IAM stood in the way
   */
  readonly iam?: LocalIam;
}

/** Statuses the live service reports for a batch job that has not finished. */
const IN_FLIGHT = new Set(['PENDING', 'IN PROGRESS', 'CREATE PENDING', 'CREATE IN_PROGRESS']);
/** The service's limit on pending or in-progress batch jobs of one kind per region. */
const IN_FLIGHT_LIMIT_PER_REGION = 5;
/** The resource type in the ARN of what each Create of a named job makes. */
const CREATED_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  CreateBatchSegmentJob: 'batch-segment-job',
  CreateBatchInferenceJob: 'batch-inference-job',
  CreateDatasetImportJob: 'dataset-import-job',
};
const SERVICE_ARN_PATTERN = /^arn:([a-z\d-]+):personalize:.*:.*:.+$/;
const JOB_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;

/** A job whose input the service cannot parse: it fails after a few minutes. */
const BAD_INPUT_TIMELINE: readonly TimelineStep[] = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 60, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 300, status: 'CREATE FAILED' },
];

export const LIVE_SERVICE_TIMELINE: readonly TimelineStep[] = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 60, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 600, status: 'ACTIVE' },
];

export class LocalPersonalize {
  readonly calls: RecordedCall[] = [];
  private readonly jobs = new Map<string, ScriptedJob>();
  private readonly solutionVersions = new Set<string>();
  private readonly faults: Fault[] = [];
  private readonly faultsByOperation = new Map<string, Fault[]>();
  private readonly clock: () => number;
  private readonly accountId: string;
  private readonly createdJobTimeline: readonly TimelineStep[];
  /** Input paths whose object is malformed now: a job created to read one fails. */
  private readonly badInputs = new Set<string>();
  /** The solutions and their trainings. */
  readonly trainings: LocalTrainings;
  /** The datasets and their imports. */
  readonly imports: LocalImports;
  private server?: http.Server;
  private describeRateLimit?: number;
  /** IAM, when it decides the calls. */
  readonly iam?: LocalIam;

  constructor(options: LocalPersonalizeOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.accountId = options.accountId ?? '111122223333';
    this.createdJobTimeline = options.createdJobTimeline ?? LIVE_SERVICE_TIMELINE;
    this.trainings = new LocalTrainings({ clock: this.clock });
    this.imports = new LocalImports({ clock: this.clock, accountId: this.accountId });
    this.iam = options.iam;
  }

  /** Starts listening on a free loopback port; answers the endpoint URL. */
  async start(): Promise<string> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  addJob(job: ScriptedJob): void {
    this.jobs.set(arnOf(job), { ...job, createdAt: job.createdAt ?? this.clock() });
  }

  addSolutionVersion(arn: string): void {
    this.solutionVersions.add(arn);
  }

  /**
   * Throttles Describe calls (of each kind) beyond `perSecond` in one second of the clock, as a
   * service rate limit would. `undefined` lifts the limit.
   */
  limitDescribeRate(perSecond: number | undefined): void {
    this.describeRateLimit = perSecond;
  }

  /** The next requests, one fault each, in order. */
  injectFaults(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** The next requests for `operation`, one fault each, in order; they come before faults for any request. */
  injectFaultsInto(operation: string, ...faults: Fault[]): void {
    this.faultsByOperation.set(operation, [...(this.faultsByOperation.get(operation) ?? []), ...faults]);
  }

  /** Forgets the recorded calls and any faults not yet used. */
  resetCallsAndFaults(): void {
    this.calls.length = 0;
    this.faults.length = 0;
    this.faultsByOperation.clear();
  }

  callsTo(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  /** Forgets every job, so that jobs of one test do not count against the next one's job limit. */
  removeJobs(): void {
    this.jobs.clear();
  }

  /** The jobs the endpoint knows, created or added, by ARN. */
  jobArns(): string[] {
    return [...this.jobs.keys()];
  }

  /** A job as it was created or added. */
  jobOf(arn: string): ScriptedJob | undefined {
    return this.jobs.get(arn);
  }

  /**
   * The job whose output an S3 folder holds now. A batch job writes its files into its output path
   * as it ends, named after its input file, so a later job into the same folder writes over an
   * earlier one's (the worst plausible case; Personalize does not document it): the last to have
   * ended wins. Undefined when no job has written there yet.
   */
  outputWriterOf(path: string): string | undefined {
    const now = this.clock();
    const endedAt = (job: ScriptedJob) => {
      const active = job.timeline.find((step) => step.status === 'ACTIVE');
      return active === undefined ? Infinity : job.createdAt! + active.afterSeconds * 1000;
    };
    const writers = [...this.jobs.entries()].filter(([, job]) => job.outputPath === path && endedAt(job) <= now);
    writers.sort(([, a], [, b]) => endedAt(a) - endedAt(b));
    return writers.pop()?.[0];
  }

  /**
   * Whether the object at an S3 path is malformed from now on (or, with `false`, fixed): a batch
   * job created to read it fails a few minutes in, as the service fails a job whose input it cannot
   * parse. The path stays the same when its object is replaced, as in a stack that copies a new
   * file to the same key.
   */
  setInputMalformed(path: string, malformed: boolean): void {
    if (malformed) {
      this.badInputs.add(path);
    } else {
      this.badInputs.delete(path);
    }
  }

  /** A job's status at the clock's present time, as its Describe reports it. */
  statusOf(arn: string): string | undefined {
    const job = this.jobs.get(arn);
    return job === undefined ? undefined : this.currentStep(job).status;
  }

  private rateLimitFault(operation: string): Fault | undefined {
    if (this.describeRateLimit === undefined || !KINDS.some((kind) => kind.describe === operation)) {
      return undefined;
    }
    const second = Math.floor(this.clock() / 1000);
    const answeredThisSecond = this.calls.filter(
      (call) => call.operation === operation && call.fault === undefined && Math.floor(call.at / 1000) === second,
    ).length;
    return answeredThisSecond >= this.describeRateLimit ? { kind: 'throttling' } : undefined;
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    // Without a Date header the SDK does not "correct" its clock to ours: simulated time stays simulated.
    response.sendDate = false;
    const body = await readBody(request);
    const operation = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonPersonalize\./, '');
    const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    const fault = this.faultsByOperation.get(operation)?.shift() ?? this.faults.shift() ?? this.rateLimitFault(operation);
    const parsed = parseJsonObject(body);
    const call: RecordedCall = { operation, region, body: parsed, at: this.clock(), ...(fault ? { fault: fault.kind } : {}) };
    this.calls.push(call);

    if (fault?.kind === 'drop') {
      request.socket.destroy();
      return;
    }
    // IAM decides as the request arrives (a slow answer comes later, with the same decision).
    const decided = fault === undefined || fault.kind === 'slow' || fault.kind === 'failAfterHandling' || (fault.kind === 'accessDenied' && this.iam !== undefined);
    const authorized = decided
      ? this.authorize(String(request.headers.authorization ?? ''), { operation, region, account: this.accountId, body: parsed, createdArn: this.createdArnOf(operation, region, parsed) }, fault?.kind === 'accessDenied')
      : Promise.resolve();
    authorized.catch(() => undefined);
    if (fault?.kind === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    }
    try {
      await authorized;
      const faultError = faultAsError(fault);
      if (faultError !== undefined) {
        throw faultError;
      }
      const answer = this.answer(operation, region, parsed);
      if (fault?.kind === 'failAfterHandling') {
        throw new ServiceError('InternalServerError', 'We encountered an internal error', 500);
      }
      send(response, 200, answer);
    } catch (error) {
      // A defect of the IAM model fails the call for good, so that no retry hides it.
      const serviceError =
        error instanceof ServiceError ? error : error instanceof IamModelError ? new ServiceError('LocalIamModelError', error.message) : new ServiceError('InternalServerError', String(error), 500);
      call.error = serviceError.type;
      response.setHeader('x-amzn-ErrorType', serviceError.type);
      send(response, serviceError.httpStatus, { __type: serviceError.type, message: serviceError.message });
    }
  }

  /**
   * IAM's decision on a call, before the service looks at it: the caller's session (from the
   * access key id its request is signed with) must be allowed every action the operation
   * authorizes; then, for a Create that passes a role, Personalize's own checks with that role.
   * Refused as AWS refuses: AccessDeniedException with IAM's message, or Personalize's
   * InvalidInputException.
   */
  private async authorize(authorization: string, request: PersonalizeRequest, beforePropagation = false): Promise<void> {
    if (this.iam === undefined) {
      return;
    }
    const accessKeyId = /Credential=([^/]+)\//.exec(authorization)?.[1] ?? '';
    const session = this.iam.sessionOf(accessKeyId);
    if (session === undefined) {
      throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const world = session.world();
    for (const { action, resource, context } of authorizationsFor(request)) {
      const decision = await this.iam.decide(world, { requester: { session }, action, resource, context, beforePropagation });
      if (!decision.allowed) {
        throw new ServiceError('AccessDeniedException', decision.refusal!);
      }
    }
    const roleUse = roleUseOf(request);
    const refusal = roleUse === undefined ? undefined : await checkRoleUse(this.iam, world, roleUse);
    if (refusal !== undefined) {
      throw new ServiceError('InvalidInputException', refusal.message);
    }
  }

  /** The ARN the service gives what a Create makes, which IAM authorizes the Create on. */
  private createdArnOf(operation: string, region: string, body: Record<string, unknown>): string | undefined {
    if (operation === 'CreateSolutionVersion') {
      return this.trainings.nextVersionArn(String(body.solutionArn));
    }
    const resourceType = CREATED_RESOURCE_TYPES[operation];
    return resourceType === undefined ? undefined : `arn:aws:personalize:${region}:${this.accountId}:${resourceType}/${String(body.jobName)}`;
  }

  private answer(operation: string, region: string, body: Record<string, unknown>): unknown {
    if (operation === 'ListTagsForResource') {
      const arn = String(body.resourceArn);
      const tags = this.trainings.tagsOf(arn) ?? this.imports.tagsOf(arn) ?? this.jobs.get(arn)?.tags;
      if (tags === undefined || arn.split(':')[3] !== region) {
        throw new ServiceError('ResourceNotFoundException', `Could not find resource ${arn}`);
      }
      return { tags };
    }
    if (LocalTrainings.OPERATIONS.includes(operation)) {
      return this.trainings.answer(operation, region, body);
    }
    if (LocalImports.OPERATIONS.includes(operation)) {
      return this.imports.answer(operation, region, body);
    }
    for (const kind of KINDS) {
      switch (operation) {
        case kind.describe:
          return { [kind.describeKey]: this.describe(kind, region, body[kind.arnField]) };
        case kind.create:
          return { [kind.arnField]: this.create(kind, region, body) };
        case kind.list:
          return { [kind.listKey]: this.list(kind, region, body.solutionVersionArn) };
      }
    }
    throw new ServiceError('UnknownOperationException', `Unknown operation ${operation}`);
  }

  private describe(kind: EndpointKind, region: string, arn: unknown): Record<string, unknown> {
    if (typeof arn !== 'string' || arn.length > 256 || !SERVICE_ARN_PATTERN.test(arn)) {
      throw new ServiceError(
        'InvalidInputException',
        `1 validation error detected: Value '${String(arn)}' at '${kind.arnField}' failed to satisfy constraint`,
      );
    }
    const job = this.jobs.get(arn);
    if (job === undefined || arn.split(':')[3] !== region || kindOfArn(arn) !== kind) {
      throw new ServiceError('ResourceNotFoundException', `Could not find ${kind.noun} with ARN ${arn}`);
    }
    const step = this.currentStep(job);
    const created = job.createdAt!;
    return {
      jobName: arn.split('/').pop(),
      [kind.arnField]: arn,
      ...(job.filterArn ? { filterArn: job.filterArn } : {}),
      ...(step.status === 'CREATE FAILED' ? { failureReason: job.failureReason ?? 'The job failed.' } : {}),
      solutionVersionArn: job.solutionVersionArn ?? `arn:aws:personalize:${region}:${this.accountId}:solution/promo/1a2b3c4d`,
      numResults: job.numResults ?? 25,
      jobInput: { s3DataSource: { path: job.inputPath ?? 's3://promo-data/segments/queries.json', kmsKeyArn: job.inputKmsKeyArn } },
      jobOutput: { s3DataDestination: { path: job.outputPath ?? 's3://promo-data/segments/out/', kmsKeyArn: job.outputKmsKeyArn } },
      roleArn: job.roleArn ?? `arn:aws:iam::${this.accountId}:role/PersonalizeBatch`,
      status: step.status,
      creationDateTime: created / 1000,
      lastUpdatedDateTime: (created + step.afterSeconds * 1000) / 1000,
      ...(kind.arnField === 'batchInferenceJobArn'
        ? {
            batchInferenceJobMode: job.batchInferenceJobMode ?? 'BATCH_INFERENCE',
            ...(job.batchInferenceJobConfig ? { batchInferenceJobConfig: job.batchInferenceJobConfig } : {}),
            ...(job.themeGenerationConfig ? { themeGenerationConfig: job.themeGenerationConfig } : {}),
          }
        : {}),
    };
  }

  private create(kind: EndpointKind, region: string, body: Record<string, unknown>): string {
    const jobName = body.jobName;
    const solutionVersionArn = body.solutionVersionArn;
    const source = (body.jobInput as { s3DataSource?: { path?: unknown; kmsKeyArn?: string } } | undefined)?.s3DataSource;
    const destination = (body.jobOutput as { s3DataDestination?: { path?: unknown; kmsKeyArn?: string } } | undefined)?.s3DataDestination;
    const input = source?.path;
    const output = destination?.path;
    if (typeof jobName !== 'string' || jobName.length > 63 || !JOB_NAME_PATTERN.test(jobName)) {
      throw new ServiceError('InvalidInputException', `Invalid job name ${String(jobName)}`);
    }
    for (const [field, value] of [['jobInput.s3DataSource.path', input], ['jobOutput.s3DataDestination.path', output]] as const) {
      if (typeof value !== 'string' || !/^(s3|http|https):\/\/.+/.test(value)) {
        throw new ServiceError('InvalidInputException', `Invalid ${field}: ${String(value)}`);
      }
    }
    if (typeof body.roleArn !== 'string' || typeof solutionVersionArn !== 'string') {
      throw new ServiceError('InvalidInputException', 'roleArn and solutionVersionArn are required');
    }
    if (!this.solutionVersions.has(solutionVersionArn) && !this.trainings.isActive(solutionVersionArn)) {
      throw new ServiceError('ResourceNotFoundException', `Could not find solution version ${solutionVersionArn}`);
    }
    if (kind.arnField === 'batchInferenceJobArn' && body.batchInferenceJobMode === 'THEME_GENERATION' && !themeItemNameOf(body)) {
      throw new ServiceError('InvalidInputException', 'themeGenerationConfig is required when batchInferenceJobMode is THEME_GENERATION');
    }
    const arn = `arn:aws:personalize:${region}:${this.accountId}:${kind.arnResource}/${jobName}`;
    if (this.jobs.has(arn)) {
      throw new ServiceError('ResourceAlreadyExistsException', `${kind.noun} ${jobName} already exists`);
    }
    const inFlight = [...this.jobs.keys()].filter((a) => a.split(':')[3] === region && kindOfArn(a) === kind && IN_FLIGHT.has(this.statusOf(a)!));
    if (inFlight.length >= IN_FLIGHT_LIMIT_PER_REGION) {
      throw new ServiceError('LimitExceededException', `The limit on the number of pending or in progress ${kind.noun}s has been exceeded`);
    }
    const badInput = this.badInputs.has(String(input));
    const details: ScriptedJobDetails = {
      timeline: badInput ? BAD_INPUT_TIMELINE : this.createdJobTimeline,
      ...(badInput ? { failureReason: `Invalid input data at ${String(input)}: the lines are not JSON objects.` } : {}),
      solutionVersionArn,
      roleArn: body.roleArn,
      inputPath: input as string,
      outputPath: output as string,
      numResults: typeof body.numResults === 'number' ? body.numResults : undefined,
      filterArn: typeof body.filterArn === 'string' ? body.filterArn : undefined,
      inputKmsKeyArn: source?.kmsKeyArn,
      outputKmsKeyArn: destination?.kmsKeyArn,
      tags: Array.isArray(body.tags) ? body.tags : undefined,
      batchInferenceJobMode: typeof body.batchInferenceJobMode === 'string' ? body.batchInferenceJobMode : undefined,
      batchInferenceJobConfig: isObject(body.batchInferenceJobConfig) ? body.batchInferenceJobConfig : undefined,
      themeGenerationConfig: isObject(body.themeGenerationConfig) ? body.themeGenerationConfig : undefined,
    };
    this.addJob(kind.arnField === 'batchSegmentJobArn' ? { batchSegmentJobArn: arn, ...details } : { batchInferenceJobArn: arn, ...details });
    return arn;
  }

  private list(kind: EndpointKind, region: string, solutionVersionArn: unknown): unknown[] {
    return [...this.jobs.keys()]
      .filter((arn) => arn.split(':')[3] === region && kindOfArn(arn) === kind)
      .map((arn) => this.describe(kind, region, arn))
      .filter((job) => solutionVersionArn === undefined || job.solutionVersionArn === solutionVersionArn)
      .map(({ [kind.arnField]: jobArn, jobName, status, failureReason, solutionVersionArn: version, creationDateTime, lastUpdatedDateTime }) => ({
        [kind.arnField]: jobArn,
        jobName,
        status,
        failureReason,
        solutionVersionArn: version,
        creationDateTime,
        lastUpdatedDateTime,
      }));
  }

  private currentStep(job: ScriptedJob): TimelineStep {
    return stepAt(job.timeline, (this.clock() - job.createdAt!) / 1000);
  }
}

function arnOf(job: ScriptedJob): string {
  return 'batchSegmentJobArn' in job ? job.batchSegmentJobArn : job.batchInferenceJobArn;
}

/** The kind a job ARN names by its resource type, if any the endpoint serves. */
function kindOfArn(arn: string): EndpointKind | undefined {
  return KINDS.find((kind) => arn.split(':')[5]?.startsWith(`${kind.arnResource}/`));
}

function themeItemNameOf(body: Record<string, unknown>): unknown {
  const config = body.themeGenerationConfig as { fieldsForThemeGeneration?: { itemName?: unknown } } | undefined;
  return config?.fieldsForThemeGeneration?.itemName;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function faultAsError(fault: Fault | undefined): ServiceError | undefined {
  switch (fault?.kind) {
    case 'throttling':
      return new ServiceError('ThrottlingException', 'Rate exceeded');
    case 'serverError':
      return fault.status === 503
        ? new ServiceError('ServiceUnavailableException', 'Service unavailable', 503)
        : new ServiceError('InternalServerError', 'We encountered an internal error', 500);
    case 'accessDenied':
      return new ServiceError('AccessDeniedException', 'User: arn:aws:sts::111122223333:assumed-role/local/local is not authorized to perform: personalize:DescribeBatchSegmentJob');
    default:
      return undefined;
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
