import type { JobKind } from './job-kind';

/** The service a job's role is passed to: the only one `iam:PassRole` names. */
export const PERSONALIZE_SERVICE = 'personalize.amazonaws.com';

/** One action on one resource (an ARN or an IAM pattern), with the conditions IAM must find true. */
export interface JobGrant {
  readonly action: string;
  readonly resource: string;
  readonly conditions?: Record<string, Record<string, string>>;
}

/**
 * What creating the jobs of `kind` that `jobArnPattern` matches needs, whoever creates them (the
 * handlers of a stack, a state machine's role): the Create itself first, then passing `roleArn`
 * to Personalize and no other service (a kind that runs with a role), then tagging the jobs when they are tagged.
 */
export function createGrants(kind: JobKind, jobArnPattern: string, roleArn: string | undefined, tagging: boolean): JobGrant[] {
  return [
    { action: kind.createAction, resource: jobArnPattern },
    ...(roleArn !== undefined ? [{ action: 'iam:PassRole', resource: roleArn, conditions: { StringEquals: { 'iam:PassedToService': PERSONALIZE_SERVICE } } }] : []),
    ...(tagging ? [{ action: 'personalize:TagResource', resource: jobArnPattern }] : []),
  ];
}
