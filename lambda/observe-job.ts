import type { BatchSegmentJob } from '@aws-sdk/client-personalize';
import type { JobDefinition } from '../lib/job-contract';
import type { CallFailureKind } from './call-failure';
import { createJob } from './create-job';
import { describeJob } from './describe-job';

export type JobOutcome =
  | { readonly kind: 'described'; readonly job: BatchSegmentJob }
  /** The job was created by this call or an earlier one, and is not described yet. */
  | { readonly kind: 'started' }
  /** The job could not be created yet: the region is at Personalize's limit of jobs in flight. */
  | { readonly kind: 'waitingForSlot'; readonly error: unknown }
  /** Personalize found the job's settings invalid, perhaps only until IAM has propagated a new role or policy. */
  | { readonly kind: 'settingsRejected'; readonly error: unknown }
  | { readonly kind: CallFailureKind; readonly error: unknown; readonly call: 'Describe' | 'Create' };

/**
 * Describes the job; a job that does not exist yet and that this resource is to create is
 * created. Never throws: every outcome is for the caller to act on.
 */
export async function observeJob(jobArn: string, job: JobDefinition | undefined): Promise<JobOutcome> {
  const described = await describeJob(jobArn);
  if (described.kind === 'described') {
    return described;
  }
  const notCreatedYet = described.kind === 'permanent' && described.error instanceof Error && described.error.name === 'ResourceNotFoundException';
  if (job === undefined || !notCreatedYet) {
    return { ...described, call: 'Describe' };
  }
  const created = await createJob(jobArn, job);
  return created.kind === 'started' || created.kind === 'waitingForSlot' || created.kind === 'settingsRejected'
    ? created
    : { ...created, call: 'Create' };
}
