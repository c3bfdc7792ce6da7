import type { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { JobHandlerSettings } from './handler-settings';

/** How to wait for a batch job; the same for a job the stack creates and one it only waits for, of every kind. */
export interface BatchJobWaitOptions {
  /**
   * How long to wait for the job to end, from 1 minute to 12 hours, in whole seconds.
   *
   * CloudFormation waits at most one hour for a custom resource, and the waiter keeps a few
   * minutes of that hour to answer: with exactly one hour it stops polling after about 56
   * minutes. A longer timeout is relayed by a chain of custom resources of about 56 minutes
   * each (docs/how-it-works.md, "Waits longer than an hour"); it must then be known at synth time, not a token.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;

  /**
   * How often to describe the job, from 5 seconds to 5 minutes and no longer than `timeout`.
   * Each poll costs one Describe call (`DescribeBatchSegmentJob`, `DescribeBatchInferenceJob`), two Lambda invocations and one Step
   * Functions state transition; the wait ends at most one interval after the job ends.
   *
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;

  /**
   * Whether a job that ends `CREATE FAILED` fails the deployment, with the job's failure reason.
   * When false the wait completes, and `status` reads `CREATE FAILED`.
   *
   * @default true
   */
  readonly failOnJobFailure?: boolean;

  /**
   * The level of the handlers' own log lines (one per poll at `INFO`).
   *
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly logLevel?: lambda.ApplicationLogLevel;

  /**
   * How long the logs of the stack's waiters and jobs are kept. They share their log groups, so
   * all that set it must agree. The log groups are deleted with the stack.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * How the functions this library creates in the stack run: in a VPC, with encrypted logs,
   * reserved concurrency, tracing, memory (README, "Compliance packs"). They are shared by the
   * stack's Personalize constructs, so the settings are stack-wide: give them on one construct, or
   * the same on each.
   *
   * @default - none: the functions run outside any VPC, untraced, with unencrypted log groups
   */
  readonly handlerSettings?: JobHandlerSettings;
}
