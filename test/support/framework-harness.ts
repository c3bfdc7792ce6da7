import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * Runs a synthesized waiter through the real code of aws-cdk-lib's provider framework (onEvent,
 * isComplete, onTimeout from the cloud assembly) and the real handler bundle, in this process.
 * Only the framework's outbound calls are replaced: Lambda Invoke calls the bundle's handler and
 * serializes a thrown error as the Lambda Node.js runtime does, StartExecution and the Step
 * Functions retry loop are driven here with the template's own interval and attempt count, and
 * the response PUT is recorded. Time is simulated: each poll advances the clock by one interval.
 */
export interface Deployment {
  /** The body the framework sent to CloudFormation's response URL. */
  readonly response: CloudFormationResponse;
  /** How many times the state machine invoked isComplete. */
  readonly polls: number;
  /** The simulated seconds from the request to the response. */
  readonly elapsedSeconds: number;
}

export interface CloudFormationResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
  readonly [key: string]: unknown;
}

interface Framework {
  onEvent(event: unknown): Promise<void>;
  isComplete(event: unknown): Promise<void>;
  onTimeout(event: unknown): Promise<void>;
}

type Handler = (event: unknown) => Promise<unknown>;

// Templates are untyped JSON; the harness reads only what it needs from them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TemplateProperties = Record<string, any>;

export class FrameworkHarness {
  readonly outdir: string;
  private readonly template: { Resources: Record<string, { Type: string; Properties: TemplateProperties }> };
  private readonly framework: Framework;
  private readonly userHandlers: { onEvent: Handler; isComplete: Handler };
  private readonly retry: { intervalSeconds: number; maxAttempts: number };
  private readonly responses: CloudFormationResponse[] = [];
  private readonly executions: string[] = [];

  /** Synthesizes `build`'s stack, then loads the framework and the bundle from the assembly. */
  constructor(build: (stack: Stack) => void) {
    this.outdir = fs.mkdtempSync(path.join(__dirname, '..', '..', '.test-assembly-'));
    const app = new App({ outdir: this.outdir });
    const stack = new Stack(app, 'Stack');
    build(stack);
    const artifact = app.synth().getStackByName('Stack');
    this.template = artifact.template;

    const frameworkDir = this.assetDirOf((p) => p.Handler === 'framework.onEvent');
    const waiterDir = this.assetDirOf((p) => p.Handler === 'index.onEvent');
    const waiter = jest.requireActual(path.join(waiterDir, 'index.js')) as { onEvent: Handler; isComplete: Handler };
    this.userHandlers = waiter;
    jest.doMock(path.join(frameworkDir, 'outbound.js'), () => ({
      invokeFunction: (request: { FunctionName: string; Payload: string }) => this.invoke(request),
      startExecution: async (request: { input: string }) => {
        this.executions.push(request.input);
        return {};
      },
      httpRequest: async (_options: unknown, body: string) => {
        this.responses.push(JSON.parse(body));
      },
    }));
    process.env.USER_ON_EVENT_FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:user-on-event';
    process.env.USER_IS_COMPLETE_FUNCTION_ARN = 'arn:aws:lambda:us-east-1:111122223333:function:user-is-complete';
    process.env.WAITER_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:waiter';
    this.framework = jest.requireActual(path.join(frameworkDir, 'framework.js'));
    this.retry = this.waiterRetryPolicy();
  }

  /** The waiter resources' properties as CloudFormation sends them: every scalar a string. */
  waiterProperties(logicalIdPrefix: string): Record<string, string> {
    const [, resource] = Object.entries(this.template.Resources).find(
      ([id, r]) => id.startsWith(logicalIdPrefix) && r.Type === 'Custom::PersonalizeBatchSegmentJobWaiter',
    )!;
    return Object.fromEntries(
      Object.entries(resource.Properties).map(([key, value]) => [key, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
    );
  }

  /** Sends one CloudFormation request through the framework and runs the wait to its answer. */
  async deploy(
    requestType: 'Create' | 'Update' | 'Delete',
    properties: Record<string, string>,
    extra: { physicalResourceId?: string; oldProperties?: Record<string, string> } = {},
  ): Promise<Deployment> {
    const start = Date.now();
    this.responses.length = 0;
    this.executions.length = 0;
    const request = {
      RequestType: requestType,
      ServiceToken: properties.ServiceToken,
      ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/presigned?X-Amz-Signature=secret',
      StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/Stack/8d3e4b60-0000-0000-0000-000000000000',
      RequestId: `request-${Math.random()}`,
      LogicalResourceId: 'Waiter',
      ResourceType: 'Custom::PersonalizeBatchSegmentJobWaiter',
      ResourceProperties: properties,
      ...(extra.physicalResourceId ? { PhysicalResourceId: extra.physicalResourceId } : {}),
      ...(extra.oldProperties ? { OldResourceProperties: extra.oldProperties } : {}),
    } as unknown as CloudFormationCustomResourceEvent;

    await this.framework.onEvent(request).catch(() => undefined);
    let polls = 0;
    if (this.responses.length === 0 && this.executions.length === 1) {
      const input = JSON.parse(this.executions[0]);
      // The Task's first attempt runs at once, then Retry waits IntervalSeconds between attempts.
      for (let attempt = 0; attempt <= this.retry.maxAttempts && this.responses.length === 0; attempt++) {
        jest.setSystemTime(start + attempt * this.retry.intervalSeconds * 1000);
        polls++;
        try {
          await this.framework.isComplete(input);
        } catch (error) {
          if (attempt === this.retry.maxAttempts) {
            const cause = JSON.stringify({ errorMessage: (error as Error).message });
            await this.framework.onTimeout({ Error: 'Retry', Cause: cause });
          }
        }
      }
    }
    if (this.responses.length !== 1) {
      throw new Error(`expected one response to CloudFormation, got ${this.responses.length}`);
    }
    return { response: this.responses[0], polls, elapsedSeconds: (Date.now() - start) / 1000 };
  }

  dispose(): void {
    fs.rmSync(this.outdir, { recursive: true, force: true });
  }

  /** Invokes a user handler as Lambda does, reporting a thrown error as the Node.js runtime does. */
  private async invoke(request: { FunctionName: string; Payload: string }) {
    const handler = request.FunctionName.endsWith('user-on-event') ? this.userHandlers.onEvent : this.userHandlers.isComplete;
    try {
      const result = await handler(JSON.parse(request.Payload));
      return { StatusCode: 200, Payload: Buffer.from(JSON.stringify(result ?? null)) };
    } catch (thrown) {
      const error = thrown as Error;
      const body = { errorType: error.name, errorMessage: error.message, trace: String(error.stack).split('\n') };
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify(body)) };
    }
  }

  private assetDirOf(matches: (properties: TemplateProperties) => boolean): string {
    const fn = Object.values(this.template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && matches(r.Properties))!;
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    return path.join(this.outdir, `asset.${hash}`);
  }

  private waiterRetryPolicy() {
    const machine = Object.values(this.template.Resources).find((r) => r.Type === 'AWS::StepFunctions::StateMachine')!;
    const definition = JSON.parse(String(machine.Properties.DefinitionString['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'x')).join('')));
    const retry = definition.States['framework-isComplete-task'].Retry[0];
    return { intervalSeconds: retry.IntervalSeconds as number, maxAttempts: retry.MaxAttempts as number };
  }
}
