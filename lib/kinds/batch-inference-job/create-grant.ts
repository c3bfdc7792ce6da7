import type { IConstruct } from 'constructs';
import { solutionVersionGrant } from '../../batch-jobs/solution-version-reference';

/**
 * CreateBatchInferenceJob is authorized on the solution version (of the solution type) as well as
 * on the job it creates: the version resource to grant it on, for the handlers and a state machine.
 */
export function inferenceCreateVersionResource(scope: IConstruct, solutionVersionArn: string): string {
  return solutionVersionGrant(scope, solutionVersionArn);
}
