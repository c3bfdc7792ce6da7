import * as fs from 'fs';
import https from 'https';
import * as path from 'path';
import { dependenciesWithin, madeUpPhysicalId, rollbackOfUpdate } from './cloudformation-rules';
import type { LocalIam, SessionCredentials } from './iam/local-iam';
import { PolicyWorld, policyWorldOf } from './iam/policy-world';
import { isLibraryGrantedRole } from './iam/library-roles';

/**
 * Deploys a synthesized custom resource the way CloudFormation and aws-cdk-lib's provider framework
 * would, on this machine: the framework's own onEvent, isComplete and onTimeout code and the
 * user handlers' bundles are loaded from the cloud assembly and run in this process. Only what
 * leaves a Lambda function is replaced: Lambda Invoke calls the target function's handler (a
 * thrown error is reported as the Lambda Node.js runtime reports it), StartExecution and the Step
 * Functions retry loop are driven here with the state machine's own interval and attempt count,
 * and the response PUT to CloudFormation is recorded. Time is simulated: each retry advances the
 * clock by one interval, and the functions see it.
 */

export interface CloudFormationResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export interface Deployment {
  /** The body the framework PUT to CloudFormation's response URL. */
  readonly response: CloudFormationResponse;
  /** How many times the state machine ran isComplete. */
  readonly polls: number;
  /** Simulated seconds from the request to the response. */
  readonly elapsedSeconds: number;
}

export interface StackDeployment {
  /** The answers CloudFormation took, in the order they came, up to and including the first failure. */
  readonly created: readonly Deployment[];
  /** The first answer that failed, if one did. */
  readonly failed?: Deployment;
  /** The resources whose request was still in flight at the failure, and was cancelled. */
  readonly cancelled: readonly string[];
  /** The rollback's requests' answers (Deletes, and reverse Updates for an update), in the order sent. */
  readonly rolledBack: readonly Deployment[];
  /** What the cancelled requests' state machines answered in the end, which CloudFormation ignored. */
  readonly lateAnswers: readonly Deployment[];
  /** Simulated seconds from the operation's start to its last answer taken, or to its failure. */
  readonly elapsedSeconds: number;
  /** Simulated seconds from the start until everything it started had ended: the rollback, the cleanup and the cancelled waits. */
  readonly endedAfterSeconds: number;
}

export interface StackUpdate extends StackDeployment {
  /** The Updates and Creates answered before any failure, by logical id. */
  readonly updated: ReadonlyMap<string, Deployment>;
  /** After a success: the Deletes of the old ids of the resources that answered a new one. */
  readonly cleanedUp: readonly Deployment[];
}

export interface DeployRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  /** The custom resource's logical id in the template. */
  readonly logicalId: string;
  /** Property overrides on top of the template's; strings, as CloudFormation sends them. */
  readonly properties?: Record<string, Json>;
  /**
   * The stack parameters' values from this request on, as `create-stack --parameters` gives them:
   * every `Ref` to a parameter resolves to its value, in properties and policies alike.
   */
  readonly parameters?: Record<string, string>;
  readonly physicalResourceId?: string;
  readonly oldProperties?: Record<string, Json>;
  /** The properties to send as they are, instead of the template's: a rollback's old ones. */
  readonly resourceProperties?: Record<string, Json>;
  /**
   * CloudFormation's id for the request. Give the id of an earlier request to deliver that
   * request again, as Lambda does when it retries an event. @default a new id
   */
  readonly requestId?: string;
}

/** Loads a module with some of the modules it requires replaced. */
export type ModuleLoader = (modulePath: string, stubs: Record<string, unknown>) => unknown;

export interface SimulatedClock {
  now(): number;
  set(epochMs: number): void;
}

export interface LocalDeploymentOptions {
  readonly loader?: ModuleLoader;
  /** The clock the functions read. @default the real clock, advanced by nothing */
  readonly clock?: SimulatedClock;
  /** Called before each isComplete poll. */
  readonly onPoll?: (poll: { readonly number: number; readonly elapsedSeconds: number }) => void | Promise<void>;
  /** Called as each request is sent to the provider. */
  readonly onRequest?: (request: SentRequest) => void;
  /** Called with each request's answer, once the provider has sent it. */
  readonly onAnswer?: (request: SentRequest, answer: Deployment) => void;
  /**
   * IAM, deciding the functions' calls: each function runs with credentials of a session of its
   * role, as Lambda runs it, and the endpoint it calls asks IAM about them with this template's
   * policies. Its log writes are decided too.
   * @default - the functions run with whatever credentials the process has
   */
  readonly iam?: LocalIam;
}

/** A request as CloudFormation sends it, for the deployment's hooks. */
export interface SentRequest {
  readonly requestType: DeployRequest['requestType'];
  readonly logicalId: string;
  /** Sent by the rollback or the cleanup after an update; absent for the operation's own requests. */
  readonly phase?: 'rollback' | 'cleanup';
  /** The answer came after CloudFormation had cancelled the request, and was ignored. */
  readonly late?: true;
  /** The physical id the request carries (an Update's or Delete's). */
  readonly physicalResourceId?: string;
}

interface Framework {
  onEvent(event: unknown): Promise<void>;
  isComplete(event: unknown): Promise<void>;
  onTimeout(event: unknown): Promise<void>;
}

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

