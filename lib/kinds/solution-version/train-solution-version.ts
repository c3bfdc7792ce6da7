import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { homeOf } from '../../engine/job-home';
import { acknowledgeFindings } from '../../engine/acknowledged-findings';
import { acknowledgeInlinePolicies } from '../../engine/compliance-findings';
import { nagName } from '../../engine/job-findings';
import { validateTags } from '../../engine/job-validation';
import { tagList } from '../../engine/job-contract';
import { buildJobRun, DEFAULT_RUN_KEY_PATH, PERMANENT_ERRORS, RunPaths, runJobName, stateName, TRANSIENT_RETRY } from '../../engine/workflow/job-run';
import type { JobRunOptions } from '../../engine/workflow/job-run-options';
import { runNamePrefix, runPropsLike } from '../../engine/workflow/run-props';
import { sdkApiAction } from '../../engine/workflow/sdk-integration';
import { gateFailure, LIST_ACTION, metricBelowMinimum, metricNotReported, SOLUTION_VERSION, STOP_ACTION, TRAINING_WAIT_DEFAULTS } from './contract';
import type { SolutionVersion } from './solution-version';
import type { TrainingDefinitionProps } from './training-props';
import { validateMinimumMetrics, validateSolutionArn } from './validation';

/** A training for a state machine to run: what the version is trained from, its quality gate, and how the run names and waits for it. */
export interface TrainSolutionVersionProps extends TrainingDefinitionProps, JobRunOptions {
  /**
   * How long to wait for the training once it is created. A training still running then is stopped
   * (`StopSolutionVersionCreation`: it bills by the hour) and the execution fails
   * (`SolutionVersionTimedOut`).
   *
   * @default Duration.hours(8)
   */
  readonly maxWait?: Duration;
}

/** Where a run key read from the execution's input starts. */
const EXECUTION_INPUT = '$$.Execution.Input.';

/** How many versions of the solution one page of the lookup lists (ListSolutionVersions' most). */
const VERSIONS_PER_PAGE = 100;
/** The error a lookup's Map iteration ends with when its version has the run's name. */
const FOUND = 'SolutionVersionFound';

/**
 * Trains an Amazon Personalize solution version in a state machine, waits until the training has
 * ended and checks it against a quality gate: a piece of a state machine to chain with other
 * states, as a task of `aws-stepfunctions-tasks` is.
 *
 * The training is created through Step Functions' AWS SDK integration and waited for with Wait
 * states and Describe calls: no Lambda function. The version is named from the run's key
 * (`runKey`); a second start of the same run, which Personalize refuses to train again under that
 * name, looks through the solution's versions for the one the first start created and waits for
 * it instead. While the region has Personalize's limit of trainings in flight, the Create is tried
 * again until a slot frees up. A training that has not ended within `maxWait` is stopped. On
 * success the result holds the version's `JobArn`, `JobName`, `Status`, `TrainingHours`,
 * `Metrics` (every metric Personalize reports) and `Job`, the description Personalize answered; a
 * training that fails fails the execution with Personalize's reason as the cause, and one below
 * the gate with the metric that fell short.
 *
 * The state machine's role is granted the Create on the solution; the Describe, the metrics and
 * the stop on its versions; and `ListSolutionVersions`, which supports no resource-level
 * permission (Service Authorization Reference), on `*`.
 */
