import type { JobKind } from '../../lib/engine/job-kind';
import { regionOfArn } from '../../lib/engine/wait-contract';
import { formatDuration, TIMEOUT_SECONDS } from '../../lib/engine/wait-timing';
import type { HandlerKind, JobDefinition } from './handler-kind';
import type { StopOutcome } from './stop-job';
import { describeThrown, errorNameOf } from './handler-error';
import { refusedCallOf } from './refused-call';

/*
 * The reasons a wait fails a deployment, as CloudFormation shows them. Each names the job, says
 * what happened and what to do; anything of unbounded length (Personalize's own text) comes last,
 * because a long reason is cut at its end.
 */

/** `createdByStack`: the job is a construct's own, which the next deployment replaces with a new one. */
export function jobFailedMessage(kind: JobKind, ref: string, status: string, failureReason: string | undefined, createdByStack: boolean): string {
  const whatToDo = createdByStack
    ? 'Fix the cause (often the input, or what the job\'s role may read and write) and deploy again: the next deployment starts a new job'
    : 'Fix the cause and point the waiter at a new job';
  return (
    `${capitalized(kind.noun)} ${ref} ended ${status}. ${whatToDo}, ` +
    `or set failOnJobFailure: false to let the deployment go on and read the Status attribute. ` +
    `Personalize's reason: ${failureReason?.trim() || '(none given)'}`
  );
}

export function describeRejectedMessage(kind: JobKind, ref: string, error: unknown): string {
  const name = errorNameOf(error);
  if (name === 'ResourceNotFoundException') {
    return (
      `${capitalized(kind.noun)} ${ref} does not exist in ${regionOfArn(ref)}: check the job name, account and ` +
      `region in the ARN. (${describeThrown(error)})`
    );
  }
  if (name === 'InvalidInputException') {
    return `Personalize rejected the ${kind.noun} ARN ${ref} as invalid. (${describeThrown(error)})`;
  }
  return `Could not describe ${kind.noun} ${ref}. (${describeThrown(error)})`;
}

/** Why a Describe or Create that retrying cannot help failed the deployment. */
export function rejectedMessage(
  jobKind: HandlerKind,
  ref: string,
  job: JobDefinition | undefined,
  failure: { readonly error: unknown; readonly call: 'Describe' | 'Create' },
): string {
  // Only a resource with a job to create ever calls Create.
  return failure.call === 'Create'
    ? createRejectedMessage(jobKind, ref, job!, failure.error)
    : describeRejectedMessage(jobKind.kind, ref, failure.error);
}

/**
 * Personalize's refusal of a Create whose role cannot reach the data: "Insufficient privileges for
 * accessing data in S3 …" (reported in public threads), or the role or key it cannot use.
 */
const DATA_ACCESS_REFUSED = /insufficient privileges|cannot assume|not authorized/i;

function dataAccessRefused(kind: JobKind): string {
  return (
    `Personalize could not reach the ${kind.noun}'s data with its role: the role's trust policy must let personalize.amazonaws.com ` +
    'assume it, and the role, the bucket policy (for the service personalize.amazonaws.com) and the policy of any KMS key must ' +
    'allow the reads and writes. This library sets them up on a bucket and key of the stack; on one from elsewhere, add them there.'
  );
}

export function createRejectedMessage(jobKind: HandlerKind, ref: string, job: JobDefinition, error: unknown): string {
  const name = errorNameOf(error);
  const what =
    name === 'ResourceNotFoundException'
      ? jobKind.missingOnCreate(job, regionOfArn(ref))
      : name === 'InvalidInputException'
        ? DATA_ACCESS_REFUSED.test(error instanceof Error ? error.message : '')
          ? dataAccessRefused(jobKind.kind)
          : jobKind.invalidOnCreate(job)
        : 'Personalize refused to create it.';
  return `Could not create ${jobKind.kind.noun} ${jobKind.nameOfRef(ref)} in ${regionOfArn(ref)}. ${what} (${describeThrown(error)})`;
}

/**
 * Why a refusal that outlasted IAM's propagation fails the deployment, and what to do: when AWS
 * names the refused action, whether this library grants it for the kind (then something else
 * stands in the way) or not (then the library is at fault, and the statement it lacks is named).
 */
export function accessDeniedMessage(kind: JobKind, ref: string, elapsedSeconds: number, error: unknown): string {
  const stillDenied = `Access to ${kind.noun} ${ref} is still denied after ${formatDuration(elapsedSeconds)}.`;
  const refused = refusedCallOf(error);
  if (refused === undefined) {
    return (
      `${stillDenied} This library grants the handlers' role what a ${kind.noun} needs: check permissions boundaries, service ` +
      `control policies and resource policies, and for a job in another account, that account's policies. (${describeThrown(error)})`
    );
  }
  const what = `AWS refused ${refused.action} on ${refused.resource}.`;
  if (kind.grantedActions.includes(refused.action)) {
    return (
      `${stillDenied} ${what} This library grants its handlers' role ${refused.action} for this ${kind.noun}, so something else ` +
      `stands in the way: a permissions boundary, a service control policy or a resource policy (for a job in another account, ` +
      `that account's policies). (${describeThrown(error)})`
    );
  }
  return (
    `${stillDenied} ${what} This library does not grant its handlers' role ${refused.action}: a defect in ` +
    `cdk-personalize-batch-jobs; please report it. Until it is fixed, add to the role a statement that allows ${refused.action} ` +
    `on ${refused.resource}. (${describeThrown(error)})`
  );
}

/** The "last status" of a job that could not be created yet. */
export function waitingForSlotStatus(kind: JobKind, ref: string, error: unknown): string {
  return (
    `not created yet, because ${regionOfArn(ref)} stayed at Personalize's limit of ${inWords(kind.inFlightLimit)} pending or in-progress ` +
    `${kind.noun}s (${describeThrown(error)})`
  );
}

export function timedOutMessage(kind: JobKind, ref: string, lastStatus: string, elapsedSeconds: number, timeoutSeconds: number): string {
  const howToWaitLonger =
    timeoutSeconds < TIMEOUT_SECONDS.max
      ? `To wait longer, raise the waiter's timeout (now ${formatDuration(timeoutSeconds)}; at most ` +
        `${formatDuration(TIMEOUT_SECONDS.max)}).`
      : `The timeout is already at its most (${formatDuration(TIMEOUT_SECONDS.max)}). Start the job earlier, or deploy ` +
        `what needs its results in a later deployment.`;
  return (
    `Gave up waiting for ${kind.noun} ${ref} after ${formatDuration(elapsedSeconds)}; ` +
    `its last status was ${lastStatus}. ${howToWaitLonger}`
  );
}

/** A timeout's message, with what became of the work it stopped: a training, which bills until it ends. */
export function stoppedOnTimeoutMessage(kind: JobKind, timedOut: string, stopped: StopOutcome): string {
  const what =
    stopped.kind === 'stopRequested'
      ? `Asked Personalize to stop the ${kind.noun}, which was still running.`
      : stopped.kind === 'notRunning'
        ? `The ${kind.noun} was not running any more.`
        : `Could not stop the ${kind.noun} (${describeThrown(stopped.error)}): the rollback's Delete tries again.`;
  return `${what} ${timedOut}`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SMALL_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function inWords(count: number): string {
  return SMALL_NUMBERS[count] ?? String(count);
}