/** A request CloudFormation has sent and the wait behind it, on the deployment's clock. */
interface InFlight {
  readonly request: DeployRequest;
  readonly event: CloudFormationEvent;
  readonly startedAt: number;
  readonly phase?: SentRequest['phase'];
  framework?: Framework;
  retry?: { readonly intervalSeconds: number; readonly maxAttempts: number };
  /** The state machine's attempts so far. */
  attempt: number;
  polls: number;
  nextPollAt?: number;
  answer?: Deployment;
  /** CloudFormation cancelled it: the state machine runs on, and its answer is ignored. */
  cancelled: boolean;
}

interface ForwardRun {
  readonly started: readonly InFlight[];
  readonly failed?: Deployment;
  readonly cancelled: readonly string[];
  readonly forwardEndedAt: number;
}

type CloudFormationEvent = ReturnType<LocalDeployment['cloudFormationEvent']>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '111122223333',
  'AWS::URLSuffix': 'amazonaws.com',
};
const FUNCTION_ARN_PREFIX = 'arn:aws:lambda:us-east-1:111122223333:function:';
const STATE_MACHINE_ARN_PREFIX = 'arn:aws:states:us-east-1:111122223333:stateMachine:';

/** Loads with Node's own module cache: the stubs are placed in it first. */
export const nodeModuleLoader: ModuleLoader = (modulePath, stubs) => {
  // A fresh copy of the module and its neighbours, so that earlier stubs do not linger.
  const folder = path.dirname(require.resolve(modulePath));
  for (const cached of Object.keys(require.cache).filter((file) => path.dirname(file) === folder)) {
    delete require.cache[cached];
  }
  for (const [stubPath, exports] of Object.entries(stubs)) {
    const resolved = require.resolve(stubPath);
    require.cache[resolved] = { id: resolved, filename: resolved, loaded: true, exports } as NodeModule;
  }
  // The module is chosen at run time, from the cloud assembly.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath);
};

export class LocalDeployment {
  private resources: Record<string, { Type: string; Properties: Json }> = {};
  private outputs: Record<string, { Value: Json }> = {};
  private parameterDefaults: Record<string, string> = {};
  /** The properties each resource was last created or updated with, as CloudFormation sent them. */
  private readonly deployedProperties = new Map<string, Record<string, Json>>();
  /** By CloudFormation request id. */
  private readonly responses = new Map<string, CloudFormationResponse & { RequestId: string }>();
  private readonly executions = new Map<string, string>();
  /** The last successful answer for each logical id, for Ref and Fn::GetAtt in later requests. */
  private readonly answered = new Map<string, CloudFormationResponse>();
  private readonly handlers = new Map<string, Handler>();
  private readonly frameworks = new Map<string, Framework>();
  /** Every request of the present operation, cancelled ones included, until it has answered. */
  private inFlight: InFlight[] = [];
  private operationStart = 0;
  private answeringItself: Promise<void> = Promise.resolve();
  private readonly loader: ModuleLoader;
  private readonly clock: SimulatedClock;
  /** The policy world as resolved now, and what it was resolved from: a new answer or template resolves it again. */
  private world?: PolicyWorld;
  private readonly credentials = new Map<string, SessionCredentials>();
  private parameters: Record<string, string> = {};

  constructor(
    private readonly assemblyDir: string,
    private readonly stackName: string,
    private readonly options: LocalDeploymentOptions = {},
  ) {
    this.readTemplate(assemblyDir, stackName);
    this.loader = options.loader ?? nodeModuleLoader;
    this.clock = options.clock ?? { now: Date.now, set: () => undefined };
  }