export class TrainSolutionVersion extends sfn.StateMachineFragment {
  /** A run of the training `version` makes in its stack: the same solution, mode, tags and gate. */
  public static sameAs(scope: Construct, id: string, version: SolutionVersion, options: JobRunOptions = {}): TrainSolutionVersion {
    return new TrainSolutionVersion(scope, id, runPropsLike<TrainSolutionVersionProps>(scope, SOLUTION_VERSION, version, options));
  }

  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];
  private readonly definition: { readonly id: string; readonly solutionArn: string; readonly namePrefix: string; readonly runKey: string };

  constructor(scope: Construct, id: string, props: TrainSolutionVersionProps) {
    super(scope, id);
    const tags = props.tags ?? {};
    const namePrefix = runNamePrefix(this, props.jobNamePrefix);
    this.definition = { id, solutionArn: props.solutionArn, namePrefix, runKey: props.runKey ?? DEFAULT_RUN_KEY_PATH };
    validateSolutionArn(this, props.solutionArn);
    validateMinimumMetrics(this, props.minimumMetrics);
    validateTags(this, tags);
    const versions = `${props.solutionArn}/*`;
    const states = buildJobRun(
      this,
      id,
      {
        kind: SOLUTION_VERSION,
        home: homeOf(props.solutionArn),
        namePrefix,
        createRequest: (name) => ({ name, solutionArn: props.solutionArn, trainingMode: props.trainingMode, tags: tagList(tags) }),
        createAlsoOn: [],
        jobs: { pattern: versions, createdOn: props.solutionArn },
        describeArnParameter: 'solutionVersionArn',
        describedKey: 'solutionVersion',
        tagging: Object.keys(tags).length > 0,
        resultFields: { TrainingHours: 'TrainingHours' },
        workingResultFields: { Metrics: 'Metrics.Metrics' },
        chosenArn: {
          answerField: 'SolutionVersionArn',
          findExisting: (paths, found, notFound) => this.findExisting(id, props.solutionArn, versions, paths, found, notFound),
          existsUnfound: () => this.existsUnfound(id, props.solutionArn),
        },
        afterSuccess: (paths, done) => this.checkMetrics(id, versions, props.minimumMetrics ?? {}, paths, done),
        stop: { action: STOP_ACTION, arnParameter: 'solutionVersionArn' },
        defaultPollInterval: Duration.seconds(TRAINING_WAIT_DEFAULTS.pollIntervalSeconds * 15),
      },
      { ...props, maxWait: props.maxWait ?? Duration.seconds(TRAINING_WAIT_DEFAULTS.timeoutSeconds) },
    );
    this.startState = states.startState;
    this.endStates = states.endStates;
  }

  /**
   * Stops this run's training when an execution of `stateMachine` ends while it trains: stopped
   * (`StopExecution`), timed out or failed. Step Functions runs no state of an execution after
   * that, so an EventBridge rule on the execution's status change starts a small state machine of
   * this construct's, which finds the training by its name (made from the execution's input, as
   * the run made it) and stops it; a training that has ended is left as it is. The run key must be
   * read from the execution's input (`$$.Execution.Input.…`, the default).
   */
  public stopWhenExecutionEnds(stateMachine: sfn.IStateMachine): void {
    const { id, solutionArn, namePrefix, runKey } = this.definition;
    if (!runKey.startsWith(EXECUTION_INPUT)) {
      throw new Error(
        `${this.node.path}: stopWhenExecutionEnds finds the training by the run key, which it reads from the execution's input; ` +
          `runKey ${JSON.stringify(runKey)} is not a path into it ('${EXECUTION_INPUT}scheduledTime').`,
      );
    }
    const stopId = `${id} stop`;
    const paths: RunPaths = { at: (field) => `$.${field}`, jobArn: '$.Created.SolutionVersionArn' };
    const input = new sfn.Pass(this, stateName(this, stopId, 'the ended execution\'s input'), {
      parameters: { Input: sfn.JsonPath.stringToJson(sfn.JsonPath.stringAt('$.detail.input')) },
    });
    const named = new sfn.Pass(this, stateName(this, stopId, 'name the training'), {
      parameters: { JobName: runJobName(this, namePrefix, `$.Input.${runKey.slice(EXECUTION_INPUT.length)}`) },
    });
    const stop = new tasks.CallAwsService(this, stateName(this, stopId, 'stop the training'), {
      service: 'personalize',
      action: sdkApiAction(STOP_ACTION),
      iamAction: STOP_ACTION,
      iamResources: [`${solutionArn}/*`],
      parameters: { SolutionVersionArn: sfn.JsonPath.stringAt(paths.jobArn) },
      resultPath: sfn.JsonPath.DISCARD,
    });
    stop.addRetry({ errors: PERMANENT_ERRORS, maxAttempts: 0 });
    stop.addRetry(TRANSIENT_RETRY);
    const done = new sfn.Succeed(this, stateName(this, stopId, 'done'));
    // A training that has ended (or was never created) cannot be stopped, and bills no more.
    stop.addCatch(done, { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD });
    stop.next(done);
    input.next(named).next(this.findExisting(stopId, solutionArn, `${solutionArn}/*`, paths, stop, done));
    const stopper = new sfn.StateMachine(this, 'StopWhenExecutionEnds', {
      definitionBody: sfn.DefinitionBody.fromChainable(input),
      comment: `Stops the training of ${this.node.path} when an execution ends while it trains`,
      timeout: Duration.hours(1),
    });
    acknowledgeStopperFindings(stopper, solutionArn);
    const rule = new events.Rule(this, 'ExecutionEnded', {
      description: `Starts ${this.node.path}'s stop of its training when an execution ends while it trains`,
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [stateMachine.stateMachineArn] },
      },
      targets: [new targets.SfnStateMachine(stopper)],
    });
    acknowledgeFindings(rule, {
      id: 'Serverless::Serverless-EventBusDLQ',
      reason: 'EventBridge retries a failed delivery for 24 hours (its default retry policy); a queue would only record a stop that never ran.',
    });
  }

  /**
   * Looks for the version named at `JobName` among the solution's versions before training:
   * Personalize lists versions without their names, so each is described, in a Map.
   */
  private findExisting(id: string, solutionArn: string, versions: string, { at }: RunPaths, found: sfn.State, notFound: sfn.State): sfn.State {
    const listing = (state: string, nextToken?: string) => {
      const task = new tasks.CallAwsService(this, stateName(this, id, `${state}`), {
        comment: 'A first start of this run may have created the version already: it is looked for by its name, page by page.',
        service: 'personalize',
        action: sdkApiAction(LIST_ACTION),
        iamAction: LIST_ACTION,
        // ListSolutionVersions supports no resource-level permission (Service Authorization Reference).
        iamResources: ['*'],
        parameters: { SolutionArn: solutionArn, MaxResults: VERSIONS_PER_PAGE, ...(nextToken !== undefined ? { NextToken: sfn.JsonPath.stringAt(nextToken) } : {}) },
        resultPath: at('Listed'),
      });
      task.addRetry(TRANSIENT_RETRY);
      return task;
    };
    const list = listing('list the versions');
    const listMore = listing('list more versions', at('Listed.NextToken'));
    const describeOne = new tasks.CallAwsService(this, stateName(this, id, `describe a version`), {
      service: 'personalize',
      action: sdkApiAction(SOLUTION_VERSION.describeAction),
      iamAction: SOLUTION_VERSION.describeAction,
      iamResources: [versions],
      parameters: { SolutionVersionArn: sfn.JsonPath.stringAt('$.Arn') },
      resultSelector: { 'Version.$': '$.SolutionVersion' },
      resultPath: '$.Described',
    });
    describeOne.addRetry(TRANSIENT_RETRY);
    const named = sfn.Condition.and(sfn.Condition.isPresent('$.Described.Version.Name'), sfn.Condition.stringEqualsJsonPath('$.Described.Version.Name', '$.Wanted'));
    // The version found ends the Map as an error whose cause is its ARN, which the Map's Catch
    // hands on: the lookup stops at the first match, and needs no JSONPath filter (whose empty
    // result Step Functions and the local interpreter may answer differently).
    const foundHere = new sfn.Fail(this, stateName(this, id, `this one`), { error: FOUND, causePath: '$.Arn' });
    const lookThrough = new sfn.Map(this, stateName(this, id, `look for the version`), {
      itemsPath: at('Listed.SolutionVersions'),
      itemSelector: { Arn: sfn.JsonPath.stringAt('$$.Map.Item.Value.SolutionVersionArn'), Wanted: sfn.JsonPath.stringAt(at('JobName')) },
      maxConcurrency: 10,
      resultPath: sfn.JsonPath.DISCARD,
    });
    lookThrough.itemProcessor(describeOne.next(new sfn.Choice(this, stateName(this, id, `named so?`)).when(named, foundHere).otherwise(new sfn.Succeed(this, stateName(this, id, `another`)))));
    const created = new sfn.Pass(this, stateName(this, id, `its ARN`), {
      parameters: { SolutionVersionArn: sfn.JsonPath.stringAt(at('Found.Cause')) },
      resultPath: at('Created'),
    });
    lookThrough.addCatch(created, { errors: [FOUND], resultPath: at('Found') });
    created.next(found);
    list.next(lookThrough);
    listMore.next(lookThrough);
    lookThrough.next(new sfn.Choice(this, stateName(this, id, `more versions?`)).when(sfn.Condition.isPresent(at('Listed.NextToken')), listMore).otherwise(notFound));
    return list;
  }

  /** A version of the run's name that the lookup did not find: another start created it meanwhile, or it is not among the newest. */
  private existsUnfound(id: string, solutionArn: string): sfn.State {
    return new sfn.Fail(this, stateName(this, id, `not found`), {
      error: 'SolutionVersionNotFound',
      cause:
        `Personalize answered that this run's version of ${solutionArn} exists, though it was not among the solution's versions a moment before: ` +
        'another start of the same run created it meanwhile, and that start waits for it.',
    });
  }

  /** Reads the version's metrics and, with a gate, fails the run on the first metric that falls short. */
  private checkMetrics(id: string, versions: string, minimumMetrics: Readonly<Record<string, number>>, paths: RunPaths, done: sfn.State): sfn.State {
    const { at } = paths;
    const metrics = new tasks.CallAwsService(this, stateName(this, id, `read the metrics`), {
      service: 'personalize',
      action: sdkApiAction('personalize:GetSolutionMetrics'),
      iamAction: 'personalize:GetSolutionMetrics',
      iamResources: [versions],
      parameters: { SolutionVersionArn: sfn.JsonPath.stringAt(paths.jobArn) },
      resultSelector: { 'Metrics.$': '$.Metrics' },
      resultPath: at('Metrics'),
    });
    metrics.addRetry(TRANSIENT_RETRY);
    const gated = Object.entries(minimumMetrics).sort(([a], [b]) => a.localeCompare(b));
    if (gated.length === 0) {
      metrics.next(done);
      return metrics;
    }
    const gate = new sfn.Choice(this, stateName(this, id, `passes the gate?`));
    // The cause is formatted by a Pass, then read by the Fail's CausePath: aws-local-stepfunctions
    // 3.0.0 reads a CausePath only as a path, not as the intrinsic function Step Functions also takes.
    const belowGate = new sfn.Fail(this, stateName(this, id, `below the gate`), { error: 'SolutionVersionBelowGate', causePath: at('Gate.Cause') });
    const shortfall = (state: string, cause: string, ...values: string[]) =>
      new sfn.Pass(this, stateName(this, id, `${state}`), { parameters: { Cause: sfn.JsonPath.format(cause, sfn.JsonPath.stringAt(paths.jobArn), ...values) }, resultPath: at('Gate') }).next(belowGate);
    for (const [index, [name, minimum]] of gated.entries()) {
      const value = at(`Metrics.Metrics${metricKey(name)}`);
      // Not(IsPresent: true) rather than IsPresent: false, the same rule: aws-local-stepfunctions
      // 3.0.0 never matches IsPresent: false (its Choice evaluation answers `IsPresent && defined`).
      gate
        .when(sfn.Condition.not(sfn.Condition.isPresent(value)), shortfall(`gated metric ${index + 1} not reported`, gateFailure('{}', metricNotReported(name, minimum))))
        .when(sfn.Condition.numberLessThan(value, minimum), shortfall(`gated metric ${index + 1} below its minimum`, gateFailure('{}', metricBelowMinimum(name, '{}', minimum)), sfn.JsonPath.stringAt(value)));
    }
    gate.otherwise(done);
    metrics.next(gate);
    return metrics;
  }
}

