import { CustomResource, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createWaiterChain } from './waiter-chain';
import { DEFAULT_LOG_LEVEL, WaiterAttribute } from './waiter-contract';
import { WaiterHandlers } from './waiter-handlers';
import { POLL_INTERVAL_SECONDS, TIMEOUT_SECONDS } from './waiter-timing';
import { validateJobArn, validatePollInterval, validateTimeout } from './waiter-validation';

export interface BatchSegmentJobWaiterProps {
  /**
   * The ARN of the Amazon Personalize batch segment job to wait for, such as
   * `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo`.
   *
   * A literal is checked at synth time; a token (a parameter, another construct's attribute) is
   * checked when the stack deploys. The job may live in another region than the stack.
   */
  readonly batchSegmentJobArn: string;

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
   * Functions state transition; the waiter answers at most one interval after the job ends.
   *
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;

  /**
   * Whether a job that ends `CREATE FAILED` fails the deployment, with the job's failure reason.
   * When false the waiter completes, and `status` reads `CREATE FAILED`.
   *
   * @default true
   */
  readonly failOnJobFailure?: boolean;

  /**
   * The level of the waiter's own log lines (one per poll at `INFO`).
   *
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly logLevel?: lambda.ApplicationLogLevel;

  /**
   * How long the logs of the stack's waiters are kept. The waiters in a stack share their log
   * groups, so waiters that set it must agree. The log groups are deleted with the stack.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Holds a stack until an Amazon Personalize batch segment job has finished, and exposes what the
 * job produced as attributes.
 *
 * Resources that depend on the waiter (`x.node.addDependency(waiter)`) or read one of its
 * attributes are deployed after the job has ended `ACTIVE`. A job that fails, does not exist or
 * outlasts `timeout` fails the deployment with a message that says why. Deleting the waiter never
 * touches the job and always succeeds.
 */
export class BatchSegmentJobWaiter extends Construct {
  /** The ARN of the job waited for. */
  public readonly batchSegmentJobArn: string;
  /** The number of users generated for each line of input (`numResults`), as a number token. */
  public readonly numResults: number;
  /** `numResults` as a string token, safe to write into other strings. */
  public readonly numResultsAsString: string;
  /** Where the job wrote its segments (`jobOutput.s3DataDestination.path`), e.g. `s3://bucket/prefix/`. */
  public readonly outputPath: string;
  /** The job's final status: `ACTIVE`, or `CREATE FAILED` when `failOnJobFailure` is false. */
  public readonly status: string;
  /** The job's name. */
  public readonly jobName: string;
  /** Why the job failed; empty for a job that succeeded. */
  public readonly failureReason: string;
  /** The ARN of the solution version that generated the segments. */
  public readonly solutionVersionArn: string;
  /** The ARN of the filter the job applied; empty when it used none. */
  public readonly filterArn: string;
  /** The ARN of the IAM role the job ran with. */
  public readonly roleArn: string;
  /** The S3 path of the job's input (`jobInput.s3DataSource.path`). */
  public readonly inputPath: string;
  /** The KMS key ARN for the input; empty when none was given. */
  public readonly inputKmsKeyArn: string;
  /** The KMS key ARN for the output; empty when none was given. */
  public readonly outputKmsKeyArn: string;
  /** When the job was created, in ISO 8601 (`2026-11-28T13:14:00.000Z`). */
  public readonly creationDateTime: string;
  /** When the job last changed, in ISO 8601; for a finished job, about when it ended. */
  public readonly lastUpdatedDateTime: string;

  private readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: BatchSegmentJobWaiterProps) {
    super(scope, id);
    validateJobArn(this, props.batchSegmentJobArn);
    const timeoutSeconds = validateTimeout(this, props.timeout ?? Duration.seconds(TIMEOUT_SECONDS.default));
    const pollIntervalSeconds = validatePollInterval(
      this,
      props.pollInterval ?? Duration.seconds(POLL_INTERVAL_SECONDS.default),
      timeoutSeconds,
    );

    const handlers = WaiterHandlers.of(this);
    if (props.logRetention !== undefined) {
      handlers.requestLogRetention(props.logRetention, this);
    }
    handlers.allowDescribe(props.batchSegmentJobArn);

    this.resource = createWaiterChain(this, {
      serviceToken: handlers.providerFor(pollIntervalSeconds).serviceToken,
      batchSegmentJobArn: props.batchSegmentJobArn,
      timeoutSeconds,
      pollIntervalSeconds,
      failOnJobFailure: props.failOnJobFailure ?? true,
      logLevel: props.logLevel ?? DEFAULT_LOG_LEVEL,
    });

    this.batchSegmentJobArn = this.resource.ref;
    this.numResultsAsString = this.attribute(WaiterAttribute.NUM_RESULTS);
    this.numResults = Token.asNumber(this.resource.getAtt(WaiterAttribute.NUM_RESULTS));
    this.outputPath = this.attribute(WaiterAttribute.OUTPUT_PATH);
    this.status = this.attribute(WaiterAttribute.STATUS);
    this.jobName = this.attribute(WaiterAttribute.JOB_NAME);
    this.failureReason = this.attribute(WaiterAttribute.FAILURE_REASON);
    this.solutionVersionArn = this.attribute(WaiterAttribute.SOLUTION_VERSION_ARN);
    this.filterArn = this.attribute(WaiterAttribute.FILTER_ARN);
    this.roleArn = this.attribute(WaiterAttribute.ROLE_ARN);
    this.inputPath = this.attribute(WaiterAttribute.INPUT_PATH);
    this.inputKmsKeyArn = this.attribute(WaiterAttribute.INPUT_KMS_KEY_ARN);
    this.outputKmsKeyArn = this.attribute(WaiterAttribute.OUTPUT_KMS_KEY_ARN);
    this.creationDateTime = this.attribute(WaiterAttribute.CREATION_DATE_TIME);
    this.lastUpdatedDateTime = this.attribute(WaiterAttribute.LAST_UPDATED_DATE_TIME);
  }

  private attribute(name: (typeof WaiterAttribute)[keyof typeof WaiterAttribute]): string {
    return this.resource.getAttString(name);
  }
}
