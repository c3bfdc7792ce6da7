import { workReferencesOf } from '../../engine/work-references';

/**
 * CreateBatchInferenceJob is authorized on the solution version (of the solution type) as well as
 * on the job it creates: the version resource to grant it on, for the handlers and a state machine.
 */
export function inferenceCreateVersionResource(solutionVersionArn: string): string {
  return workReferencesOf(solutionVersionArn)?.grantResource ?? solutionVersionArn;
}
