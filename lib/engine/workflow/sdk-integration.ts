/*
 * Step Functions' AWS SDK integrations (facts.md, "Step Functions and EventBridge Scheduler"): a
 * task's resource is `arn:aws:states:::aws-sdk:<service>:<apiAction>` with the action in lower
 * camel case, its parameters are PascalCase even for a camelCase API such as Personalize's, and a
 * service's error reaches Retry and Catch as `<Service>.<ErrorName>`, with `Exception` added where
 * the name lacks it.
 */

/** The API action of an IAM action, as an SDK integration names it: `personalize:CreateBatchSegmentJob` gives `createBatchSegmentJob`. */
export function sdkApiAction(iamAction: string): string {
  const action = iamAction.slice(iamAction.indexOf(':') + 1);
  return action.charAt(0).toLowerCase() + action.slice(1);
}

/**
 * The members of Personalize's requests that are maps (the API reference's "String to string
 * map"): their keys are the user's data, which Step Functions passes as they are, not member names.
 */
const DATA_MAP_MEMBERS: ReadonlySet<string> = new Set(['itemExplorationConfig', 'rankingInfluence']);

/** A request as the SDK takes it, with PascalCase member names at every depth and no undefined values, as a task's parameters. */
export function sdkParameters(request: object): Record<string, unknown> {
  return pascalCased(request) as Record<string, unknown>;
}

function pascalCased(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(pascalCased);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => [key.charAt(0).toUpperCase() + key.slice(1), DATA_MAP_MEMBERS.has(key) ? item : pascalCased(item)]),
  );
}

/** How Retry and Catch name Personalize's error `name` (`ResourceAlreadyExistsException`). */
export function personalizeError(name: string): string {
  return `Personalize.${name.endsWith('Exception') ? name : `${name}Exception`}`;
}
