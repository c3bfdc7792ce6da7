import { Stack, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import type { JobHandlerSettings } from './handler-settings';

/** Where the functions run in a VPC: the VPC, the selected subnets and the security groups given (if any). */
export interface NetworkSettings {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SelectedSubnets;
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
}

/** The settings in force in a stack, each as the first construct that gave it gave it. */
export interface StackSettings {
  readonly network?: NetworkSettings;
  readonly logEncryptionKey?: JobHandlerSettings['logEncryptionKey'];
  readonly reservedConcurrentExecutions?: number;
  readonly tracingEnabled?: boolean;
  readonly memorySize?: number;
}

type SettingName = keyof StackSettings;

/** How a setting is compared and named in an error. */
interface SettingRule<V> {
  /** The props that give it, for the error. */
  readonly props: string;
  /** What two values compare by: a string that tokens keep stable. */
  readonly identity: (value: V, scope: IConstruct) => string;
  /** The value as an error shows it. */
  readonly describe: (value: V) => string;
}

const RULES: { readonly [K in SettingName]-?: SettingRule<NonNullable<StackSettings[K]>> } = {
  network: {
    props: 'vpc, vpcSubnets and securityGroups',
    identity: (network, scope) =>
      JSON.stringify(
        Stack.of(scope).resolve([network.vpc.vpcId, network.subnets.subnetIds, (network.securityGroups ?? []).map((group) => group.securityGroupId)]),
      ),
    describe: (network) =>
      `the VPC ${network.vpc.node.path} (subnets ${network.subnets.subnets.map((subnet) => subnet.node.path).join(', ')}` +
      `${network.securityGroups === undefined ? '' : `; security groups ${network.securityGroups.map((group) => group.node.path).join(', ')}`})`,
  },
  logEncryptionKey: {
    props: 'logEncryptionKey',
    identity: (key, scope) => JSON.stringify(Stack.of(scope).resolve(key.keyArn)),
    describe: (key) => `the key ${key.node.path}`,
  },
  reservedConcurrentExecutions: { props: 'reservedConcurrentExecutions', identity: String, describe: String },
  tracingEnabled: { props: 'tracingEnabled', identity: String, describe: String },
  memorySize: { props: 'memorySize', identity: String, describe: String },
};

/**
 * The handler settings of a stack, gathered from every construct that gives some: a setting given
 * by one applies to all, and a setting two give differently is an error naming both.
 */
export class StackWideSettings {
  private settings: StackSettings = {};
  private readonly requestedBy = new Map<SettingName, string>();

  constructor(private readonly scope: IConstruct) {}

  get current(): StackSettings {
    return this.settings;
  }

  /** Records what `requestedBy` asks for; returns the names of the settings it is the first to give. */
  request(requested: StackSettings, requestedBy: IConstruct): SettingName[] {
    const added: SettingName[] = [];
    for (const name of Object.keys(RULES) as SettingName[]) {
      const value = requested[name];
      if (value === undefined) {
        continue;
      }
      const existing = this.settings[name];
      if (existing === undefined) {
        this.settings = { ...this.settings, [name]: value };
        this.requestedBy.set(name, requestedBy.node.path);
        added.push(name);
      } else if (this.identity(name, existing) !== this.identity(name, value)) {
        throw new Error(this.conflict(name, value, existing, requestedBy));
      }
    }
    return added;
  }

  private identity(name: SettingName, value: unknown): string {
    const rule = RULES[name] as SettingRule<unknown>;
    return Token.isUnresolved(value) ? String(value) : rule.identity(value, this.scope);
  }

  private conflict(name: SettingName, value: unknown, existing: unknown, requestedBy: IConstruct): string {
    const rule = RULES[name] as SettingRule<unknown>;
    return (
      `${requestedBy.node.path}: handlerSettings (${rule.props}) ${rule.describe(value)} differs from ` +
      `${rule.describe(existing)}, which ${this.requestedBy.get(name)} gave. The stack's Personalize constructs share their ` +
      'functions: give them the same handlerSettings, or give them on one construct only.'
    );
  }
}
