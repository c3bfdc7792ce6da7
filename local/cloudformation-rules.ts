import { randomBytes } from 'crypto';

/**
 * How CloudFormation runs a stack operation, as far as a custom resource can see it. Each rule
 * names its source; ../shared/reference/facts.md ("How CloudFormation runs a stack") has them all,
 * with how sure each is. The local deployment follows these and nothing friendlier.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * The resources among `logicalIds` that each one waits for: its `DependsOn` and every `Ref` or
 * `Fn::GetAtt` in its properties, followed through resources outside the set (a role, a policy)
 * to the ones inside it. CloudFormation starts a resource once all of these have completed, and
 * runs resources whose dependencies are met side by side (AWS CloudFormation User Guide, "DependsOn
 * attribute": "resources are created in parallel unless a dependency is declared").
 */
export function dependenciesWithin(resources: Record<string, Json>, logicalIds: readonly string[]): Map<string, Set<string>> {
  const inSet = new Set(logicalIds);
  const direct = (id: string): string[] => {
    const resource = resources[id];
    if (resource === undefined) {
      return [];
    }
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    return [...new Set([...dependsOn, ...referencesIn(resource.Properties)])].filter((target) => target !== id && resources[target] !== undefined);
  };
  const graph = new Map<string, Set<string>>();
  for (const id of logicalIds) {
    const found = new Set<string>();
    const seen = new Set<string>();
    const pending = direct(id);
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (seen.has(next)) {
        continue;
      }
      seen.add(next);
      if (inSet.has(next)) {
        found.add(next);
      } else {
        pending.push(...direct(next));
      }
    }
    graph.set(id, found);
  }
  return graph;
}

function referencesIn(value: Json): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(referencesIn);
  }
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  if (typeof value.Ref === 'string') {
    return [value.Ref];
  }
  if (Array.isArray(value['Fn::GetAtt'])) {
    return [String(value['Fn::GetAtt'][0])];
  }
  return Object.values(value).flatMap(referencesIn);
}

/**
 * The physical id of a cancelled create's rollback Delete: the handler never answered, so
 * CloudFormation sends one it made up (aws/aws-cdk PR #36951, "CloudFormation will send you a fake
 * physical identifier"; coverage-roadmap#1814). Its format is undocumented; this one is in the
 * style of CloudFormation's generated names, and no handler may parse it.
 */
export function madeUpPhysicalId(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
}

/**
 * What the rollback sends a resource that an update touched (facts.md, with its sources):
 * - one that answered a new physical id (SUCCESS or FAILED) was replaced: the rollback deletes the
 *   new id and the resource gets its old id back, with no reverse Update (aws/aws-cdk#22670,
 *   #13527, #30012);
 * - one that kept its id, and one whose update was cancelled, gets a reverse Update: the old
 *   properties as ResourceProperties, the new as OldResourceProperties (aws-cdk
 *   docs/CLOUDFORMATION.md; #31541), with the id recorded before the update [the id: inferred].
 */
export function rollbackOfUpdate(oldPhysicalId: string, answeredPhysicalId: string | undefined): 'deleteNewId' | 'reverseUpdate' {
  return answeredPhysicalId !== undefined && answeredPhysicalId !== oldPhysicalId ? 'deleteNewId' : 'reverseUpdate';
}
