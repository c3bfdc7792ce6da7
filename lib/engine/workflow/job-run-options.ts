import type { Duration } from 'aws-cdk-lib';

/** How a state machine runs a Personalize job of any kind: what names it, how often it looks, where its result goes. */
export interface JobRunOptions {
  /**
   * A path to the run's key: what names the run's job, so that a second start of the same run
   * (a schedule's delivery repeated, a run retried) finds the job the first started instead of
   * starting another. A JSONPath into the state or the context object.
   *
   * @default '$$.Execution.Input.scheduledTime', the time EventBridge Scheduler passes as `<aws.scheduler.scheduled-time>`
   */
  readonly runKey?: string;

  /**
   * How long between two looks at the job (a Wait state, a Describe call and a Choice: three
   * state transitions, each billed in a standard workflow).
   *
   * @default Duration.minutes(5)
   */
  readonly pollInterval?: Duration;

  /**
   * How long a Create may wait for a slot while the region has Personalize's limit of jobs in
   * flight, trying again every `pollInterval`.
   *
   * @default Duration.days(1)
   */
  readonly slotTimeout?: Duration;

  /**
   * Where in the state the run's result goes: the job's `JobArn`, `JobName`, `Status`, the kind's
   * own fields (a batch job's `OutputPath`) and `Job`, Personalize's whole description.
   *
   * @default '$', the result replaces the state
   */
  readonly resultPath?: string;

  /**
   * The start of each run's job name, 1 to 30 letters, digits, `-` and `_`: the name adds `-` and
   * 32 hex characters, a digest of the run's key and the construct's path.
   *
   * @default - the job construct's own prefix when it has 30 characters or fewer; else, a name made from this construct's path
   */
  readonly jobNamePrefix?: string;
}
