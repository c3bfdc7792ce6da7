import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct, IConstruct } from 'constructs';
import { acknowledgeInlinePolicies } from '../compliance-findings';
import { createGrants, JobGrant } from '../job-grants';
import { jobArnIn, type JobHome, type JobKind } from '../job-kind';
import { WaiterAttribute } from '../wait-contract';
import { validateJobRunSettings } from './job-run-validation';
import { personalizeError, sdkApiAction, sdkParameters } from './sdk-integration';

/*
 * A job of any kind, run by a state machine: named from the run, created through Step Functions'
 * SDK integration, then waited for with Wait and Describe states, no function in the loop. A kind
 * gives what differs (JobRunSpec); the states, their retries and the grants are the same for all.
 */

/** How many hex characters a run's job name adds after "<prefix>-": an MD5 digest (States.Hash), the shortest it offers. */
export const RUN_NAME_SUFFIX_LENGTH = 32;

/** The run's own key, which names its work: the time the schedule started it (bin/ and README show the input). */
export const DEFAULT_RUN_KEY_PATH = '$$.Execution.Input.scheduledTime';

/** What a kind gives the engine to run its jobs from a state machine. */
export interface JobRunSpec {
  readonly kind: JobKind;
  readonly home: JobHome;
  readonly namePrefix: string;
  /** The Create request (camelCase, as the SDK takes it) for the job `jobName` names, a path into the run's state. */
  readonly createRequest: (jobName: string) => object;
  /** Resources beside the job that the Create is authorized on (a batch inference job's solution version). */
  readonly createAlsoOn: readonly string[];
  /** Describe's parameter that names the job (`batchSegmentJobArn`), and the key of its answer (`batchSegmentJob`). */
  readonly describeArnParameter: string;
  readonly describedKey: string;
  /** The role Personalize runs the job with, which the state machine passes to it; none for a kind that runs without one (a training). */
  readonly roleArn?: string;
  /**
   * The IAM pattern of the run's jobs, which the Describe (and a stop) are authorized on, when
   * their names do not decide their ARNs: a training's versions, `<solution>/*`. And what the
   * Create is authorized on instead: a training's solution, since a version has no ARN before it
   * is created. @default - the ARNs of the run's job names, on which the Create is authorized too
   */
  readonly jobs?: { readonly pattern: string; readonly createdOn: string };
  /** How often the run looks at the job when the user does not say. @default Duration.minutes(5) */
  readonly defaultPollInterval?: Duration;
  readonly tagging: boolean;
  /** Further fields of the run's result, each a path below the described job (`JobOutput.S3DataDestination.Path`). */
  readonly resultFields: Readonly<Record<string, string>>;
  /**
   * For a kind whose ARN Personalize chooses (a solution version): the field of the Create's answer
   * that holds it, and the states that look for the job a first start of the same run created
   * before the Create. Absent: the ARN is made from the job's name, and a Create that answers
   * `ResourceAlreadyExists` is of a first start's job, waited for by that ARN.
   */
  readonly chosenArn?: ChosenArn;
  /** States the run goes through once the job has succeeded, before it ends (a training's metrics and gate). */
  readonly afterSuccess?: (paths: RunPaths, done: sfn.State) => sfn.State;
  /** Further fields of the run's result, each a path below the run's working fields (what `afterSuccess` added). */
  readonly workingResultFields?: Readonly<Record<string, string>>;
  /** How the run stops its job when it gives up waiting for it (`maxWait`), for a kind Personalize can stop. */
  readonly stop?: { readonly action: string; readonly arnParameter: string };
}

/** Where a run keeps its working fields, for the states a kind adds. */
export interface RunPaths {
  /** The path to one of the run's working fields, `JobName` for instance. */
  readonly at: (field: string) => string;
  /** The path to the job's ARN. */
  readonly jobArn: string;
}

/**
 * How a kind whose ARN Personalize chooses gets it: by finding the job a first start of the run
 * created, else from the Create's answer. The lookup comes first because nothing documents that
 * Personalize refuses a second job of the same name: the worst plausible case is a second one,
 * billed, so the run does not rely on `ResourceAlreadyExists`.
 */
