/**
 * The call AWS refused, as its AccessDeniedException message names it: "User: <principal> is not
 * authorized to perform: <action> on resource: <resource> because …" (IAM User Guide,
 * "Troubleshoot access denied error messages"). Undefined for a message that does not name them.
 */
export interface RefusedCall {
  readonly action: string;
  readonly resource: string;
}

const REFUSAL = /is not authorized to perform: (\S+) on resource: (\S+)/;

export function refusedCallOf(error: unknown): RefusedCall | undefined {
  const match = error instanceof Error ? REFUSAL.exec(error.message) : null;
  return match === null ? undefined : { action: match[1], resource: match[2] };
}
