import { RolePolicies, statementsOf } from './policy-world';

/** The construct id of the stack's handlers (lib/engine/job-handlers.ts), which starts their role's logical id. */
const HANDLERS_ROLE_PREFIX = 'PersonalizeJobHandlersRole';

/**
 * Whether the library grants `role` what it needs for every call it makes or lets Personalize
 * make: the handlers' role, and any role Personalize may assume (a job's, given or made). The
 * provider framework's roles are aws-cdk-lib's, and their calls (Lambda Invoke, StartExecution)
 * are made inside the local deployment, not decided by IAM.
 */
export function isLibraryGrantedRole(role: RolePolicies): boolean {
  return role.logicalId.startsWith(HANDLERS_ROLE_PREFIX) || isPersonalizeRole(role);
}

/** Whether Personalize may assume `role`: a job's role, given or made. */
export function isPersonalizeRole(role: RolePolicies): boolean {
  return statementsOf(role.trustPolicy).some((statement) => JSON.stringify(statement.Principal ?? {}).includes('personalize.amazonaws.com'));
}