  private readTemplate(assemblyDir: string, stackName: string): void {
    const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, `${stackName}.template.json`), 'utf8'));
    this.resources = template.Resources;
    this.outputs = template.Outputs ?? {};
    this.parameterDefaults = Object.fromEntries(Object.entries(template.Parameters ?? {}).flatMap(([name, parameter]) => ((parameter as { Default?: string }).Default !== undefined ? [[name, String((parameter as { Default?: string }).Default)]] : [])));
    this.world = undefined;
  }

  /** The template's policies, resolved with what has been deployed so far. */
  policyWorld(): PolicyWorld {
    this.world ??= policyWorldOf(this.resources, (value) => this.resolve(value), PSEUDO_PARAMETERS['AWS::AccountId']);
    return this.world;
  }

  /** A resource's properties as the template holds them. */
  propertiesOf(logicalId: string): Record<string, unknown> {
    return this.resources[logicalId].Properties;
  }

  /** A resource's properties as CloudFormation would send them now: intrinsics resolved, scalars as strings. */
  requestPropertiesOf(logicalId: string): Record<string, Json> {
    return cloudFormationStrings(this.resolve(this.resources[logicalId].Properties));
  }

  /**
   * The logical ids of a relayed wait's links, first to last: the resources of `resourceType`
   * whose ids start with the construct id `constructId`, in their LinkIndex order.
   */
  chainOf(constructId: string, resourceType: string): string[] {
    const linkIndex = (id: string) => Number(this.resources[id].Properties.LinkIndex ?? 1);
    return this.logicalIdsOf(resourceType)
      .filter((id) => id.startsWith(constructId))
      .sort((a, b) => linkIndex(a) - linkIndex(b));
  }

  /** The stack's outputs, resolved with what the resources deployed here have answered. */
  stackOutputs(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.outputs).map(([name, output]) => [name, String(this.resolve(output.Value))]));
  }

  /**
   * Takes an answer for a resource without deploying it, so that what refers to it resolves as
   * it would once it has answered: for checks of a template's policies that deploy nothing.
   */
  assumeAnswered(logicalId: string, physicalResourceId: string, data: Record<string, string>): void {
    this.world = undefined;
    this.answered.set(logicalId, { Status: 'SUCCESS', Reason: '', PhysicalResourceId: physicalResourceId, LogicalResourceId: logicalId, Data: data });
  }

  /** What a `Ref` to the resource resolves to, as CloudFormation would answer it now. */
  refOf(logicalId: string): string {
    return String(this.resolve({ Ref: logicalId }));
  }

  /** Logical ids of the resources of a type. */
  logicalIdsOf(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type);
  }

  /**
   * Creates the resources `logicalIds` as CloudFormation creates a stack: each once the resources
   * it depends on have completed, side by side where the template allows, on one clock. At the
   * first that fails, every create still in flight is cancelled (its state machine runs on; its
   * late answer is ignored) and the stack rolls back at once: a Delete for each resource started,
   * newest first, with the physical id it answered, or one CloudFormation made up for a cancelled
   * create. Sources: cloudformation-rules.ts.
   */
  async deployStack(logicalIds: readonly string[]): Promise<StackDeployment> {
    this.beginOperation();
    const operation = await this.runForward(logicalIds, (logicalId) => ({ requestType: 'Create', logicalId }));
    const { started, failed, cancelled } = operation;
    const rolledBack: Deployment[] = [];
    if (failed !== undefined) {
      for (const flight of [...started].reverse()) {
        const physicalResourceId = flight.cancelled ? madeUpPhysicalId(this.stackName, flight.request.logicalId) : flight.answer!.response.PhysicalResourceId;
        rolledBack.push(await this.runAlongside({ requestType: 'Delete', logicalId: flight.request.logicalId, physicalResourceId, resourceProperties: flight.event.ResourceProperties }));
      }
    }
    return { ...(await this.finish(operation)), rolledBack, cancelled };
  }

  /**
   * Deploys the stack again from the template of `assemblyDir` (the app synthesized anew), as
   * CloudFormation updates a stack: side by side where the template allows, each resource among
   * `logicalIds` whose properties changed gets an Update (its old properties and physical id), a
   * new one a Create, any other nothing. At the first failure, what is in flight is cancelled and
   * the update rolls back newest first (cloudformation-rules.ts: a replaced resource's new id is
   * deleted, any other gets a reverse Update); after a success, each replaced resource's old id
   * gets its Delete (the cleanup).
   */
  async redeployStack(assemblyDir: string, stackName: string, logicalIds: readonly string[]): Promise<StackUpdate> {
    this.beginOperation();
    const before = new Map(logicalIds.filter((id) => this.answered.has(id)).map((id) => [id, { answer: this.answered.get(id)!, properties: this.deployedProperties.get(id)! }]));
    this.readTemplate(assemblyDir, stackName);
    const operation = await this.runForward(logicalIds, (logicalId) => {
      const old = before.get(logicalId);
      if (old === undefined) {
        return { requestType: 'Create', logicalId };
      }
      const newProperties = cloudFormationStrings(this.resolve(this.resources[logicalId].Properties));
      if (JSON.stringify(newProperties) === JSON.stringify(old.properties)) {
        return undefined;
      }
      return { requestType: 'Update', logicalId, physicalResourceId: old.answer.PhysicalResourceId, oldProperties: old.properties };
    });
    const { started, failed, cancelled } = operation;
    const rolledBack: Deployment[] = [];
    const cleanedUp: Deployment[] = [];
    for (const flight of failed !== undefined ? [...started].reverse() : []) {
      const { logicalId } = flight.request;
      const old = before.get(logicalId);
      const answeredId = flight.cancelled ? undefined : flight.answer!.response.PhysicalResourceId;
      if (old === undefined) {
        const physicalResourceId = answeredId ?? madeUpPhysicalId(this.stackName, logicalId);
        rolledBack.push(await this.runAlongside({ requestType: 'Delete', logicalId, physicalResourceId, resourceProperties: flight.event.ResourceProperties }));
      } else if (rollbackOfUpdate(old.answer.PhysicalResourceId, answeredId) === 'deleteNewId') {
        rolledBack.push(await this.runAlongside({ requestType: 'Delete', logicalId, physicalResourceId: answeredId!, resourceProperties: flight.event.ResourceProperties }));
        this.restore(logicalId, old.answer, old.properties);
      } else {
        const reverse = await this.runAlongside({
          requestType: 'Update',
          logicalId,
          physicalResourceId: old.answer.PhysicalResourceId,
          resourceProperties: old.properties,
          oldProperties: flight.event.ResourceProperties,
        });
        rolledBack.push(reverse);
        if (reverse.response.Status !== 'SUCCESS') {
          this.restore(logicalId, old.answer, old.properties);
        }
      }
    }
    for (const flight of failed === undefined ? started : []) {
      const old = before.get(flight.request.logicalId);
      if (old !== undefined && old.answer.PhysicalResourceId !== flight.answer!.response.PhysicalResourceId) {
        // The cleanup of a replacement: the old id is deleted, with the properties it was deployed with.
        cleanedUp.push(await this.runAlongside({ requestType: 'Delete', logicalId: flight.request.logicalId, physicalResourceId: old.answer.PhysicalResourceId, resourceProperties: old.properties }, false));
      }
    }
    const updated = new Map(started.filter((flight) => !flight.cancelled).map((flight) => [flight.request.logicalId, flight.answer!]));
    return { ...(await this.finish(operation)), updated, rolledBack, cleanedUp, cancelled };
  }

  /**
   * Sends one CloudFormation request to the resource's provider and runs the wait to its answer;
   * or, to a function that answers CloudFormation itself (an `AwsCustomResource`'s), runs that
   * function once.
   */
  async deploy(request: DeployRequest): Promise<Deployment> {
    return (await this.deployTogether([request]))[0];
  }

  /**
   * Sends several requests at the same moment, as CloudFormation does for independent resources,
   * and runs their waits side by side on one clock: every poll due at a moment runs concurrently.
   */
  async deployTogether(requests: readonly DeployRequest[]): Promise<Deployment[]> {
    this.beginOperation();
    const flights = await Promise.all(requests.map((request) => this.start(request)));
    await this.drive(flights, () => flights.every((flight) => flight.answer !== undefined));
    return flights.map((flight) => flight.answer!);
  }

  private beginOperation(): void {
    this.responses.clear();
    this.executions.clear();
    this.inFlight = [];
    this.operationStart = this.clock.now();
  }

  /**
   * The forward part of a stack operation: starts each resource once its dependencies are done
   * (`requestFor` answers undefined for one that needs no request), and at the first failure
   * cancels what is still in flight.
   */
  private async runForward(logicalIds: readonly string[], requestFor: (logicalId: string) => DeployRequest | undefined): Promise<ForwardRun> {
    const dependencies = dependenciesWithin(this.resources, logicalIds);
    const done = new Set<string>();
    const started: InFlight[] = [];
    let failed: Deployment | undefined;
    const startReady = async () => {
      for (;;) {
        const ready = logicalIds.filter((id) => !done.has(id) && !started.some((flight) => flight.request.logicalId === id) && [...dependencies.get(id)!].every((dep) => done.has(dep)));
        if (ready.length === 0 || failed !== undefined) {
          return;
        }
        const requests = ready.map((id) => [id, requestFor(id)] as const);
        requests.filter(([, request]) => request === undefined).forEach(([id]) => done.add(id));
        const flights = await Promise.all(requests.flatMap(([, request]) => (request === undefined ? [] : [this.start(request)])));
        started.push(...flights);
        this.settleForward(flights, done, (deployment) => (failed ??= deployment));
      }
    };
    await startReady();
    await this.drive(
      this.inFlight,
      () => failed !== undefined || started.every((flight) => flight.answer !== undefined),
      async () => {
        this.settleForward(started, done, (deployment) => (failed ??= deployment));
        await startReady();
      },
    );
    const cancelled: string[] = [];
    if (failed !== undefined) {
      // "Resource creation cancelled" / "Resource update cancelled": seconds after the failure,
      // without waiting for the answer (aws/aws-cdk#26139, #31541).
      for (const flight of started.filter((candidate) => candidate.answer === undefined)) {
        flight.cancelled = true;
        cancelled.push(flight.request.logicalId);
      }
    }
    return { started, failed, cancelled, forwardEndedAt: this.clock.now() };
  }

  private settleForward(flights: readonly InFlight[], done: Set<string>, onFailure: (deployment: Deployment) => void): void {
    for (const flight of flights) {
      if (flight.answer !== undefined && !done.has(flight.request.logicalId)) {
        done.add(flight.request.logicalId);
        if (flight.answer.response.Status === 'FAILED') {
          onFailure(flight.answer);
        }
      }
    }
  }

  /** Runs one request of a rollback or cleanup to its answer, while the cancelled waits run on beside it. */
  private async runAlongside(request: DeployRequest & { readonly resourceProperties?: Record<string, Json> }, rollback = true): Promise<Deployment> {
    const flight = await this.start(request, rollback ? 'rollback' : 'cleanup');
    await this.drive(this.inFlight, () => flight.answer !== undefined);
    return flight.answer!;
  }

  /** Lets the cancelled waits run to their own end (their answers are ignored), and sums up. */
  private async finish(operation: ForwardRun): Promise<Omit<StackDeployment, 'rolledBack' | 'cancelled'>> {
    await this.drive(this.inFlight, () => this.inFlight.every((flight) => flight.answer !== undefined));
    const endedAt = this.clock.now();
    const answers = operation.started.filter((flight) => !flight.cancelled).map((flight) => flight.answer!);
    return {
      created: answers,
      ...(operation.failed !== undefined ? { failed: operation.failed } : {}),
      lateAnswers: operation.started.filter((flight) => flight.cancelled).map((flight) => flight.answer!),
      elapsedSeconds: (operation.forwardEndedAt - this.operationStart) / 1000,
      endedAfterSeconds: (endedAt - this.operationStart) / 1000,
    };
  }

  private restore(logicalId: string, answer: CloudFormationResponse, properties: Record<string, Json>): void {
    this.world = undefined;
    this.answered.set(logicalId, answer);
    this.deployedProperties.set(logicalId, properties);
  }

  /** Sends a request at the clock's present moment: onEvent runs now, the first poll is due now. */
  private async start(request: DeployRequest & { readonly resourceProperties?: Record<string, Json> }, phase?: SentRequest['phase']): Promise<InFlight> {
    if (request.parameters !== undefined) {
      this.parameters = { ...this.parameters, ...request.parameters };
      this.world = undefined;
    }
    // What the roles are granted as this request is sent: each statement must allow some call.
    this.options.iam?.trackGrants(this.policyWorld().roles.filter(isLibraryGrantedRole));
    const startedAt = this.clock.now();
    const event = this.cloudFormationEvent(request, startedAt);
    const flight: InFlight = { request, event, startedAt, attempt: 0, polls: 0, cancelled: false, phase };
    this.inFlight.push(flight);
    this.options.onRequest?.({ ...this.sentRequest(flight), ...(request.physicalResourceId !== undefined ? { physicalResourceId: request.physicalResourceId } : {}) });
    const functionId = this.serviceFunctionOf(request.logicalId);
    if (!this.isProviderFramework(functionId)) {
      await this.invokeOnce(event, functionId);
    } else {
      flight.framework = this.frameworkOf(functionId);
      flight.retry = this.retryPolicyOf(this.resources[functionId].Properties.Environment.Variables.WAITER_STATE_MACHINE_ARN.Ref);
      // Lambda runs the framework's onEvent asynchronously for CloudFormation; its errors end up
      // in the response it sends, which is what CloudFormation sees.
      await flight.framework.onEvent(event).catch(() => undefined);
      flight.nextPollAt = startedAt;
    }
    this.settle(flight);
    return flight;
  }

  /**
   * Runs the waits `flights` on one clock until `isDone`: the moment of the earliest poll due, every
   * poll due then side by side, then `afterStep` (which may start more).
   */
  private async drive(flights: InFlight[], isDone: () => boolean, afterStep?: () => Promise<void>): Promise<void> {
    while (!isDone()) {
      const waiting = flights.filter((flight) => flight.answer === undefined && flight.nextPollAt !== undefined);
      if (waiting.length === 0) {
        throw new Error('The local deployment has nothing left to run, but the operation has not ended: a provider sent no answer.');
      }
      const at = Math.min(...waiting.map((flight) => flight.nextPollAt!));
      this.clock.set(Math.max(at, this.clock.now()));
      await Promise.all(waiting.filter((flight) => flight.nextPollAt === at).map((flight) => this.poll(flight)));
      flights.forEach((flight) => this.settle(flight));
      await afterStep?.();
    }
  }

  /**
   * One attempt of the state machine's Task: isComplete now; Retry then waits IntervalSeconds
   * before each of MaxAttempts more; when they are spent, Catch runs onTimeout with the last error.
   */
  private async poll(flight: InFlight): Promise<void> {
    const retry = flight.retry!;
    flight.polls++;
    await this.options.onPoll?.({ number: flight.polls, elapsedSeconds: (this.clock.now() - flight.startedAt) / 1000 });
    const input = JSON.parse(this.executions.get(flight.event.RequestId)!);
    try {
      await flight.framework!.isComplete(input);
    } catch (error) {
      if (flight.attempt === retry.maxAttempts) {
        await flight.framework!.onTimeout({ Error: 'Retry', Cause: JSON.stringify({ errorMessage: (error as Error).message }) });
      }
    }
    flight.attempt++;
    flight.nextPollAt = flight.startedAt + flight.attempt * retry.intervalSeconds * 1000;
  }

  /** Takes a flight's answer once the provider has sent it; a cancelled request's is not CloudFormation's any more. */
  private settle(flight: InFlight): void {
    if (flight.answer !== undefined) {
      return;
    }
    const response = this.responses.get(flight.event.RequestId);
    if (response === undefined) {
      if (flight.framework !== undefined && !this.executions.has(flight.event.RequestId)) {
        throw new Error(`The provider sent no response to CloudFormation for ${flight.event.LogicalResourceId}.`);
      }
      return;
    }
    const deployment = { response, polls: flight.polls, elapsedSeconds: (this.clock.now() - flight.startedAt) / 1000 };
    flight.answer = deployment;
    flight.nextPollAt = undefined;
    // A cancelled request's answer is not CloudFormation's any more; a cleanup Delete removes an old id, not the resource.
    if (!flight.cancelled && flight.phase !== 'cleanup') {
      this.recordAnswer(flight.event, response);
    }
    this.options.onAnswer?.({ ...this.sentRequest(flight), ...(flight.cancelled ? { late: true } : {}) }, deployment);
  }

  private sentRequest(flight: InFlight): SentRequest {
    return { requestType: flight.request.requestType, logicalId: flight.request.logicalId, ...(flight.phase !== undefined ? { phase: flight.phase } : {}) };
  }

  /** Runs a function that answers CloudFormation itself, as Lambda would for CloudFormation: once, its HTTPS response recorded. */
  private async invokeOnce(event: CloudFormationEvent, functionId: string): Promise<void> {
    // https.request is patched for the length of one such function's run: two never overlap.
    const previous = this.answeringItself;
    let release = () => undefined as void;
    this.answeringItself = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      await this.runAnsweringItself(event, functionId);
    } finally {
      release();
    }
  }

  private async runAnsweringItself(event: CloudFormationEvent, functionId: string): Promise<void> {
    const handler = this.handlerOf(functionId);
    const realRequest = https.request;
    const region = process.env.AWS_REGION;
    // The function PUTs its answer to the pre-signed URL through https.request, looked up at call time.
    Object.assign(https, { request: (_options: unknown, answered: (response: { statusCode: number }) => void) => this.responseRecorder(answered) });
    process.env.AWS_REGION = PSEUDO_PARAMETERS['AWS::Region'];
    await this.runAsFunction(functionId);
    try {
      // Lambda hands the function its own copy of the event, which aws-cdk-lib's function changes.
      await handler(JSON.parse(JSON.stringify(event)), lambdaContext(functionId));
    } finally {
      Object.assign(https, { request: realRequest });
      restoreEnvironment('AWS_REGION', region);
    }
  }

  /** A stand-in for the request a function sends its answer with: it records the body it is given. */
  private responseRecorder(answered: (response: { statusCode: number }) => void) {
    let body = '';
    const recorder = {
      on: () => recorder,
      write: (chunk: string) => {
        body += chunk;
        return true;
      },
      end: () => {
        const response = JSON.parse(body);
        this.responses.set(response.RequestId, response);
        answered({ statusCode: 200 });
      },
    };
    return recorder;
  }

  /** Keeps what a request's answer tells later requests (Ref, GetAtt, old properties), and hands it to the hook. */
  private recordAnswer(event: CloudFormationEvent, response: CloudFormationResponse): void {
    if (response.Status === 'SUCCESS') {
      this.world = undefined;
      this.answered.set(response.LogicalResourceId, response);
      if (event.RequestType === 'Delete') {
        this.deployedProperties.delete(response.LogicalResourceId);
      } else {
        this.deployedProperties.set(response.LogicalResourceId, event.ResourceProperties);
      }
    }
  }

  /** The logical id of the function a custom resource's ServiceToken names. */
  private serviceFunctionOf(logicalId: string): string {
    return this.resources[logicalId].Properties.ServiceToken['Fn::GetAtt'][0];
  }

  /** Whether a function is the provider framework's onEvent, which hands the request on to the user's handlers. */
  private isProviderFramework(functionId: string): boolean {
    return this.resources[functionId].Properties.Environment?.Variables?.USER_ON_EVENT_FUNCTION_ARN !== undefined;
  }

  private cloudFormationEvent(request: DeployRequest, start: number) {
    const resource = this.resources[request.logicalId];
    const properties = request.resourceProperties ?? { ...cloudFormationStrings(this.resolve(resource.Properties)), ...request.properties };
    return {
      RequestType: request.requestType,
      ServiceToken: properties.ServiceToken,
      ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/local?X-Amz-Signature=secret',
      StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/Local/8d3e4b60-0000-0000-0000-000000000000',
      RequestId: request.requestId ?? `local-${start}-${Math.random().toString(16).slice(2)}`,
      LogicalResourceId: request.logicalId,
      ResourceType: resource.Type,
      ResourceProperties: properties,
      ...(request.physicalResourceId !== undefined ? { PhysicalResourceId: request.physicalResourceId } : {}),
      ...(request.oldProperties !== undefined ? { OldResourceProperties: request.oldProperties } : {}),
    };
  }

  /**
   * Resolves the intrinsic functions a template of ours holds, with the values a deployment in
   * us-east-1 of account 111122223333 would give: a resource deployed here refers to its physical
   * id, any other to a name or ARN made from its logical id.
   */
  private resolve(value: Json): Json {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item));
    }
    if (typeof value !== 'object' || value === null) {
      return value;
    }
    if ('Ref' in value) {
      // A role's name: the one its ARN below ends with.
      if (this.resources[value.Ref]?.Type === 'AWS::IAM::Role') {
        return value.Ref;
      }
      // A bucket given a name is referred to by it ("Return values" of AWS::S3::Bucket in CloudFormation's reference).
      const bucketName = this.resources[value.Ref]?.Type === 'AWS::S3::Bucket' ? this.resources[value.Ref].Properties?.BucketName : undefined;
      if (typeof bucketName === 'string') {
        return bucketName;
      }
      return PSEUDO_PARAMETERS[value.Ref] ?? this.parameters[value.Ref] ?? this.parameterDefaults[value.Ref] ?? this.answered.get(value.Ref)?.PhysicalResourceId ?? String(value.Ref).toLowerCase();
    }
    if ('Fn::GetAtt' in value) {
      const [logicalId, attribute] = value['Fn::GetAtt'];
      return this.attributeOf(logicalId, attribute);
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      return this.resolve(parts).join(separator);
    }
    if ('Fn::Sub' in value) {
      // ${Name} is a Ref, ${Name.Attribute} a GetAtt, unless the variables name it.
      const [text, variables] = typeof value['Fn::Sub'] === 'string' ? [value['Fn::Sub'], {}] : value['Fn::Sub'];
      return String(text).replace(/\$\{([^}]+)\}/g, (_match: string, name: string) =>
        String(name in variables ? this.resolve(variables[name]) : this.resolve(name.includes('.') ? { 'Fn::GetAtt': name.split('.') } : { Ref: name })),
      );
    }
    if ('Fn::Split' in value) {
      const [separator, text] = value['Fn::Split'];
      return String(this.resolve(text)).split(separator);
    }
    if ('Fn::Select' in value) {
      const [index, list] = value['Fn::Select'];
      return this.resolve(list)[Number(index)];
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolve(item)]));
  }

  private attributeOf(logicalId: string, attribute: string): string {
    const type = this.resources[logicalId]?.Type;
    if (attribute === 'Arn' && type === 'AWS::IAM::Role') {
      return `arn:aws:iam::111122223333:role/${logicalId}`;
    }
    if (attribute === 'DatasetGroupArn' && type === 'AWS::Personalize::DatasetGroup') {
      return `arn:aws:personalize:us-east-1:111122223333:dataset-group/${this.resources[logicalId].Properties.Name}`;
    }
    if (attribute === 'DatasetArn' && type === 'AWS::Personalize::Dataset') {
      const { DatasetGroupArn, DatasetType } = this.resolve(this.resources[logicalId].Properties);
      return `arn:aws:personalize:us-east-1:111122223333:dataset/${String(DatasetGroupArn).split('/').pop()}/${String(DatasetType).toUpperCase()}`;
    }
    if (attribute === 'SolutionArn' && type === 'AWS::Personalize::Solution') {
      return `arn:aws:personalize:us-east-1:111122223333:solution/${this.resources[logicalId].Properties.Name}`;
    }
    if (attribute === 'Arn' && type === 'AWS::S3::Bucket') {
      return `arn:aws:s3:::${this.resolve({ Ref: logicalId })}`;
    }
    if (attribute === 'Arn' && type === 'AWS::Logs::LogGroup') {
      return `arn:aws:logs:us-east-1:111122223333:log-group:${this.resolve({ Ref: logicalId })}:*`;
    }
    if (attribute === 'Arn' && type === 'AWS::Lambda::Function') {
      return FUNCTION_ARN_PREFIX + logicalId;
    }
    if (attribute === 'Arn' && type === 'AWS::KMS::Key') {
      return `arn:aws:kms:us-east-1:111122223333:key/${logicalId.toLowerCase()}`;
    }
    return this.answered.get(logicalId)?.Data?.[attribute] ?? `${logicalId}.${attribute}`;
  }

  private frameworkOf(frameworkOnEventId: string): Framework {
    const fn = this.resources[frameworkOnEventId].Properties;
    const variables = fn.Environment.Variables;
    const userFunctions = {
      USER_ON_EVENT_FUNCTION_ARN: FUNCTION_ARN_PREFIX + variables.USER_ON_EVENT_FUNCTION_ARN['Fn::GetAtt'][0],
      USER_IS_COMPLETE_FUNCTION_ARN: FUNCTION_ARN_PREFIX + variables.USER_IS_COMPLETE_FUNCTION_ARN['Fn::GetAtt'][0],
    };
    // The framework reads these from its environment at each call, and one process runs every
    // provider's framework here: the providers of one stack must share their user functions.
    for (const [name, value] of Object.entries(userFunctions)) {
      if (process.env[name] !== undefined && process.env[name] !== value && this.frameworks.size > 0) {
        throw new Error(`The local deployment runs providers side by side only when they share their user functions; ${frameworkOnEventId} has another ${name}.`);
      }
      process.env[name] = value;
    }
    process.env.WAITER_STATE_MACHINE_ARN = STATE_MACHINE_ARN_PREFIX + variables.WAITER_STATE_MACHINE_ARN.Ref;
    const cached = this.frameworks.get(frameworkOnEventId);
    if (cached !== undefined) {
      return cached;
    }
    const frameworkDir = this.assetDirOf(frameworkOnEventId);
    const outbound = {
      invokeFunction: (invocation: { FunctionName: string; Payload: string }) => this.invoke(invocation),
      startExecution: async (execution: { stateMachineArn: string; input: string }) => {
        this.executions.set(JSON.parse(execution.input).RequestId, execution.input);
        return { executionArn: `${execution.stateMachineArn}:execution` };
      },
      httpRequest: async (_options: unknown, body: string) => {
        const response = JSON.parse(body);
        if (this.responses.has(response.RequestId)) {
          throw new Error(`The provider answered CloudFormation twice for ${response.LogicalResourceId}.`);
        }
        this.responses.set(response.RequestId, response);
      },
    };
    const framework = this.loader(path.join(frameworkDir, 'framework.js'), { [path.join(frameworkDir, 'outbound.js')]: outbound }) as Framework;
    this.frameworks.set(frameworkOnEventId, framework);
    return framework;
  }

  /** Invokes a function's handler as Lambda does, reporting a thrown error as the Node.js runtime does. */
  private async invoke(invocation: { FunctionName: string; Payload: string }) {
    const functionId = invocation.FunctionName.slice(FUNCTION_ARN_PREFIX.length);
    const handler = this.handlerOf(functionId);
    await this.runAsFunction(functionId);
    try {
      const result = await handler(JSON.parse(invocation.Payload));
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(result ?? null)) };
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const body = { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify(body)) };
    }
  }

  /**
   * Gives the function about to run the credentials of a session of its execution role, as Lambda
   * does through AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (the session is
   * named after the function), and has IAM decide the writes Lambda makes with that role
   * (runtimeWritesOf); a refused write loses the logs or traces, not the invocation.
   * The SDK reads the credentials at a client's first call and keeps them, so functions of
   * different roles must not start side by side: here only the handlers' role calls AWS.
   */
  private async runAsFunction(functionId: string): Promise<void> {
    const iam = this.options.iam;
    if (iam === undefined) {
      return;
    }
    const fn = this.resources[functionId].Properties;
    const roleArn = String(this.resolve(fn.Role));
    const sessionName = String(this.resolve({ Ref: functionId }));
    let credentials = this.credentials.get(functionId);
    if (credentials === undefined) {
      credentials = iam.sessionCredentials({ world: () => this.policyWorld(), roleArn, sessionName });
      this.credentials.set(functionId, credentials);
    }
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = credentials.sessionToken;
    const session = iam.sessionOf(credentials.accessKeyId)!;
    for (const write of this.runtimeWritesOf(functionId).writes) {
      await iam.decide(this.policyWorld(), { requester: { session }, ...write });
    }
  }

  /**
   * The writes Lambda makes for a function with its execution role:
   * - its logs: logs:CreateLogStream and logs:PutLogEvents on a stream of its log group
   *   (LoggingConfig's, or /aws/lambda/<name>) (Lambda developer guide, "Sending Lambda function
   *   logs to CloudWatch Logs");
   * - with active tracing, its traces: xray:PutTraceSegments and xray:PutTelemetryRecords, which
   *   X-Ray authorizes on "*" only (Lambda developer guide, "Visualize Lambda function invocations
   *   using AWS X-Ray": the execution role needs them; Service Authorization Reference for X-Ray).
   */
  runtimeWritesOf(functionId: string): { readonly roleArn: string; readonly writes: readonly { readonly action: string; readonly resource: string }[] } {
    const fn = this.resources[functionId].Properties;
    const logGroup = fn.LoggingConfig?.LogGroup !== undefined ? String(this.resolve(fn.LoggingConfig.LogGroup)) : `/aws/lambda/${this.resolve({ Ref: functionId })}`;
    const logStream = `arn:aws:logs:${PSEUDO_PARAMETERS['AWS::Region']}:${PSEUDO_PARAMETERS['AWS::AccountId']}:log-group:${logGroup}:log-stream:local`;
    const logWrites = ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({ action, resource: logStream }));
    const traceWrites = fn.TracingConfig?.Mode === 'Active' ? ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'].map((action) => ({ action, resource: '*' })) : [];
    return { roleArn: String(this.resolve(fn.Role)), writes: [...logWrites, ...traceWrites] };
  }

  private handlerOf(logicalId: string): Handler {
    let handler = this.handlers.get(logicalId);
    if (handler === undefined) {
      const [file, exported] = String(this.resources[logicalId].Properties.Handler).split('.');
      const module = this.loader(path.join(this.assetDirOf(logicalId), `${file}.js`), {}) as Record<string, Handler>;
      handler = module[exported];
      this.handlers.set(logicalId, handler);
    }
    return handler;
  }

  private assetDirOf(functionId: string): string {
    const hash = String(this.resources[functionId].Properties.Code.S3Key).replace(/\.zip$/, '');
    return path.join(this.assemblyDir, `asset.${hash}`);
  }

  private retryPolicyOf(stateMachineId: string): { intervalSeconds: number; maxAttempts: number } {
    const definition = this.resources[stateMachineId].Properties.DefinitionString;
    // The definition is a Fn::Join around the functions' ARNs, which sit inside JSON strings.
    const text = typeof definition === 'string' ? definition : definition['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'arn')).join('');
    const retry = JSON.parse(text).States['framework-isComplete-task'].Retry[0];
    return { intervalSeconds: retry.IntervalSeconds, maxAttempts: retry.MaxAttempts };
  }
}

/** CloudFormation hands a custom resource every scalar property as a string, at any depth. */
function cloudFormationStrings(properties: Record<string, unknown>): Record<string, Json> {
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, asCloudFormationDelivers(value)]));
}

function asCloudFormationDelivers(value: unknown): Json {
  if (Array.isArray(value)) {
    return value.map(asCloudFormationDelivers);
  }
  if (typeof value === 'object' && value !== null) {
    return cloudFormationStrings(value as Record<string, unknown>);
  }
  return String(value);
}

function restoreEnvironment(name: string, value: string | undefined): void {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}

/** The parts of Lambda's context object that functions answering CloudFormation read: where their logs go. */
function lambdaContext(functionId: string) {
  return { functionName: functionId, logGroupName: `/aws/lambda/${functionId}`, logStreamName: '2026/11/28/[$LATEST]local', awsRequestId: 'local' };
}