export interface ChosenArn {
  /** The field of the Create's answer that holds the ARN (`SolutionVersionArn`). */
  readonly answerField: string;
  /**
   * The states that look for the job named at `JobName`: found, they put its ARN at
   * `Created.<answerField>` and go on to `found`; else they go on to `notFound` (the Create).
   */
  readonly findExisting: (paths: RunPaths, found: sfn.State, notFound: sfn.State) => sfn.State;
  /** Where the run goes when the Create answers that the job exists, though the lookup did not find it. */
  readonly existsUnfound: (paths: RunPaths) => sfn.State;
}

/** What a state machine's user may set about a run, for every kind. */
export interface JobRunSettings {
  readonly runKey?: string;
  readonly pollInterval?: Duration;
  readonly resultPath?: string;
  readonly slotTimeout?: Duration;
  /** How long to wait for the job once it is created before the run stops it (`stop`) and fails. @default - as long as the execution runs */
  readonly maxWait?: Duration;
}

export interface JobRunStates {
  readonly startState: sfn.State;
  readonly endStates: sfn.INextable[];
}

/** Retries of a transient failure (throttling, a 5xx, a timeout): what the handlers' SDK client does, in states. */
export const TRANSIENT_RETRY: sfn.RetryProps = { errors: [sfn.Errors.ALL], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 6 };
/** Errors a retry cannot mend: the request or the grants are wrong. Retry tries its retriers in order, so these come first. */
export const PERMANENT_ERRORS = ['InvalidInputException', 'AccessDeniedException', 'ResourceNotFoundException', 'ResourceInUseException'].map(personalizeError);

/**
 * Builds the states of a run in `scope`, named after `id`: answers its first state and its end.
 * On success the run's result (at `resultPath`) holds the job's ARN, name and status, the kind's
 * fields and the whole description Personalize answered (`Job`, PascalCase as Step Functions
 * hands it back); a job that fails fails the execution with Personalize's reason as the cause.
 */
