import { CustomResource, Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { JobField, JOB_NAME_PREFIX_MAX_LENGTH, JOB_NAME_SUFFIX_LENGTH, REUSE_WITHIN_SECONDS, REUSED_ATTRIBUTE } from './job-contract';
import { namePrefixFromPath } from './job-name-prefix';
import { validateJobNamePrefix } from './job-validation';
import { JobHome, JobKind, jobArnIn } from './job-kind';
import { createWaiterChain, LinkTarget } from './wait-chain';
import { DEFAULT_LOG_LEVEL, WaiterProperty } from './wait-contract';
import { acknowledgeInlinePolicies } from './compliance-findings';
import type { JobHandlerSettings } from './handler-settings';
import { JobHandlers } from './job-handlers';
import type { WaitDefaults } from './wait-timing';
import { validateJobArn, validatePollInterval, validateReuseWithin, validateTimeout } from './wait-validation';

/** The settings of a wait, as every construct's options give them (see BatchJobWaitOptions). */
interface WaitSettings {
  readonly timeout?: Duration;
  readonly pollInterval?: Duration;
  readonly failOnJobFailure?: boolean;
  readonly logLevel?: lambda.ApplicationLogLevel;
  readonly logRetention?: logs.RetentionDays;
  readonly handlerSettings?: JobHandlerSettings;
}

/**
 * What every construct that waits for Amazon Personalize work shares, of every kind: the wait
 * itself (the stack's shared handlers and provider, and the chain of custom resources) and the
 * attributes read from its last link, which completes only once the work has ended.
 */
export abstract class JobWaitBase extends Construct {
  // Set by the subclass's constructor, through _waitFor.
  private lastLink!: CustomResource;
  private firstLink!: CustomResource;

  /**
   * The wait's last link, whose attributes are the job's.
   * @internal
   */
  protected get _lastLink(): CustomResource {
    return this.lastLink;
  }

  /**
   * Builds the wait for the job `target` describes; returns the chain's links, first to last.
   * @internal
   */
  protected _waitFor(options: WaitSettings, defaults: WaitDefaults, resourceType: string, target: LinkTarget): CustomResource[] {
    const timeoutSeconds = validateTimeout(this, options.timeout ?? Duration.seconds(defaults.timeoutSeconds));
    const pollIntervalSeconds = validatePollInterval(this, options.pollInterval ?? Duration.seconds(defaults.pollIntervalSeconds), timeoutSeconds);
    const handlers = this._handlers();
    if (options.logRetention !== undefined) {
      handlers.requestLogRetention(options.logRetention, this);
    }
    if (options.handlerSettings !== undefined) {
      handlers.requestSettings(options.handlerSettings, this);
    }
    // The job roles and asset copies under this construct are the library's too.
    acknowledgeInlinePolicies(this);
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
    this.firstLink = links[0];
    return links;
  }

  /**
   * Waits for the existing job of `kind` that `jobArn` names (a waiter's whole work), with the
   * kind's own properties `extraProperties` on every link.
   * @internal
   */
  protected _waitForExistingJob(kind: JobKind, jobArn: string, options: WaitSettings, defaults: WaitDefaults, extraProperties: Record<string, unknown> = {}): void {
    validateJobArn(this, kind, jobArn);
    this._waitFor(options, defaults, kind.waiterResourceType, () => ({ [kind.arnProperty]: jobArn, ...extraProperties }));
    this._handlers().allowDescribe(kind, jobArn);
  }

  /**
   * The start of the names of the jobs this construct creates: the one given (checked), or one
   * made from the construct's path. `prop` names it in an error.
   * @internal
   */
  protected _namePrefix(given: string | undefined, prop: string): string {
    const namePrefix = given ?? namePrefixFromPath(this, JOB_NAME_PREFIX_MAX_LENGTH);
    validateJobNamePrefix(this, namePrefix, prop);
    return namePrefix;
  }

  /**
   * Builds the wait of a construct that creates its job (its `Job` property `job`, and the kind's
   * own properties `extraProperties` on every link); returns the chain's links, first to last.
   * @internal
   */
  protected _waitForNewJob(kind: JobKind, options: WaitSettings, defaults: WaitDefaults, job: Record<string, unknown>, extraProperties: Record<string, unknown> = {}): CustomResource[] {
    // Every link carries the job: if the first hands over before the job could start, the next starts it.
    return this._waitFor(options, defaults, kind.jobResourceType, (first) => ({
      [WaiterProperty.JOB]: job,
      ...(first !== undefined ? { [kind.refProperty]: kind.keepsPhysicalId ? first.getAttString(kind.arnProperty) : first.ref } : {}),
      ...extraProperties,
    }));
  }

  /**
   * Lets the handlers create and describe the jobs of `kind` this construct names
   * (`<namePrefix>-<suffix>`, in `home`), and pass `roleArn` to Personalize.
   * @internal
   */
  protected _allowCreating(kind: JobKind, home: JobHome, namePrefix: string, roleArn: string, tagging: boolean): void {
    const jobArnPattern = jobArnIn(kind, home, `${namePrefix}-${'?'.repeat(JOB_NAME_SUFFIX_LENGTH)}`);
    this._handlers().allowCreate(kind, home, jobArnPattern, roleArn, tagging);
  }

  /**
   * The stack's shared handlers, for the permissions a subclass adds.
   * @internal
   */
  protected _handlers(): JobHandlers {
    return JobHandlers.of(this);
  }

  /**
   * Whether the first link, which starts the work, adopted work made before instead (`"true"` or
   * `"false"`): the later links of a relayed wait only wait.
   * @internal
   */
  protected _reusedAttribute(): string {
    return this.firstLink.getAttString(REUSED_ATTRIBUTE);
  }

  /**
   * What a construct whose work a retry may adopt puts in its `Job` property for `reuseWithin`,
   * and lets the handlers read and write the definition tag of its work (`jobPattern`).
   * @internal
   */
  protected _reuseField(reuseWithin: Duration | undefined, jobPattern: string): Record<string, number> {
    const seconds = validateReuseWithin(this, reuseWithin ?? Duration.seconds(REUSE_WITHIN_SECONDS.default));
    this._handlers().allowDefinitionTags(jobPattern);
    return { [JobField.REUSE_WITHIN_SECONDS]: seconds };
  }

  /**
   * An attribute of the last link, as a string token.
   * @internal
   */
  protected _attribute(name: string): string {
    return this.lastLink.getAttString(name);
  }
}
