import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings } from '../../engine/acknowledged-findings';
import type { JobHandlers } from '../../engine/job-handlers';
import { nagName } from '../../engine/job-findings';
import { AUTO_TRAINING_ACTIONS, LIST_ACTION, SOLUTION_VERSION, STOP_ACTION } from './contract';

/**
 * Lets the handlers train versions of one solution and nothing else: create them, find them
 * among the solution's versions (ListSolutionVersions supports no resource-level permission, so
 * it is allowed on "*"), read them and their metrics, stop them, tag them only when asked, and set
 * the solution's automatic training only when asked. A version's ARN is the solution's ARN
 * followed by `/` and the version's id, and IAM takes it as of the solution type.
 */
export function allowTraining(handlers: JobHandlers, solutionArn: string, tagging: boolean, settingAutoTraining: boolean): void {
  const versions = `${solutionArn}/*`;
  acknowledgeVersionsGrant(handlers.grantee, versions);
  handlers.allow(SOLUTION_VERSION.createAction, solutionArn);
  handlers.allowWithoutResource(LIST_ACTION);
  for (const action of [SOLUTION_VERSION.describeAction, ...(SOLUTION_VERSION.resultActions ?? []), STOP_ACTION]) {
    handlers.allow(action, versions);
  }
  if (tagging) {
    handlers.allow('personalize:TagResource', versions);
  }
  if (settingAutoTraining) {
    AUTO_TRAINING_ACTIONS.forEach((action) => handlers.allow(action, solutionArn));
  }
}

const CHOSEN_BY_PERSONALIZE =
  'Personalize chooses a solution version\'s id when training starts; the wildcard reaches the versions of this one solution only.';

/** The handlers' role reads, stops and tags the versions of a solution it trains: `versionsArn` ends with `/*`. */
function acknowledgeVersionsGrant(role: iam.IRole, versionsArn: string): void {
  const resource = nagName(Stack.of(role).resolve(versionsArn));
  acknowledgeFindings(role, { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason: CHOSEN_BY_PERSONALIZE });
}
