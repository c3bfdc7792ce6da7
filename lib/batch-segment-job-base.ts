import { CustomResource, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { createWaiterChain, LinkTarget } from './waiter-chain';
import { DEFAULT_LOG_LEVEL, WaiterAttribute, WaiterAttributeName } from './waiter-contract';
import { WaiterHandlers } from './waiter-handlers';
import { POLL_INTERVAL_SECONDS, TIMEOUT_SECONDS } from './waiter-timing';
import { validatePollInterval, validateTimeout } from './waiter-validation';

/** How to wait for a batch segment job; the same for a job the stack creates and one it only waits for. */
export interface BatchSegmentJobWaitOptions {
  /**
   * How long to wait for the job to end, from 1 minute to 12 hours, in whole seconds.
   *
   * CloudFormation waits at most one hour for a custom resource, and the waiter keeps a few
   * minutes of that hour to answer: with exactly one hour it stops polling after about 56
   * minutes. A longer timeout is relayed by a chain of custom resources of about 56 minutes
   * each (see the README); it must then be known at synth time, not a token.
   *
   * @default Duration.hours(1)
   */
  readonly timeout?: Duration;

  /**
   * How often to describe the job, from 5 seconds to 5 minutes and no longer than `timeout`.
   * Each poll costs one `DescribeBatchSegmentJob` call, two Lambda invocations and one Step
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
}

/** A finished Amazon Personalize batch segment job, as a stack sees it. */
export interface IBatchSegmentJob extends IConstruct {
  /** The job's ARN; whatever reads it is deployed after the job has ended. */
  readonly batchSegmentJobArn: string;
  /** The number of users generated for each line of input (`numResults`), as a number token. */
  readonly numResults: number;
  /** `numResults` as a string token, safe to write into other strings. */
  readonly numResultsAsString: string;
  /** Where the job wrote its segments (`jobOutput.s3DataDestination.path`), e.g. `s3://bucket/prefix/`. */
  readonly outputPath: string;
  /** The job's final status: `ACTIVE`, or `CREATE FAILED` when `failOnJobFailure` is false. */
  readonly status: string;
  /** The job's name. */
  readonly jobName: string;
  /** Why the job failed; empty for a job that succeeded. */
  readonly failureReason: string;
  /** The ARN of the solution version that generated the segments. */
  readonly solutionVersionArn: string;
  /** The ARN of the filter the job applied; empty when it used none. */
  readonly filterArn: string;
  /** The ARN of the IAM role the job ran with. */
  readonly roleArn: string;
  /** The S3 path of the job's input (`jobInput.s3DataSource.path`). */
  readonly inputPath: string;
  /** The KMS key ARN for the input; empty when none was given. */
  readonly inputKmsKeyArn: string;
  /** The KMS key ARN for the output; empty when none was given. */
  readonly outputKmsKeyArn: string;
  /** When the job was created, in ISO 8601 (`2026-11-28T13:14:00.000Z`). */
  readonly creationDateTime: string;
  /** When the job last changed, in ISO 8601; for a finished job, about when it ended. */
  readonly lastUpdatedDateTime: string;
}

/**
 * What BatchSegmentJob and BatchSegmentJobWaiter share: the wait itself (the stack's shared
 * handlers and provider, and the chain of custom resources) and the attributes read from its
 * last link, which completes only once the job has ended.
 */
export abstract class BatchSegmentJobBase extends Construct implements IBatchSegmentJob {
  // Set by the subclass's constructor, through _waitFor.
  private lastLink!: CustomResource;

  public get batchSegmentJobArn(): string {
    return this.lastLink.ref;
  }
  public get numResults(): number {
    return Token.asNumber(this.lastLink.getAtt(WaiterAttribute.NUM_RESULTS));
  }
  public get numResultsAsString(): string {
    return this.attribute(WaiterAttribute.NUM_RESULTS);
  }
  public get outputPath(): string {
    return this.attribute(WaiterAttribute.OUTPUT_PATH);
  }
  public get status(): string {
    return this.attribute(WaiterAttribute.STATUS);
  }
  public get jobName(): string {
    return this.attribute(WaiterAttribute.JOB_NAME);
  }
  public get failureReason(): string {
    return this.attribute(WaiterAttribute.FAILURE_REASON);
  }
  public get solutionVersionArn(): string {
    return this.attribute(WaiterAttribute.SOLUTION_VERSION_ARN);
  }
  public get filterArn(): string {
    return this.attribute(WaiterAttribute.FILTER_ARN);
  }
  public get roleArn(): string {
    return this.attribute(WaiterAttribute.ROLE_ARN);
  }
  public get inputPath(): string {
    return this.attribute(WaiterAttribute.INPUT_PATH);
  }
  public get inputKmsKeyArn(): string {
    return this.attribute(WaiterAttribute.INPUT_KMS_KEY_ARN);
  }
  public get outputKmsKeyArn(): string {
    return this.attribute(WaiterAttribute.OUTPUT_KMS_KEY_ARN);
  }
  public get creationDateTime(): string {
    return this.attribute(WaiterAttribute.CREATION_DATE_TIME);
  }
  public get lastUpdatedDateTime(): string {
    return this.attribute(WaiterAttribute.LAST_UPDATED_DATE_TIME);
  }

  /**
   * Builds the wait for the job `target` describes; returns the chain's links, first to last.
   * @internal
   */
  protected _waitFor(options: BatchSegmentJobWaitOptions, resourceType: string, target: LinkTarget): CustomResource[] {
    const timeoutSeconds = validateTimeout(this, options.timeout ?? Duration.seconds(TIMEOUT_SECONDS.default));
    const pollIntervalSeconds = validatePollInterval(
      this,
      options.pollInterval ?? Duration.seconds(POLL_INTERVAL_SECONDS.default),
      timeoutSeconds,
    );
    const handlers = this._handlers();
    if (options.logRetention !== undefined) {
      handlers.requestLogRetention(options.logRetention, this);
    }
    const links = createWaiterChain(this, {
      serviceToken: handlers.providerFor(pollIntervalSeconds).serviceToken,
      resourceType,
      target,
      timeoutSeconds,
      pollIntervalSeconds,
      failOnJobFailure: options.failOnJobFailure ?? true,
      logLevel: options.logLevel ?? DEFAULT_LOG_LEVEL,
    });
    this.lastLink = links[links.length - 1];
    return links;
  }

  /**
   * The stack's shared handlers, for the permissions a subclass adds.
   * @internal
   */
  protected _handlers(): WaiterHandlers {
    return WaiterHandlers.of(this);
  }

  private attribute(name: WaiterAttributeName): string {
    return this.lastLink.getAttString(name);
  }
}