/** A metric's name as a JSONPath member: dotted when it is a plain name, bracketed when it has `.` or `-`. */
function metricKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `['${name}']`;
}

/**
 * What the compliance packs report on the state machine that stops a training, and why each holds:
 * it runs once per ended execution for a few seconds, its history is Step Functions' own, and its
 * wildcard grants are those a training's lookup cannot avoid.
 */
function acknowledgeStopperFindings(stopper: sfn.StateMachine, solutionArn: string): void {
  const history = 'It runs a few seconds once per ended execution; Step Functions keeps each execution\'s history, which holds ARNs and names, no data.';
  acknowledgeFindings(
    stopper,
    { id: 'AwsSolutions::AwsSolutions-SF1', reason: history },
    { id: 'AwsSolutions::AwsSolutions-SF2', reason: history },
    { id: 'Serverless::Serverless-StepFunctionStateMachineXray', reason: history },
  );
  acknowledgeFindings(
    stopper.role,
    { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'ListSolutionVersions supports no resource-level permission (Service Authorization Reference); it finds the training to stop by its name.' },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagName(Stack.of(stopper).resolve(`${solutionArn}/*`))}]`,
      reason: 'Personalize chooses a version\'s id when it trains: the stop reads and stops the versions of this one solution.',
    },
  );
  acknowledgeInlinePolicies(stopper);
}
