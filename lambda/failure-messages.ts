import { JobDefinition, jobNameOf } from '../lib/job-contract';
import { regionOfArn } from '../lib/waiter-contract';
import { formatDuration, TIMEOUT_SECONDS } from '../lib/waiter-timing';
import { describeThrown } from './waiter-error';

/*
 * The reasons a waiter fails a deployment, as CloudFormation shows them. Each names the job, says
 * what happened and what to do; anything of unbounded length (Personalize's own text) comes last,
 * because a long reason is cut at its end.
 */

/** `createdByStack`: the job is a BatchSegmentJob's, which the next deployment replaces with a new one. */
export function jobFailedMessage(jobArn: string, failureReason: string | undefined, createdByStack: boolean): string {
  const whatToDo = createdByStack
    ? 'Fix the cause (often the input, or what the job\'s role may read and write) and deploy again: the next deployment starts a new job'
    : 'Fix the cause and point the waiter at a new job';
  return (
    `Batch segment job ${jobArn} ended CREATE FAILED. ${whatToDo}, ` +
    `or set failOnJobFailure: false to let the deployment go on and read the Status attribute. ` +
    `Personalize's reason: ${failureReason?.trim() || '(none given)'}`
  );
}

export function describeRejectedMessage(jobArn: string, error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ResourceNotFoundException') {
    return (
      `Batch segment job ${jobArn} does not exist in ${regionOfArn(jobArn)}: check the job name, account and ` +
      `region in the ARN. (${describeThrown(error)})`
    );
  }
  if (name === 'InvalidInputException') {
    return `Personalize rejected the batch segment job ARN ${jobArn} as invalid. (${describeThrown(error)})`;
  }
  return `Could not describe batch segment job ${jobArn}. (${describeThrown(error)})`;
}

/** Why a Describe or Create that retrying cannot help failed the deployment. */
export function rejectedMessage(jobArn: string, job: JobDefinition | undefined, failure: { readonly error: unknown; readonly call: 'Describe' | 'Create' }): string {
  // Only a resource with a job to create ever calls Create.
  return failure.call === 'Create'
    ? createRejectedMessage(jobArn, job!, failure.error)
    : describeRejectedMessage(jobArn, failure.error);
}

export function createRejectedMessage(jobArn: string, job: JobDefinition, error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  const what =
    name === 'ResourceNotFoundException'
      ? `Personalize could not find the solution version ${job.solutionVersionArn}${job.filterArn ? ` or the filter ${job.filterArn}` : ''}: ` +
        `check that it exists, is ACTIVE and lives in ${regionOfArn(jobArn)}.`
      : name === 'InvalidInputException'
        ? 'Personalize rejected the job\'s settings: check the solution version, the S3 paths and the role it names.'
        : 'Personalize refused to create it.';
  return `Could not create batch segment job ${jobNameOf(jobArn)} in ${regionOfArn(jobArn)}. ${what} (${describeThrown(error)})`;
}

export function accessDeniedMessage(jobArn: string, elapsedSeconds: number, error: unknown, call: 'Describe' | 'Create'): string {
  const granted =
    call === 'Describe'
      ? `personalize:DescribeBatchSegmentJob on this ARN`
      : `personalize:CreateBatchSegmentJob on this ARN and iam:PassRole on the job's role`;
  return (
    `Access to batch segment job ${jobArn} is still denied after ${formatDuration(elapsedSeconds)}. The handlers' ` +
    `role is granted ${granted}: check permissions boundaries, service ` +
    `control policies and, for a job in another account, that account's policies. (${describeThrown(error)})`
  );
}

/** The "last status" of a job that could not be created yet. */
export function waitingForSlotStatus(jobArn: string, error: unknown): string {
  return (
    `not created yet, because ${regionOfArn(jobArn)} stayed at Personalize's limit of five pending or in-progress ` +
    `batch segment jobs (${describeThrown(error)})`
  );
}

export function timedOutMessage(
  jobArn: string,
  lastStatus: string,
  elapsedSeconds: number,
  timeoutSeconds: number,
): string {
  const howToWaitLonger =
    timeoutSeconds < TIMEOUT_SECONDS.max
      ? `To wait longer, raise the waiter's timeout (now ${formatDuration(timeoutSeconds)}; at most ` +
        `${formatDuration(TIMEOUT_SECONDS.max)}).`
      : `The timeout is already at its most (${formatDuration(TIMEOUT_SECONDS.max)}). Start the job earlier, or deploy ` +
        `what needs its results in a later deployment.`;
  return (
    `Gave up waiting for batch segment job ${jobArn} after ${formatDuration(elapsedSeconds)}; ` +
    `its last status was ${lastStatus}. ${howToWaitLonger}`
  );
}
