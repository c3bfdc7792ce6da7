import type { LocalIam, RoleSession } from '../iam/local-iam';
import { SdkTaskError } from './sdk-task';

/*
 * The other services a state machine of the examples calls, as the local world answers them: an
 * SSM parameter store (the AWS SDK integration's getParameter and putParameter) and EventBridge's
 * default bus (the optimized integration's putEvents). Each call is decided by IAM with the state
 * machine's role, on the resource the Service Authorization Reference names (a parameter's ARN,
 * the bus's ARN), and refused as Step Functions reports a refused task:
 * `<Service>.AccessDeniedException`.
 */

const ACCOUNT = '111122223333';

/** An event a run published, as PutEvents took it. */
export interface PublishedEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  /** When it was published, in clock milliseconds. */
  readonly at: number;
}

export class LocalServices {
  /** Parameter name to value; a parameter of the template is read from it when first asked for. */
  readonly parameters = new Map<string, string>();
  readonly events: PublishedEvent[] = [];

  constructor(
    private readonly iam: LocalIam,
    private readonly region: string,
    private readonly initialValueOf: (name: string) => string | undefined,
  ) {}

  /** Answers a task whose resource is `resource`, or undefined when it is no call of these services. */
  handlerFor(resource: string, session: RoleSession): ((input: unknown) => Promise<unknown>) | undefined {
    const sdk = /^arn:[a-z-]+:states:::aws-sdk:ssm:(getParameter|putParameter)$/.exec(resource);
    if (sdk !== null) {
      return sdk[1] === 'getParameter' ? (input) => this.getParameter(session, input as { Name: string }) : (input) => this.putParameter(session, input as { Name: string; Value: string; Overwrite?: boolean });
    }
    if (/^arn:[a-z-]+:states:::events:putEvents$/.test(resource)) {
      return (input) => this.putEvents(session, input as { Entries: { Source: string; DetailType: string; Detail: unknown; EventBusName?: string }[] });
    }
    return undefined;
  }

  private async getParameter(session: RoleSession, { Name }: { Name: string }): Promise<unknown> {
    await this.authorize(session, 'ssm:GetParameter', this.parameterArn(Name), 'Ssm');
    const value = this.parameters.get(Name) ?? this.initialValueOf(Name);
    if (value === undefined) {
      throw new SdkTaskError('Ssm.ParameterNotFoundException', `Parameter ${Name} not found.`);
    }
    return { Parameter: { Name, Value: value, Type: 'String', Version: 1 } };
  }

  private async putParameter(session: RoleSession, { Name, Value, Overwrite }: { Name: string; Value: string; Overwrite?: boolean }): Promise<unknown> {
    await this.authorize(session, 'ssm:PutParameter', this.parameterArn(Name), 'Ssm');
    if (Overwrite !== true && (this.parameters.has(Name) || this.initialValueOf(Name) !== undefined)) {
      throw new SdkTaskError('Ssm.ParameterAlreadyExistsException', `The parameter ${Name} already exists.`);
    }
    this.parameters.set(Name, Value);
    return { Version: 2, Tier: 'Standard' };
  }

  private async putEvents(session: RoleSession, { Entries }: { Entries: { Source: string; DetailType: string; Detail: unknown; EventBusName?: string }[] }): Promise<unknown> {
    for (const entry of Entries) {
      await this.authorize(session, 'events:PutEvents', `arn:aws:events:${this.region}:${ACCOUNT}:event-bus/${entry.EventBusName ?? 'default'}`, 'EventBridge');
      // The integration takes the detail as JSON; Step Functions serializes an object given there.
      const detail = typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail;
      this.events.push({ source: entry.Source, detailType: entry.DetailType, detail: detail as Record<string, unknown>, at: Date.now() });
    }
    return { Entries: Entries.map((_, index) => ({ EventId: `local-event-${this.events.length - Entries.length + index}` })), FailedEntryCount: 0 };
  }

  private parameterArn(name: string): string {
    return `arn:aws:ssm:${this.region}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`;
  }

  private async authorize(session: RoleSession, action: string, resource: string, service: string): Promise<void> {
    const decision = await this.iam.decide(session.world(), { requester: { session }, action, resource });
    if (!decision.allowed) {
      throw new SdkTaskError(`${service}.AccessDeniedException`, decision.refusal ?? `Not authorized to perform ${action} on ${resource}`);
    }
  }
}