export function buildJobRun(scope: Construct, id: string, spec: JobRunSpec, settings: JobRunSettings): JobRunStates {
  validateJobRunSettings(scope, settings);
  // The job's role under the run is the library's, as under a stack's construct.
  acknowledgeInlinePolicies(scope);
  const { kind } = spec;
  const pollInterval = settings.pollInterval ?? spec.defaultPollInterval ?? Duration.minutes(5);
  const slotTimeout = settings.slotTimeout ?? Duration.days(1);
  // The run keeps its working fields where its result goes, so it adds nothing else to the state.
  // A ResultPath of '$' is left out: the language's default, the same thing (aws-local-stepfunctions 3.0.0 reads '$' as a key).
  const resultPath = settings.resultPath === '$' ? undefined : settings.resultPath;
  const at = (field: string) => (resultPath === undefined ? `$.${field}` : `${resultPath}.${field}`);
  const paths: RunPaths = { at, jobArn: at(spec.chosenArn === undefined ? 'JobArn' : `Created.${spec.chosenArn.answerField}`) };
  const described = (field: string) => at(`Described.${pascal(spec.describedKey)}.${field}`);
  const jobArnPattern = spec.jobs?.pattern ?? jobArnIn(kind, spec.home, `${spec.namePrefix}-${'?'.repeat(RUN_NAME_SUFFIX_LENGTH)}`);
  const maxPolls = settings.maxWait === undefined ? undefined : Math.max(1, Math.ceil(settings.maxWait.toSeconds() / pollInterval.toSeconds()));

  const jobName = runJobName(scope, spec.namePrefix, settings.runKey ?? DEFAULT_RUN_KEY_PATH);
  const name = new sfn.Pass(scope, stateName(scope, id, `name the job`), {
    comment: `The run's ${kind.noun} is named from the run's key, so that a second start of the same run finds it instead of starting another.`,
    parameters: { JobName: jobName, ...(maxPolls !== undefined ? { Polls: { Count: 0 } } : {}) },
    resultPath,
  });

  const [create, ...alongside] = createGrants(kind, jobArnPattern, spec.roleArn, spec.tagging);
  const createJob = new tasks.CallAwsService(scope, stateName(scope, id, `create the job`), {
    comment: `Waits for a slot while the region has Personalize's limit of ${kind.inFlightLimit} ${kind.noun}s in flight.`,
    service: 'personalize',
    action: sdkApiAction(kind.createAction),
    iamAction: create.action,
    iamResources: [spec.jobs?.createdOn ?? create.resource, ...spec.createAlsoOn],
    additionalIamStatements: alongside.map(statementOf),
    parameters: sdkParameters(spec.createRequest(sfn.JsonPath.stringAt(at('JobName')))),
    ...(spec.chosenArn === undefined
      ? { resultPath: sfn.JsonPath.DISCARD }
      : { resultSelector: { [spec.chosenArn.answerField]: sfn.JsonPath.stringAt(`$.${spec.chosenArn.answerField}`) }, resultPath: at('Created') }),
  });
  createJob.addRetry({ errors: [...PERMANENT_ERRORS, personalizeError('ResourceAlreadyExistsException')], maxAttempts: 0 });
  createJob.addRetry({
    errors: [personalizeError('LimitExceededException')],
    interval: pollInterval,
    backoffRate: 1,
    maxAttempts: Math.max(1, Math.ceil(slotTimeout.toSeconds() / pollInterval.toSeconds())),
  });
  createJob.addRetry(TRANSIENT_RETRY);

  const wait = new sfn.Wait(scope, stateName(scope, id, `wait`), { time: sfn.WaitTime.duration(pollInterval) });
  createJob.addCatch(spec.chosenArn?.existsUnfound(paths) ?? wait, { errors: [personalizeError('ResourceAlreadyExistsException')], resultPath: sfn.JsonPath.DISCARD });

  const describe = new tasks.CallAwsService(scope, stateName(scope, id, `describe the job`), {
    service: 'personalize',
    action: sdkApiAction(kind.describeAction),
    iamAction: kind.describeAction,
    iamResources: [jobArnPattern],
    parameters: { [pascal(spec.describeArnParameter)]: sfn.JsonPath.stringAt(paths.jobArn) },
    resultPath: at('Described'),
  });
  describe.addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 });
  describe.addRetry(TRANSIENT_RETRY);

  const done = new sfn.Pass(scope, stateName(scope, id, `done`), {
    parameters: {
      JobArn: sfn.JsonPath.stringAt(paths.jobArn),
      [WaiterAttribute.JOB_NAME]: sfn.JsonPath.stringAt(at('JobName')),
      [WaiterAttribute.STATUS]: sfn.JsonPath.stringAt(described('Status')),
      ...Object.fromEntries(Object.entries(spec.resultFields).map(([field, path]) => [field, sfn.JsonPath.stringAt(described(path))])),
      ...Object.fromEntries(Object.entries(spec.workingResultFields ?? {}).map(([field, path]) => [field, sfn.JsonPath.stringAt(at(path))])),
      Job: sfn.JsonPath.objectAt(at(`Described.${pascal(spec.describedKey)}`)),
    },
    resultPath,
  });
  const succeeded = spec.afterSuccess?.(paths, done) ?? done;
  const failure = `${pascal(spec.describedKey)}Failed`;
  const failedWithReason = new sfn.Fail(scope, stateName(scope, id, `failed`), { error: failure, causePath: described('FailureReason') });
  const failedWithoutReason = new sfn.Fail(scope, stateName(scope, id, `failed without a reason`), { error: failure, cause: `Personalize gave no reason for the ${kind.noun}'s failure.` });
  const status = sfn.Condition.stringEquals(described('Status'), kind.succeededStatus);
  const failedStatuses = kind.failedStatuses.map((failedStatus) => sfn.Condition.stringEquals(described('Status'), failedStatus));
  const failed = failedStatuses.length === 1 ? failedStatuses[0] : sfn.Condition.or(...failedStatuses);
  const ended = new sfn.Choice(scope, stateName(scope, id, `ended?`))
    .when(status, succeeded)
    .when(sfn.Condition.and(failed, sfn.Condition.isPresent(described('FailureReason'))), failedWithReason)
    .when(failed, failedWithoutReason);
  if (maxPolls === undefined) {
    ended.otherwise(wait);
  } else {
    const count = new sfn.Pass(scope, stateName(scope, id, `count the looks`), {
      comment: `After ${maxPolls} looks (maxWait) the run gives up on the ${kind.noun}.`,
      parameters: { Count: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt(at('Polls.Count')), 1) },
      resultPath: at('Polls'),
    });
    // The look that ends maxWait is the maxPolls-th, made when maxPolls - 1 have been counted.
    ended.when(sfn.Condition.numberGreaterThanEquals(at('Polls.Count'), maxPolls - 1), giveUp(scope, id, spec, paths, settings.maxWait!, jobArnPattern)).otherwise(count);
    count.next(wait);
  }

  name.next(spec.chosenArn === undefined ? arnOf(scope, id, spec, at, resultPath, maxPolls !== undefined).next(createJob) : spec.chosenArn.findExisting(paths, wait, createJob));
  createJob.next(wait);
  wait.next(describe).next(ended);
  return { startState: name, endStates: [done] };
}

