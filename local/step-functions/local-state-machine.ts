import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { isPersonalizeRole } from '../iam/library-roles';
import type { LocalIam, RoleSession } from '../iam/local-iam';
import type { LocalServices } from './service-tasks';
import type { LocalDeployment } from '../local-deployment';
import { callPersonalize, personalizeActionOf } from './sdk-task';
import './promise-with-resolvers';

/*
 * A state machine of a deployed template, executed here by aws-local-stepfunctions 3.0.0 (MIT), an
 * Amazon States Language interpreter: the definition is the template's own, resolved as the local
 * deployment resolves it. Its Personalize tasks are answered by the local endpoint through the real
 * SDK, signed with a session of the state machine's role, so IAM decides each call with the
 * template's policies as it decides the handlers'. Its Wait states and retry intervals run on the
 * caller's virtual timers: the clock moves on only while no call is in flight, to the next timer.
 */

/** The timers an execution waits on (jest's or @sinonjs/fake-timers' fake setTimeout, which also moves Date). */
export interface VirtualTimers {
  /** How many timers are pending. */
  pending(): number;
  /** Moves the clock to the next timer and runs it. */
  next(): void;
}

export interface LocalStateMachineOptions {
  readonly iam: LocalIam;
  /** The local Personalize endpoint's URL. */
  readonly personalizeEndpoint: string;
  readonly timers: VirtualTimers;
  readonly region?: string;
  /** The other services its tasks may call (SSM, EventBridge), for a state machine that calls them. */
  readonly services?: LocalServices;
}

export interface ExecutionOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly output?: unknown;
  /** For a failed execution: the error's name and cause, as Step Functions reports them. */
  readonly error?: string;
  readonly cause?: string;
  /** The state transitions the execution made, retries included: what a standard workflow bills. */
  readonly transitions: number;
  /** The names of the states entered, in order. */
  readonly statesEntered: readonly string[];
}

export interface ExecutionStart {
  readonly name: string;
  readonly input: unknown;
  /** Called once the execution has entered `state`; may stop the execution (`abort`). */
  readonly onStateEntered?: (state: string, abort: () => void) => void;
}

export class LocalStateMachine {
  private readonly definition: StateMachineDefinition;
  private readonly roleArn: string;
  private readonly client: PersonalizeClient;
  private readonly session: RoleSession;
  private inFlight = 0;

  constructor(
    deployment: LocalDeployment,
    private readonly logicalId: string,
    private readonly options: LocalStateMachineOptions,
  ) {
    const properties = deployment.requestPropertiesOf(logicalId);
    this.definition = JSON.parse(String(properties.DefinitionString));
    this.roleArn = String(properties.RoleArn);
    const role = deployment.policyWorld().roleByArn(this.roleArn);
    if (role === undefined) {
      throw new Error(`The role ${this.roleArn} of ${logicalId} is not in the template.`);
    }
    // The job roles Personalize assumes are granted by the library too: their use is measured with the state machine's.
    // The handlers' role is not: an execution makes no call with it.
    options.iam.trackGrants([role, ...deployment.policyWorld().roles.filter(isPersonalizeRole)]);
    this.session = { world: () => deployment.policyWorld(), roleArn: this.roleArn, sessionName: logicalId };
    const credentials = options.iam.sessionCredentials(this.session);
    this.client = new PersonalizeClient({ region: options.region ?? 'us-east-1', endpoint: options.personalizeEndpoint, credentials, maxAttempts: 1 });
  }

  /** The definition as deployed, for a validator. */
  get deployedDefinition(): StateMachineDefinition {
    return this.definition;
  }

  /** Runs one execution to its end on the virtual timers. */
  async execute(start: ExecutionStart): Promise<ExecutionOutcome> {
    const machine = new StateMachine(this.definition, { validationOptions: { checkPaths: false } });
    const context = {
      Execution: { Id: `${this.stateMachineArn()}:${start.name}`.replace(':stateMachine:', ':execution:'), Input: start.input as JSONInput, Name: start.name, RoleArn: this.roleArn, StartTime: new Date().toISOString() },
      StateMachine: { Id: this.stateMachineArn(), Name: this.logicalId },
    };
    const execution = machine.run(start.input as JSONInput, { context, overrides: { taskResourceLocalHandlers: this.taskHandlers() } });
    const statesEntered: string[] = [];
    let transitions = 0;
    const logged = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered' || event.type === 'StateRetried') {
          transitions++;
        }
        if (event.type === 'StateEntered') {
          statesEntered.push(event.state.name);
          start.onStateEntered?.(event.state.name, () => execution.abort());
        }
      }
    })();
    let ended = false;
    const result = execution.result.then(
      (output: unknown) => ({ status: 'SUCCEEDED' as const, output }),
      (error: Error) =>
        error.name === 'ExecutionAbortedError'
          ? { status: 'ABORTED' as const }
          : { status: 'FAILED' as const, error: (error.cause as Error | undefined)?.name ?? error.name, cause: (error.cause as Error | undefined)?.message ?? error.message },
    );
    void result.finally(() => {
      ended = true;
    });
    while (!ended) {
      await turn();
      if (ended || this.inFlight > 0) {
        continue;
      }
      if (this.options.timers.pending() === 0) {
        await turn();
        if (!ended && this.inFlight === 0) {
          throw new Error(`The execution ${start.name} is waiting on nothing: no call in flight and no timer pending.`);
        }
        continue;
      }
      this.options.timers.next();
    }
    await logged;
    return { ...(await result), transitions, statesEntered };
  }

  private taskHandlers(): Record<string, (input: JSONInput) => Promise<JSONInput>> {
    return Object.fromEntries(
      statesOf(this.definition)
        .filter(([, state]) => state.Type === 'Task')
        .map(([name, state]) => {
          const action = personalizeActionOf(String(state.Resource));
          const call = action !== undefined ? (input: unknown) => callPersonalize(this.client, action, input) : this.options.services?.handlerFor(String(state.Resource), this.session);
          if (call === undefined) {
            throw new Error(`The task ${name} calls ${state.Resource}, which the local world does not answer.`);
          }
          return [name, async (input: JSONInput) => (await this.inFlightWhile(() => call(input))) as JSONInput];
        }),
    );
  }

  private async inFlightWhile<T>(call: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await call();
    } finally {
      this.inFlight--;
    }
  }

  private stateMachineArn(): string {
    return `arn:aws:states:${this.options.region ?? 'us-east-1'}:111122223333:stateMachine:${this.logicalId}`;
  }
}

type JSONInput = Parameters<StateMachine['run']>[0];

interface StateDefinition {
  readonly Type: string;
  readonly Resource?: string;
  readonly ItemProcessor?: { readonly States: Record<string, StateDefinition> };
  readonly Iterator?: { readonly States: Record<string, StateDefinition> };
  readonly Branches?: readonly { readonly States: Record<string, StateDefinition> }[];
}

/**
 * Every state of a definition, those of its Map and Parallel states too: the interpreter hands
 * its overrides, keyed by state name, to the state machines nested in them.
 */
function statesOf(definition: { readonly States: unknown }): [string, StateDefinition][] {
  return Object.entries(definition.States as Record<string, StateDefinition>).flatMap(([name, state]) => [
    [name, state] as [string, StateDefinition],
    ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].flatMap((nested) => (nested === undefined ? [] : statesOf(nested))),
  ]);
}

/** One turn of the event loop, on the real setImmediate: the interpreter's promises settle, a call's I/O moves on. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
