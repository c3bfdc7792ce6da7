import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings } from '../../engine/acknowledged-findings';
import type { JobHandlers } from '../../engine/job-handlers';
import { nagName } from '../../engine/job-findings';
import { homeOf } from '../../engine/job-home';
import { AUTO_TRAINING_ACTIONS, LIST_ACTION, SOLUTION_VERSION, STOP_ACTION } from './contract';

/**
 * Lets the handlers train versions of one solution: create them, find them among the solution's
 * versions (ListSolutionVersions supports no resource-level permission, so it is allowed on "*"),
 * and set the solution's automatic training only when asked. Tagging them (the definition tag, and
 * the user's tags with it) is allowed with the definition tag (JobWaitBase._reuseField). A
 * version's ARN is the solution's ARN followed by `/` and the version's id, and IAM takes it as
 * of the solution type.
 *
 * Reading versions and their metrics, and stopping a training, reach the versions of every
 * solution in the solution's account and region: a rollback or cleanup after an update that moved
 * the construct to another solution must describe, and may have to stop, the training the old
 * solution has, under the policy made for the new one (JobHandlers.allowReads). The handlers stop
 * only trainings whose names carry the hash of this stack and logical id (job-name.ts); a stop
 * ends billing, and creates and deletes nothing.
 */
export function allowTraining(handlers: JobHandlers, solutionArn: string, settingAutoTraining: boolean): void {
  const versions = `${solutionArn}/*`;
  acknowledgeVersionsGrant(handlers.grantee, versions);
  handlers.allow(SOLUTION_VERSION.createAction, solutionArn);
  handlers.allowWithoutResource(LIST_ACTION);
  const home = homeOf(solutionArn);
  handlers.allowReads(SOLUTION_VERSION, home);
  handlers.allowOnEveryJob(SOLUTION_VERSION, home, STOP_ACTION);
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