/** The Pass that makes the job's ARN from its name, for a kind whose ARN the name decides. */
function arnOf(scope: Construct, id: string, spec: JobRunSpec, at: (field: string) => string, resultPath: string | undefined, counting: boolean): sfn.Pass {
  return new sfn.Pass(scope, stateName(scope, id, `its ARN`), {
    parameters: {
      JobName: sfn.JsonPath.stringAt(at('JobName')),
      ...(counting ? { Polls: sfn.JsonPath.objectAt(at('Polls')) } : {}),
      JobArn: sfn.JsonPath.format(jobArnIn(spec.kind, spec.home, '{}'), sfn.JsonPath.stringAt(at('JobName'))),
    },
    resultPath,
  });
}

/** What the run does when the job has not ended within `maxWait`: stops it, where the kind can be stopped, and fails. */
function giveUp(scope: Construct, id: string, spec: JobRunSpec, paths: RunPaths, maxWait: Duration, jobArnPattern: string): sfn.State {
  const timedOut = new sfn.Fail(scope, stateName(scope, id, `timed out`), {
    error: `${pascal(spec.describedKey)}TimedOut`,
    cause: `The ${spec.kind.noun} had not ended after ${maxWait.toHumanString()}${spec.stop !== undefined ? ': the run stopped it, so that it bills no more' : ''}.`,
  });
  if (spec.stop === undefined) {
    return timedOut;
  }
  const stop = new tasks.CallAwsService(scope, stateName(scope, id, `stop the job`), {
    service: 'personalize',
    action: sdkApiAction(spec.stop.action),
    iamAction: spec.stop.action,
    iamResources: [jobArnPattern],
    parameters: { [pascal(spec.stop.arnParameter)]: sfn.JsonPath.stringAt(paths.jobArn) },
    resultPath: sfn.JsonPath.DISCARD,
  });
  stop.addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 });
  stop.addRetry(TRANSIENT_RETRY);
  // A job that ended between the last look and the stop cannot be stopped: it bills no more either.
  stop.addCatch(timedOut, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD });
  stop.next(timedOut);
  return stop;
}

/**
 * The name of a run's job: `<namePrefix>-` and an MD5 digest of the run's construct path and the
 * run key's value at `keyPath`, so that every start of one run names the same job.
 */
export function runJobName(scope: IConstruct, namePrefix: string, keyPath: string): string {
  return sfn.JsonPath.format(`${namePrefix}-{}`, sfn.JsonPath.hash(sfn.JsonPath.format(`${scope.node.path}/{}`, sfn.JsonPath.stringAt(keyPath)), 'MD5'));
}

/** The longest state name Step Functions takes (the Amazon States Language: "MUST NOT exceed 80 Unicode characters"). */
const STATE_NAME_MAX_LENGTH = 80;

/** The name of a run's state: the run's construct id, then what the state does, checked at synth against Step Functions' limit. */
export function stateName(scope: IConstruct, id: string, what: string): string {
  const name = `${id}: ${what}`;
  if (name.length > STATE_NAME_MAX_LENGTH) {
    throw new Error(
      `${scope.node.path}: the state "${name}" has ${name.length} characters, and Step Functions takes at most ${STATE_NAME_MAX_LENGTH}: ` +
        `give the run an id of at most ${STATE_NAME_MAX_LENGTH - (name.length - id.length)} characters.`,
    );
  }
  return name;
}

function statementOf(grant: JobGrant): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: [grant.action], resources: [grant.resource], conditions: grant.conditions });
}

function pascal(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}
