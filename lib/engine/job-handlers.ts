import * as fs from 'fs';
import * as path from 'path';
import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeFindings } from './acknowledged-findings';
import { acknowledgeInlinePolicies, acknowledgeNoDeadLetterQueue, Invocation } from './compliance-findings';
import { allowLogsToUseKey, configureFunction, configureLogGroup, configureStateMachine, LibraryFunction } from './handler-configuration';
import type { JobHandlerSettings } from './handler-settings';
import { validateHandlerSettings } from './handler-settings-validation';
import { StackSettings, StackWideSettings } from './stack-wide-settings';
import { acknowledgeInvokeGrants, acknowledgeStateMachineFindings } from './provider-findings';
import { createGrants } from './job-grants';
import { jobArnIn, type JobHome, type JobKind } from './job-kind';
import { homeOf } from './job-home';
import { nagName } from './job-findings';
import { providerTotalTimeoutSeconds } from './wait-timing';
import { waitLinkOf } from './work-references';

// The construct id names the handlers' functions, role and log groups in every stack: renamed
// before the first release, for what they are (CHANGELOG.md); after it, a rename replaces them.
const HANDLERS_ID = 'PersonalizeJobHandlers';
const HANDLER_ASSET_DIR = path.join(__dirname, '..', '..', 'assets', 'job-handlers');
const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;
const WILDCARD_ONLY_REASON =
  'Personalize\'s List actions (ListSolutionVersions, ListDatasetImportJobs) support no resource-level permissions: IAM allows them ' +
  'only on "*" (Service Authorization Reference). The handlers list only the solutions and datasets their constructs name.';
