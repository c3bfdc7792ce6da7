/**
 * What the constructs and the handlers agree on about one kind of Amazon Personalize job: its
 * custom resource types, the property that names a job, its ARN, the calls the handlers make and
 * the service's limit on jobs in flight. Each kind is one module beside this one, imported by both
 * sides; nothing here imports aws-cdk-lib, so the handlers' bundle can take it.
 */
export interface JobKind {
  /** The key the handlers know the kind by, e.g. `batchSegmentJob`. */
  readonly id: string;
  /** How messages name one job, e.g. `batch segment job`. */
  readonly noun: string;
  /** The ARN's resource type, e.g. `batch-segment-job`. */
  readonly arnResource: string;
  /** The custom resource type of a waiter on an existing job. */
  readonly waiterResourceType: string;
  /** The custom resource type of a construct that creates its job, then waits. */
  readonly jobResourceType: string;
  /** The custom resource property that carries a job's ARN, e.g. `BatchSegmentJobArn`. */
  readonly arnProperty: string;
  /**
   * The property that carries the first link's physical id to the later links of a wait that
   * creates its job. The job's ARN for the batch jobs; a training's own reference for solution
   * versions, whose ARN Personalize chooses.
   */
  readonly refProperty: string;
  readonly arnExample: string;
  /** What follows `arnResource/` in an ARN of the kind, as a regular expression's source. @default a job name */
  readonly arnNamePattern?: string;
  /**
   * What stands after `arnResource/` in an IAM pattern of every job of the kind: `*`, or `*\/*` for
   * a kind whose ARN has a parent (a solution version's `solution/<solution>/<id>`), so that the
   * pattern names jobs and nothing else. @default "*"
   */
  readonly everyJobPattern?: string;
  /** The IAM actions of the calls the handlers make. */
  readonly describeAction: string;
  readonly createAction: string;
  /** Further calls that read a finished job's results (a solution version's metrics), on its ARN. */
  readonly resultActions?: readonly string[];
  /**
   * Every action this library grants the handlers' role for some construct of the kind: what a
   * refusal is measured against, to tell a grant that something else blocks from one that is missing.
   */
  readonly grantedActions: readonly string[];
  /** Personalize's limit on pending or in-progress jobs of the kind in one region. */
  readonly inFlightLimit: number;
  /**
   * Whether a construct that creates the kind's jobs keeps one physical id across updates, for
   * work that changes something in place (an import into a dataset). CloudFormation rolls back an
   * update of a resource that kept its id with a reverse Update, the old properties given again,
   * and one that answered a new id only by deleting that id (aws/aws-cdk#22670; facts.md): only
   * the reverse Update lets the handlers do the old work again. Its jobs' ARNs then travel as the
   * `arnProperty` attribute, not as the physical id. @default false
   */
  readonly keepsPhysicalId?: boolean;
  /** The status that ends a wait successfully, and those that end it as a failure; any other means "not yet". */
  readonly succeededStatus: string;
  readonly failedStatuses: readonly string[];
}

/** Job names, for every kind: 1 to 63 characters (CreateBatchSegmentJob and its siblings). */
export const JOB_NAME_MAX_LENGTH = 63;
export const JOB_NAME = '[a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62}';

/**
 * A job ARN of the kind, stricter than the service's own pattern (`arn:([a-z\d-]+):personalize:.*:.*:.+`):
 * the handlers need the region to call Personalize there, and the resource must be a job of the
 * kind with a valid name.
 */
export function jobArnPattern(kind: JobKind): RegExp {
  return new RegExp(`^arn:[a-z\\d-]+:personalize:[a-z]{2,}(?:-[a-z]+)+-\\d+:\\d{12}:${kind.arnResource}\\/${kind.arnNamePattern ?? JOB_NAME}$`);
}

/** Where a job is created: the partition, region and account of what it is made from. */
export interface JobHome {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * The ARN of the job of `kind` named `jobName` (or an IAM pattern of names) in `home`. The
 * construct gives tokens, the handlers the fields of an ARN.
 */
export function jobArnIn(kind: JobKind, home: JobHome, jobName: string): string {
  return `arn:${home.partition}:personalize:${home.region}:${home.account}:${kind.arnResource}/${jobName}`;
}

/** The home of a literal Personalize ARN (a solution version's, a dataset's). */
export function homeOfArn(arn: string): JobHome {
  const [, partition, , region, account] = arn.split(':');
  return { partition, region, account };
}
