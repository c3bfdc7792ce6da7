import * as fs from 'fs';
import https from 'https';
import * as path from 'path';

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
  /** Each resource's Create, in order, up to and including the one that failed. */
  readonly created: readonly Deployment[];
  /** The Create that failed, if one did. */
  readonly failed?: Deployment;
  /** The rollback's Deletes, in the order sent. */
  readonly rolledBack: readonly Deployment[];
}

export interface DeployRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  /** The custom resource's logical id in the template. */
  readonly logicalId: string;
  /** Property overrides on top of the template's (e.g. a parameter's value); strings, as CloudFormation sends them. */
  readonly properties?: Record<string, Json>;
  readonly physicalResourceId?: string;
  readonly oldProperties?: Record<string, Json>;
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
}

/** A request as CloudFormation sends it, for the deployment's hooks. */
export interface SentRequest {
  readonly requestType: DeployRequest['requestType'];
  readonly logicalId: string;
}

interface Framework {
  onEvent(event: unknown): Promise<void>;
  isComplete(event: unknown): Promise<void>;
  onTimeout(event: unknown): Promise<void>;
}

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
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
  /** The properties each resource was last created or updated with, as CloudFormation sent them. */
  private readonly deployedProperties = new Map<string, Record<string, Json>>();
  /** By CloudFormation request id. */
  private readonly responses = new Map<string, CloudFormationResponse & { RequestId: string }>();
  private readonly executions = new Map<string, string>();
  /** The last successful answer for each logical id, for Ref and Fn::GetAtt in later requests. */
  private readonly answered = new Map<string, CloudFormationResponse>();
  private readonly handlers = new Map<string, Handler>();
  private readonly loader: ModuleLoader;
  private readonly clock: SimulatedClock;

  constructor(
    private readonly assemblyDir: string,
    stackName: string,
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

  /** Logical ids of the resources of a type. */
  logicalIdsOf(type: string): string[] {
    return Object.keys(this.resources).filter((id) => this.resources[id].Type === type);
  }

  /**
   * Creates the resources one after the other, in the order given (their dependency order), as
   * CloudFormation creates a stack; at the first that fails, rolls back as CloudFormation does:
   * a Delete for the failed resource (with the physical id its FAILED response carried) and for
   * each created one, newest first.
   */
  async deployStack(logicalIds: readonly string[]): Promise<StackDeployment> {
    const created: Deployment[] = [];
    for (const logicalId of logicalIds) {
      const deployment = await this.deploy({ requestType: 'Create', logicalId });
      created.push(deployment);
      if (deployment.response.Status === 'FAILED') {
        const rolledBack: Deployment[] = [];
        for (const { response } of [...created].reverse()) {
          rolledBack.push(await this.deploy({ requestType: 'Delete', logicalId: response.LogicalResourceId, physicalResourceId: response.PhysicalResourceId }));
        }
        return { created, failed: deployment, rolledBack };
      }
    }
    return { created, rolledBack: [] };
  }

  /**
   * Deploys the stack again from the template of `assemblyDir` (the app synthesized anew), as
   * CloudFormation updates a stack: in the order given, each resource whose properties changed gets
   * an Update (with its old properties and physical id), and any other gets nothing. Stops at the
   * first that fails. Answers the Updates sent, by logical id.
   */
  async redeployStack(assemblyDir: string, stackName: string, logicalIds: readonly string[]): Promise<Map<string, Deployment>> {
    this.readTemplate(assemblyDir, stackName);
    const updated = new Map<string, Deployment>();
    for (const logicalId of logicalIds) {
      const oldProperties = this.deployedProperties.get(logicalId)!;
      const newProperties = cloudFormationStrings(this.resolve(this.resources[logicalId].Properties));
      if (JSON.stringify(newProperties) === JSON.stringify(oldProperties)) {
        continue;
      }
      const physicalResourceId = this.answered.get(logicalId)!.PhysicalResourceId;
      const deployment = await this.deploy({ requestType: 'Update', logicalId, physicalResourceId, oldProperties });
      updated.set(logicalId, deployment);
      if (deployment.response.Status === 'FAILED') {
        break;
      }
    }
    return updated;
  }

  /**
   * Sends one CloudFormation request to the resource's provider and runs the wait to its answer;
   * or, to a function that answers CloudFormation itself (an `AwsCustomResource`'s), runs that
   * function once.
   */
  async deploy(request: DeployRequest): Promise<Deployment> {
    if (!this.isProviderFramework(this.serviceFunctionOf(request.logicalId))) {
      return this.invokeOnce(request);
    }
    return (await this.deployTogether([request]))[0];
  }

  /**
   * Sends several requests at the same moment, as CloudFormation does for independent resources,
   * and runs their waits side by side on one clock: every poll due at a moment runs concurrently.
   * The resources must share one provider (one poll interval).
   */
  async deployTogether(requests: readonly DeployRequest[]): Promise<Deployment[]> {
    const serviceTokens = new Set(requests.map((request) => JSON.stringify(this.resources[request.logicalId].Properties.ServiceToken)));
    if (serviceTokens.size !== 1) {
      throw new Error('deployTogether takes resources of one provider only.');
    }
    const frameworkOnEventId = this.serviceFunctionOf(requests[0].logicalId);
    const framework = this.frameworkOf(frameworkOnEventId);
    const stateMachineId = this.resources[frameworkOnEventId].Properties.Environment.Variables.WAITER_STATE_MACHINE_ARN.Ref;
    const retry = this.retryPolicyOf(stateMachineId);
    this.responses.clear();
    this.executions.clear();
    const start = this.clock.now();
    const events = requests.map((request) => this.cloudFormationEvent(request, start));
    requests.forEach((request) => this.options.onRequest?.({ requestType: request.requestType, logicalId: request.logicalId }));

    // Lambda runs the framework's onEvent asynchronously for CloudFormation; its errors end up
    // in the response it sends, which is what CloudFormation sees.
    await Promise.all(events.map((event) => framework.onEvent(event).catch(() => undefined)));
    const polls = new Map<string, number>(events.map((event) => [event.RequestId, 0]));
    const answeredAt = new Map<string, number>();
    // The Task's first attempt runs at once; Retry then waits IntervalSeconds before each of
    // MaxAttempts more; when they are spent, Catch runs onTimeout with the last error.
    for (let attempt = 0; attempt <= retry.maxAttempts; attempt++) {
      const waiting = events.filter((event) => !this.responses.has(event.RequestId) && this.executions.has(event.RequestId));
      events.filter((event) => this.responses.has(event.RequestId) && !answeredAt.has(event.RequestId)).forEach((event) => answeredAt.set(event.RequestId, this.clock.now()));
      if (waiting.length === 0) {
        break;
      }
      this.clock.set(start + attempt * retry.intervalSeconds * 1000);
      await Promise.all(
        waiting.map(async (event) => {
          const count = polls.get(event.RequestId)! + 1;
          polls.set(event.RequestId, count);
          await this.options.onPoll?.({ number: count, elapsedSeconds: (this.clock.now() - start) / 1000 });
          const input = JSON.parse(this.executions.get(event.RequestId)!);
          try {
            await framework.isComplete(input);
          } catch (error) {
            if (attempt === retry.maxAttempts) {
              await framework.onTimeout({ Error: 'Retry', Cause: JSON.stringify({ errorMessage: (error as Error).message }) });
            }
          }
        }),
      );
    }
    return events.map((event) => {
      const answered = answeredAt.get(event.RequestId) ?? this.clock.now();
      return this.recordAnswer(event, polls.get(event.RequestId)!, (answered - start) / 1000);
    });
  }

  /** Runs a function that answers CloudFormation itself, as Lambda would for CloudFormation: once, its HTTPS response recorded. */
  private async invokeOnce(request: DeployRequest): Promise<Deployment> {
    const start = this.clock.now();
    const event = this.cloudFormationEvent(request, start);
    this.options.onRequest?.({ requestType: request.requestType, logicalId: request.logicalId });
    const functionId = this.serviceFunctionOf(request.logicalId);
    const handler = this.handlerOf(functionId);
    this.responses.clear();
    const realRequest = https.request;
    const region = process.env.AWS_REGION;
    // The function PUTs its answer to the pre-signed URL through https.request, looked up at call time.
    Object.assign(https, { request: (_options: unknown, answered: (response: { statusCode: number }) => void) => this.responseRecorder(answered) });
    process.env.AWS_REGION = PSEUDO_PARAMETERS['AWS::Region'];
    try {
      // Lambda hands the function its own copy of the event, which aws-cdk-lib's function changes.
      await handler(JSON.parse(JSON.stringify(event)), lambdaContext(functionId));
    } finally {
      Object.assign(https, { request: realRequest });
      restoreEnvironment('AWS_REGION', region);
    }
    return this.recordAnswer(event, 0, (this.clock.now() - start) / 1000);
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
  private recordAnswer(event: ReturnType<LocalDeployment['cloudFormationEvent']>, polls: number, elapsedSeconds: number): Deployment {
    const response = this.responses.get(event.RequestId);
    if (response === undefined) {
      throw new Error(`The provider sent no response to CloudFormation for ${event.LogicalResourceId}.`);
    }
    if (response.Status === 'SUCCESS') {
      this.answered.set(response.LogicalResourceId, response);
      if (event.RequestType === 'Delete') {
        this.deployedProperties.delete(response.LogicalResourceId);
      } else {
        this.deployedProperties.set(response.LogicalResourceId, event.ResourceProperties);
      }
    }
    const deployment = { response, polls, elapsedSeconds };
    this.options.onAnswer?.({ requestType: event.RequestType, logicalId: event.LogicalResourceId }, deployment);
    return deployment;
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
    const properties = { ...cloudFormationStrings(this.resolve(resource.Properties)), ...request.properties };
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
      return PSEUDO_PARAMETERS[value.Ref] ?? this.answered.get(value.Ref)?.PhysicalResourceId ?? String(value.Ref).toLowerCase();
    }
    if ('Fn::GetAtt' in value) {
      const [logicalId, attribute] = value['Fn::GetAtt'];
      return this.attributeOf(logicalId, attribute);
    }
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'];
      return this.resolve(parts).join(separator);
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
    if (attribute === 'Arn' && type === 'AWS::KMS::Key') {
      return `arn:aws:kms:us-east-1:111122223333:key/${logicalId.toLowerCase()}`;
    }
    return this.answered.get(logicalId)?.Data?.[attribute] ?? `${logicalId}.${attribute}`;
  }

  private frameworkOf(frameworkOnEventId: string): Framework {
    const fn = this.resources[frameworkOnEventId].Properties;
    const variables = fn.Environment.Variables;
    process.env.USER_ON_EVENT_FUNCTION_ARN = FUNCTION_ARN_PREFIX + variables.USER_ON_EVENT_FUNCTION_ARN['Fn::GetAtt'][0];
    process.env.USER_IS_COMPLETE_FUNCTION_ARN = FUNCTION_ARN_PREFIX + variables.USER_IS_COMPLETE_FUNCTION_ARN['Fn::GetAtt'][0];
    process.env.WAITER_STATE_MACHINE_ARN = STATE_MACHINE_ARN_PREFIX + variables.WAITER_STATE_MACHINE_ARN.Ref;
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
    return this.loader(path.join(frameworkDir, 'framework.js'), { [path.join(frameworkDir, 'outbound.js')]: outbound }) as Framework;
  }

  /** Invokes a function's handler as Lambda does, reporting a thrown error as the Node.js runtime does. */
  private async invoke(invocation: { FunctionName: string; Payload: string }) {
    const handler = this.handlerOf(invocation.FunctionName.slice(FUNCTION_ARN_PREFIX.length));
    try {
      const result = await handler(JSON.parse(invocation.Payload));
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(result ?? null)) };
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const body = { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify(body)) };
    }
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
