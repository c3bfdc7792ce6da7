import type { CallFailureKind } from './call-failure';
import { createJob } from './create-job';
import { describeJob } from './describe-job';
import { errorNameOf } from './handler-error';
import type { DescribeDetail, DescribedJob, HandlerKind, JobDefinition } from './handler-kind';

export type JobOutcome =
  | { readonly kind: 'described'; readonly job: DescribedJob }
  /** The job was created by this call or an earlier one, and is not described yet. */
  | { readonly kind: 'started' }
  /** The job could not be created yet: the region is at Personalize's limit of jobs in flight. */
  | { readonly kind: 'waitingForSlot'; readonly error: unknown }
  /** Personalize found the job's settings invalid, perhaps only until IAM has propagated a new role or policy. */
  | { readonly kind: 'settingsRejected'; readonly error: unknown }
  /** The job could not be created yet: what it is made from is not ready (`status` says what). */
  | { readonly kind: 'notReady'; readonly status: string; readonly error: unknown }
  | { readonly kind: CallFailureKind; readonly error: unknown; readonly call: 'Describe' | 'Create' };

/**
 * Describes the job (with its results for `detail` 'results'); a job that this resource is to
 * create, and that Personalize says does not exist, is created. Any other failed Describe leaves the job's existence unknown, so nothing is
 * created then. Never throws: every outcome is for the caller to act on.
 */
export async function observeJob(jobKind: HandlerKind, ref: string, job: JobDefinition | undefined, detail: DescribeDetail): Promise<JobOutcome> {
  const described = await describeJob(jobKind, ref, detail);
  if (described.kind === 'described') {
    return described;
  }
  const notCreatedYet = described.kind === 'permanent' && errorNameOf(described.error) === 'ResourceNotFoundException';
  if (job === undefined || !notCreatedYet) {
    return { ...described, call: 'Describe' };
  }
  const created = await createJob(jobKind, ref, job);
  return created.kind === 'started' || created.kind === 'waitingForSlot' || created.kind === 'settingsRejected' || created.kind === 'notReady'
    ? created
    : { ...created, call: 'Create' };
}
