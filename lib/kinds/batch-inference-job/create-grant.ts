import { SolutionVersion } from '../solution-version/solution-version';

/**
 * CreateBatchInferenceJob is authorized on the solution version (of the solution type) as well as
 * on the job it creates: the version resource to grant it on, for the handlers and a state machine.
 */
export function inferenceCreateVersionResource(solutionVersionArn: string): string {
  return SolutionVersion._versionGrantOf(solutionVersionArn);
}
