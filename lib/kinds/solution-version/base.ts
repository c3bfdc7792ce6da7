import { Duration, Lazy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { JobWaitBase } from '../../engine/job-wait-base';
import {
  METRIC_ATTRIBUTE_PREFIX,
  SolutionVersionAttribute,
  SolutionVersionProperty,
} from './contract';
import { validateMetricName, validateMinimumMetrics } from './validation';
import type { JobHandlerSettings } from '../../engine/handler-settings';

/** How to wait for a solution version to be trained; the same for a training the stack starts and one it only waits for. */
export interface SolutionVersionWaitOptions {
  /**
   * How long to wait for the training to end, from 1 minute to 12 hours, in whole seconds. A
   * training the stack started and still runs then is stopped (it would go on billing).
   *
   * Past one hour the wait is relayed by a chain of custom resources of about 56 minutes each
   * (docs/how-it-works.md, "Waits longer than an hour"); the timeout must then be known at synth time, not a token.
   *
   * @default Duration.hours(8)
   */
  readonly timeout?: Duration;

  /**
   * How often to look at the training, from 5 seconds to 5 minutes and no longer than
   * `timeout`. Each poll costs one `DescribeSolutionVersion` call (a training the stack started
   * also one `ListSolutionVersions`), two Lambda invocations and one Step Functions state
   * transition; the wait ends at most one interval after the training.
   *
   * @default Duration.minutes(1)
   */
  readonly pollInterval?: Duration;

  /**
   * Whether a training that ends `CREATE FAILED` or `CREATE STOPPED` fails the deployment, with
   * Personalize's reason. When false the wait completes, and `status` reads the failed status.
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
   * How long the logs of the stack's waits are kept. They share their log groups, so all that set
   * it must agree. The log groups are deleted with the stack.
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

/** A trained Amazon Personalize solution version, as a stack sees it. */
export interface ISolutionVersion extends IConstruct {
  /** The version's ARN; whatever reads it is deployed after the training has ended (and passed the quality gate). */
  readonly solutionVersionArn: string;
  /** The version's name. */
  readonly solutionVersionName: string;
  /** The ARN of the solution the version was trained from. */
  readonly solutionArn: string;
  /** The version's final status: `ACTIVE`, or `CREATE FAILED` or `CREATE STOPPED` when `failOnJobFailure` is false. */
  readonly status: string;
  /** How the version was trained: `FULL`, `UPDATE` or `AUTOTRAIN`. */
  readonly trainingMode: string;
  /** Whether the version was trained on request (`MANUAL`) or by automatic training (`AUTOMATIC`). */
  readonly trainingType: string;
  /** The training hours billed for the version, as a string token such as `1.432`. */
  readonly trainingHours: string;
  /** Why the training failed; empty for a version that is `ACTIVE`. */
  readonly failureReason: string;
  /** When the version was created, in ISO 8601. */
  readonly creationDateTime: string;
  /** When the version last changed, in ISO 8601; for a trained version, about when training ended. */
  readonly lastUpdatedDateTime: string;
  /**
   * One of the version's metrics (GetSolutionMetrics), such as `precision_at_5` or
   * `normalized_discounted_cumulative_gain_at_10`, as a string token such as `0.2471`; empty when
   * Personalize reports no metric of that name. Which metrics exist depends on the recipe.
   */
  metric(metricName: string): string;
}

/** What SolutionVersion and SolutionVersionWaiter share: the wait, the quality gate, and the version's attributes. */
export abstract class SolutionVersionBase extends JobWaitBase implements ISolutionVersion {
  private readonly metricNames = new Set<string>();

  public get solutionVersionArn(): string {
    return this._attribute(SolutionVersionAttribute.SOLUTION_VERSION_ARN);
  }
  public get solutionVersionName(): string {
    return this._attribute(SolutionVersionAttribute.NAME);
  }
  public get solutionArn(): string {
    return this._attribute(SolutionVersionAttribute.SOLUTION_ARN);
  }
  public get status(): string {
    return this._attribute(SolutionVersionAttribute.STATUS);
  }
  public get trainingMode(): string {
    return this._attribute(SolutionVersionAttribute.TRAINING_MODE);
  }
  public get trainingType(): string {
    return this._attribute(SolutionVersionAttribute.TRAINING_TYPE);
  }
  public get trainingHours(): string {
    return this._attribute(SolutionVersionAttribute.TRAINING_HOURS);
  }
  public get failureReason(): string {
    return this._attribute(SolutionVersionAttribute.FAILURE_REASON);
  }
  public get creationDateTime(): string {
    return this._attribute(SolutionVersionAttribute.CREATION_DATE_TIME);
  }
  public get lastUpdatedDateTime(): string {
    return this._attribute(SolutionVersionAttribute.LAST_UPDATED_DATE_TIME);
  }

  public metric(metricName: string): string {
    validateMetricName(this, metricName);
    // Named to the handlers, which then answer it even when Personalize reports no such metric:
    // a GetAtt of an attribute the response lacks would fail the deployment.
    this.metricNames.add(metricName);
    return this._attribute(`${METRIC_ATTRIBUTE_PREFIX}${metricName}`);
  }

  /**
   * The gate and the metrics read, as every link's properties.
   * @internal
   */
  protected _gateProperties(minimumMetrics: { [metricName: string]: number } | undefined): Record<string, unknown> {
    validateMinimumMetrics(this, minimumMetrics);
    return {
      [SolutionVersionProperty.MINIMUM_METRICS]: minimumMetrics !== undefined && Object.keys(minimumMetrics).length > 0 ? minimumMetrics : undefined,
      [SolutionVersionProperty.METRIC_NAMES]: Lazy.list({ produce: () => [...this.metricNames].sort() }, { omitEmpty: true }),
    };
  }
}
