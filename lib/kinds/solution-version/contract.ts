import { JOB_NAME, type JobKind } from '../../engine/job-kind';

/**
 * Solution versions: trained models. CreateSolutionVersion, DescribeSolutionVersion,
 * ListSolutionVersions, StopSolutionVersionCreation and GetSolutionMetrics in the Personalize API
 * reference. Unlike a batch job, a version's ARN is chosen by Personalize, so a construct that
 * trains names its training by a reference of its own (see `trainingRef`).
 */
export const SOLUTION_VERSION: JobKind = {
  id: 'solutionVersion',
  noun: 'solution version',
  arnResource: 'solution',
  arnNamePattern: `${JOB_NAME}\\/[a-zA-Z0-9][a-zA-Z0-9\\-_]*`,
  everyJobPattern: '*/*',
  waiterResourceType: 'Custom::PersonalizeSolutionVersionWaiter',
  jobResourceType: 'Custom::PersonalizeSolutionVersion',
  arnProperty: 'SolutionVersionArn',
  refProperty: 'Training',
  arnExample: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
  describeAction: 'personalize:DescribeSolutionVersion',
  createAction: 'personalize:CreateSolutionVersion',
  resultActions: ['personalize:GetSolutionMetrics'],
  grantedActions: [
    'personalize:DescribeSolutionVersion',
    'personalize:GetSolutionMetrics',
    'personalize:CreateSolutionVersion',
    'personalize:ListSolutionVersions',
    'personalize:StopSolutionVersionCreation',
    'personalize:TagResource',
    'personalize:ListTagsForResource',
    'personalize:DescribeSolution',
    'personalize:UpdateSolution',
  ],
  inFlightLimit: 20,
  succeededStatus: 'ACTIVE',
  failedStatuses: ['CREATE FAILED', 'CREATE STOPPED'],
};

/** The statuses of a training that StopSolutionVersionCreation can stop, and that bills. */
export const TRAINING_STATUSES: readonly string[] = ['CREATE PENDING', 'CREATE IN_PROGRESS'];

/** The extra calls of a construct that trains: finding its training by name, and stopping it. */
export const LIST_ACTION = 'personalize:ListSolutionVersions';
export const STOP_ACTION = 'personalize:StopSolutionVersionCreation';
/** The calls of a construct that sets the solution's automatic training before it trains. */
export const AUTO_TRAINING_ACTIONS: readonly string[] = ['personalize:DescribeSolution', 'personalize:UpdateSolution'];

/** Keys of the solution-version fields in the custom resource's `Job` property (NamePrefix and Tags as for every job). */
export const TrainingField = {
  SOLUTION_ARN: 'SolutionArn',
  TRAINING_MODE: 'TrainingMode',
  /** The ARNs of the imports whose data the training includes: a new import trains a new version. Not sent to Personalize. */
  AFTER_IMPORTS: 'AfterImports',
  /**
   * `"true"` or `"false"`: the solution's automatic training, set (UpdateSolution) before the
   * training starts, once the solution is ACTIVE. Absent: left as the solution has it.
   */
  PERFORM_AUTO_TRAINING: 'PerformAutoTraining',
} as const;

/** Properties of a solution version's wait beside those of every wait. */
export const SolutionVersionProperty = {
  /** Metric name to the least value that lets the deployment go on. */
  MINIMUM_METRICS: 'MinimumMetrics',
  /** The metrics the stack reads as attributes: present even when Personalize does not report them. */
  METRIC_NAMES: 'MetricNames',
} as const;

/** `trainingMode` values a stack may ask for; `AUTOTRAIN` is the service's own automatic training. */
export const TRAINING_MODES = ['FULL', 'UPDATE'] as const;
export type TrainingModeValue = (typeof TRAINING_MODES)[number];

export const SOLUTION_ARN_PATTERN = new RegExp(`^arn:[a-z\\d-]+:personalize:[a-z]{2,}(?:-[a-z]+)+-\\d+:\\d{12}:solution\\/${JOB_NAME}$`);
export const SOLUTION_ARN_EXAMPLE = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';

/** GetSolutionMetrics' metric names (`coverage`, `precision_at_5`, ...): at most 256 characters. */
export const METRIC_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,256}$/;

/** The attributes a solution version's wait answers with; each metric is `Metric.<name>`. */
export const SolutionVersionAttribute = {
  SOLUTION_VERSION_ARN: 'SolutionVersionArn',
  NAME: 'Name',
  SOLUTION_ARN: 'SolutionArn',
  STATUS: 'Status',
  TRAINING_MODE: 'TrainingMode',
  TRAINING_TYPE: 'TrainingType',
  TRAINING_HOURS: 'TrainingHours',
  FAILURE_REASON: 'FailureReason',
  CREATION_DATE_TIME: 'CreationDateTime',
  LAST_UPDATED_DATE_TIME: 'LastUpdatedDateTime',
} as const;
export const METRIC_ATTRIBUTE_PREFIX = 'Metric.';

/** Training takes hours: the wait's defaults are longer than a batch job's, and it is polled less often. */
export const TRAINING_WAIT_DEFAULTS = { timeoutSeconds: 8 * 3600, pollIntervalSeconds: 60 } as const;

/**
 * A training this stack asked for, before and after Personalize gives it an ARN: the solution's
 * ARN, the version's name and, for a training that follows imports, a hash of their ARNs:
 * `arn:aws:personalize:us-east-1:111122223333:solution/promo#Model-1a2b3c4d5e6f[#<12 hex>]`.
 * It is the resource's physical id: the rollback or deletion that must stop a training finds it by
 * this reference, even when the training was started after the resource had answered its Create;
 * and an update tells by it which data a training was made from, which Personalize does not say.
 */
export function trainingRef(solutionArn: string, versionName: string, dataHash?: string): string {
  return `${solutionArn}#${versionName}${dataHash !== undefined ? `#${dataHash}` : ''}`;
}

export interface TrainingRef {
  readonly solutionArn: string;
  readonly versionName: string;
  /** The hash of the imports' ARNs the training followed; absent for one that followed none. */
  readonly dataHash?: string;
}

export function parseTrainingRef(ref: string): TrainingRef | undefined {
  // Neither a solution's ARN nor a version's name holds a "#".
  const [solutionArn, versionName, dataHash, ...rest] = ref.split('#');
  const valid =
    rest.length === 0 &&
    SOLUTION_ARN_PATTERN.test(solutionArn) &&
    new RegExp(`^${JOB_NAME}$`).test(versionName ?? '') &&
    (dataHash === undefined || /^[0-9a-f]{12}$/.test(dataHash));
  return valid ? { solutionArn, versionName, ...(dataHash !== undefined ? { dataHash } : {}) } : undefined;
}

/**
 * How a version fails its quality gate, in the words of every runner (a stack's handlers, a state
 * machine's run): a metric below its minimum, or one Personalize does not report. `value` may be
 * a placeholder that a state machine fills in.
 */
export function metricBelowMinimum(name: string, value: string, minimum: number): string {
  return `${name} is ${value}, below its minimum of ${minimum}`;
}
export function metricNotReported(name: string, minimum: number): string {
  return `${name} is not among its metrics, which has a minimum of ${minimum}`;
}
export function gateFailure(versionArn: string, shortfalls: string): string {
  return `Solution version ${versionArn} did not pass the quality gate: ${shortfalls}.`;
}