// As aws-cdk-lib defines lambda.Runtime.NODEJS_24_X, which releases before 2.224.0 lack.
const NODEJS_24_X = new lambda.Runtime('nodejs24.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true });

/**
 * What every construct of a stack that waits for Personalize work shares, of every kind: the
 * onEvent and isComplete functions, their role and log group, and one provider per poll interval
 * (the provider's interval is fixed for all it serves). A construct adds only its custom resources,
 * and what its work needs to the handlers' shared statements.
 */
export class JobHandlers extends Construct {
  /** The stack's instance, created by the first construct. */
  static of(scope: IConstruct): JobHandlers {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(HANDLERS_ID);
    return existing instanceof JobHandlers ? existing : new JobHandlers(stack, HANDLERS_ID);
  }

  private readonly role: iam.Role;
  private readonly onEventHandler: lambda.Function;
  private readonly isCompleteHandler: lambda.Function;
  private logRetention?: { readonly days: logs.RetentionDays; readonly requestedBy: string };
  private readonly sharedStatements = new Map<string, iam.PolicyStatement>();
  private readonly settings = new StackWideSettings(this);
  private readonly functions: LibraryFunction[] = [];
  private readonly waiterStateMachines: IConstruct[] = [];
  private readonly logGroups: logs.LogGroup[] = [];
  private readonly handlerLogGroup: logs.LogGroup;
  private ownSecurityGroup?: ec2.SecurityGroup;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const code = handlerCode();
    // Written to by our handlers only: without logs:CreateLogGroup a late invocation cannot
    // recreate it after the stack is deleted.
    const logGroup = this.newLogGroup('Logs');
    this.handlerLogGroup = logGroup;
    acknowledgeInlinePolicies(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Lets the Personalize job handlers of this stack (cdk-personalize-batch-jobs) reach their jobs, trainings and imports, and write their logs',
    });
    logGroup.grantWrite(this.role);

    const handler = (name: 'onEvent' | 'isComplete', description: string) =>
      new lambda.Function(this, name === 'onEvent' ? 'OnEvent' : 'IsComplete', {
        code,
        handler: `index.${name}`,
        runtime: NODEJS_24_X,
        memorySize: 256,
        // Each call to Personalize is bounded well below this (see lambda/engine/personalize-client.ts).
        timeout: Duration.minutes(1),
        role: this.role,
        logGroup,
        description,
        environment: { POWERTOOLS_SERVICE_NAME: 'personalize-job-handlers' },
      });
    this.onEventHandler = handler('onEvent', 'Starts, or finds, a Personalize job, training or import, and waits for it (cdk-personalize-batch-jobs)');
    this.isCompleteHandler = handler('isComplete', 'Polls a Personalize job, training or import (cdk-personalize-batch-jobs)');
    for (const fn of [this.onEventHandler, this.isCompleteHandler]) {
      this.adopt({ fn }, Invocation.SYNCHRONOUS);
    }
  }

  /** The provider that polls every `pollIntervalSeconds`, created on first use. */
  providerFor(pollIntervalSeconds: number): cr.Provider {
    const id = `Provider${pollIntervalSeconds}s`;
    const existing = this.node.tryFindChild(id);
    if (existing instanceof cr.Provider) {
      return existing;
    }
    const logGroup = this.newLogGroup(`${id}Logs`);
    // Roles of our own for the framework's functions, so that they get inline, least-privilege
    // policies instead of the AWSLambdaBasicExecutionRole managed policy.
    const frameworkRole = (roleId: string, description: string) => {
      const role = new iam.Role(this, roleId, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
      logGroup.grantWrite(role);
      acknowledgeInvokeGrants(role, [this.onEventHandler, this.isCompleteHandler]);
      return role;
    };
    const provider = new cr.Provider(this, id, {
      onEventHandler: this.onEventHandler,
      isCompleteHandler: this.isCompleteHandler,
      queryInterval: Duration.seconds(pollIntervalSeconds),
      totalTimeout: Duration.seconds(providerTotalTimeoutSeconds(pollIntervalSeconds)),
      logGroup,
      // The default from aws-cdk-lib 2.206.0; older releases log the waiter's executions unless told not to.
      disableWaiterStateMachineLogging: true,
      frameworkOnEventRole: frameworkRole(`${id}OnEventRole`, 'Lets the Personalize job handlers\' provider framework start their waits'),
      frameworkCompleteAndTimeoutRole: frameworkRole(`${id}CompleteRole`, 'Lets the Personalize job handlers\' provider framework poll and time out'),
    });
    acknowledgeStateMachineFindings(provider);
    this.adopt({ fn: provider.node.findChild('framework-onEvent') as lambda.Function }, Invocation.BY_CLOUDFORMATION);
    for (const id of ['framework-isComplete', 'framework-onTimeout']) {
      this.adopt({ fn: provider.node.findChild(id) as lambda.Function }, Invocation.SYNCHRONOUS);
    }
    const waiter = provider.node.findChild('waiter-state-machine');
    this.waiterStateMachines.push(waiter);
    configureStateMachine(waiter, this.settings.current);
    return provider;
  }

  /**
   * Records the handler settings `requestedBy` gives, and applies them to every function, state
   * machine and log group of the library's in the stack, those made before and those to come.
   */
  requestSettings(settings: JobHandlerSettings, requestedBy: IConstruct): void {
    const added = this.settings.request(validateHandlerSettings(requestedBy, settings), requestedBy);
    // What exists already has every earlier setting: it only needs those given here first.
    const newlyGiven: StackSettings = Object.fromEntries(added.map((name) => [name, this.settings.current[name]]));
    if (newlyGiven.logEncryptionKey !== undefined) {
      allowLogsToUseKey(newlyGiven.logEncryptionKey, requestedBy);
    }
    this.functions.forEach((fn) => configureFunction(fn, newlyGiven, this.securityGroups()));
    this.waiterStateMachines.forEach((waiter) => configureStateMachine(waiter, newlyGiven));
    this.logGroups.forEach((logGroup) => configureLogGroup(logGroup, newlyGiven));
  }

  /**
   * Runs aws-cdk-lib's function for the stack's `AwsCustomResource`s (which the asset copies use)
   * with the handler settings too; once logs are encrypted, it logs to the handlers' log group.
   */
  adoptSdkCallFunction(fn: lambda.Function): void {
    if (!this.functions.some((known) => known.fn === fn)) {
      this.adopt({ fn, logsTo: this.handlerLogGroup }, Invocation.BY_CLOUDFORMATION);
      acknowledgeInlinePolicies(fn);
    }
  }

  private adopt(fn: LibraryFunction, invocation: Invocation): void {
    this.functions.push(fn);
    acknowledgeNoDeadLetterQueue(fn.fn, invocation);
    configureFunction(fn, this.settings.current, this.securityGroups());
  }

  /** The functions' security groups in the VPC: the ones given, or one of the library's own. */
  private securityGroups(): readonly ec2.ISecurityGroup[] {
    const network = this.settings.current.network;
    if (network === undefined) {
      return [];
    }
    if (network.securityGroups !== undefined) {
      return network.securityGroups;
    }
    if (this.ownSecurityGroup === undefined) {
      this.ownSecurityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: network.vpc,
        description: 'The Personalize job handlers of this stack (cdk-personalize-batch-jobs): HTTPS out to the AWS endpoints, nothing in',
        allowAllOutbound: false,
      });
      this.ownSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS service endpoints');
    }
    return [this.ownSecurityGroup];
  }

  /**
   * Lets the handlers read the job a waiter waits for: every job of the kind in the job's
   * partition, region and account (see allowReads).
   */
  allowDescribe(kind: JobKind, jobArn: string): void {
    if (this.isOwnJobArn(jobArn)) {
      return;
    }
    this.allowReads(kind, homeOf(jobArn));
  }

  /**
   * Lets the handlers read every job of `kind` in `home`: Describe and the reads of a finished
   * job's results, never a write. A rollback's reverse Update, a rollback's Delete and the cleanup
   * of a replaced id all run after CloudFormation has updated the handlers' policy, and before it
   * rolls that policy back (it rolls back in reverse dependency order: facts.md), so they read the
   * job the old properties name under grants made for the new ones: a grant on the job's own ARN
   * or name pattern would refuse them, and leave the stack in UPDATE_ROLLBACK_FAILED. What a
   * Describe answers is the job's settings and status, not its data. All the jobs share one
   * statement per action, so this stays within the role's inline policy limit however many
   * constructs there are.
   */
  allowReads(kind: JobKind, home: JobHome): void {
    const everyJob = everyJobIn(kind, home);
    for (const action of [kind.describeAction, ...(kind.resultActions ?? [])]) {
      this.sharedStatement(action).addResources(everyJob);
    }
    this.acknowledgeEveryJobGrant(kind, everyJob);
  }

  /**
   * Lets the handlers make a write on every job of `kind` in `home` that must reach work the old
   * properties named (a training's stop): the same pattern as `allowReads`.
   */
  allowOnEveryJob(kind: JobKind, home: JobHome, action: string): void {
    const everyJob = everyJobIn(kind, home);
    this.sharedStatement(action).addResources(everyJob);
    this.acknowledgeEveryJobGrant(kind, everyJob);
  }

  private acknowledgeEveryJobGrant(kind: JobKind, everyJob: string): void {
    acknowledgeFindings(this.role, {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagName(Stack.of(this).resolve(everyJob))}]`,
      reason:
        `A rollback or cleanup reaches the ${kind.noun} that the properties before an update named, under the policy made for the update's ` +
        '(CloudFormation rolls the policy back only after the resources that use it); the wildcard reaches this one kind of job in one account and region.',
    });
  }

  /**
   * Whether the ARN is the `Ref` of one of this stack's waiters or jobs, which the handlers may
   * already describe. Naming it in their policy would also be circular: the resource waits for
   * the handlers, and the handlers for their policy.
   */
  private isOwnJobArn(jobArn: string): boolean {
    const link = waitLinkOf(jobArn);
    return link !== undefined && Stack.of(link) === Stack.of(this);
  }

  /**
   * Lets the handlers read the jobs of `kind` in `home`, create those `jobArnPattern` matches
   * (one job construct's jobs), pass `roleArn` to Personalize and no other service, and tag the
   * jobs only when asked.
   */
  allowCreate(kind: JobKind, home: JobHome, jobArnPattern: string, roleArn: string, tagging: boolean): void {
    this.allowReads(kind, home);
    for (const grant of createGrants(kind, jobArnPattern, roleArn, tagging)) {
      this.sharedStatement(grant.action, grant.conditions).addResources(grant.resource);
    }
  }

  /** Lets the handlers tag the work `jobPattern` names with its definition, and read that tag back. */
  allowDefinitionTags(jobPattern: string): void {
    this.sharedStatement('personalize:TagResource').addResources(jobPattern);
    this.sharedStatement('personalize:ListTagsForResource').addResources(jobPattern);
  }

  /** Lets the handlers make one more call, on one more resource: the statement for `action` is shared by every construct. */
  allow(action: string, resource: string, conditions?: Record<string, unknown>): void {
    this.sharedStatement(action, conditions).addResources(resource);
  }

  /**
   * Lets the handlers make a call whose action supports no resource-level permission (the
   * Service Authorization Reference lists no resource type for it, as for every Personalize
   * `List*` action): IAM allows it only on `"*"`, and an ARN there matches nothing.
   */
  allowWithoutResource(action: string): void {
    this.sharedStatement(action).addResources('*');
    acknowledgeFindings(this.role, { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: WILDCARD_ONLY_REASON });
  }

  /** The handlers' role, for a kind to acknowledge what its grants cannot avoid. */
  get grantee(): iam.IRole {
    return this.role;
  }

  private sharedStatement(action: string, conditions?: Record<string, unknown>): iam.PolicyStatement {
    let statement = this.sharedStatements.get(action);
    if (statement === undefined) {
      statement = new iam.PolicyStatement({ actions: [action], conditions });
      this.role.addToPrincipalPolicy(statement);
      this.sharedStatements.set(action, statement);
    }
    return statement;
  }

  /** Records a waiter's log retention; the log groups are shared, so two waiters must agree. */
  requestLogRetention(days: logs.RetentionDays, requestedBy: IConstruct): void {
    if (this.logRetention !== undefined && this.logRetention.days !== days) {
      throw new Error(
        `${requestedBy.node.path}: logRetention ${days} differs from the ${this.logRetention.days} that ` +
          `${this.logRetention.requestedBy} asked for. The waiters in a stack share their log groups: ` +
          'give them the same logRetention, or set it on one waiter only.',
      );
    }
    this.logRetention = { days, requestedBy: requestedBy.node.path };
  }

  private newLogGroup(id: string): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, id, { removalPolicy: RemovalPolicy.DESTROY });
    this.logGroups.push(logGroup);
    configureLogGroup(logGroup, this.settings.current);
    const cfnLogGroup = logGroup.node.defaultChild as logs.CfnLogGroup;
    cfnLogGroup.retentionInDays = Lazy.uncachedNumber({
      produce: () => {
        const days = this.logRetention?.days ?? DEFAULT_LOG_RETENTION;
        return days === logs.RetentionDays.INFINITE ? undefined : days;
      },
    });
    return logGroup;
  }
}

/** Every job of `kind` in `home`: what a rollback or cleanup may have to reach (see allowReads). */
function everyJobIn(kind: JobKind, home: JobHome): string {
  return jobArnIn(kind, home, kind.everyJobPattern ?? '*');
}

function handlerCode(): lambda.Code {
  if (!fs.existsSync(path.join(HANDLER_ASSET_DIR, 'index.js'))) {
    throw new Error(
      `The waiter's Lambda bundle is missing from ${HANDLER_ASSET_DIR}. ` +
        'In a clone of cdk-personalize-batch-jobs, run "npm run bundle" (npm ci runs it too).',
    );
  }
  return lambda.Code.fromAsset(HANDLER_ASSET_DIR);
}
