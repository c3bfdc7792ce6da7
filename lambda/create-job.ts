import { CreateBatchSegmentJobCommand } from '@aws-sdk/client-personalize';
import { JobDefinition, jobNameOf } from '../lib/job-contract';
import { regionOfArn } from '../lib/waiter-contract';
import { CallFailureKind, classifyCallFailure } from './call-failure';
import { personalizeClientFor } from './personalize-client';

export type CreateOutcome =
  /** Personalize accepted the job, now or on an earlier attempt of the same request. */
  | { readonly kind: 'started' }
  /** The region is at Personalize's limit of jobs in flight (or its request rate): try again later. */
  | { readonly kind: 'waitingForSlot'; readonly error: unknown }
  /** Personalize found the job's settings invalid: maybe only until a role or policy of the same deployment has propagated. */
  | { readonly kind: 'settingsRejected'; readonly error: unknown }
  | { readonly kind: CallFailureKind; readonly error: unknown };

/** One CreateBatchSegmentJob call for the job `jobArn` names, in the region it names; never throws. */
export async function createJob(jobArn: string, job: JobDefinition): Promise<CreateOutcome> {
  try {
    await personalizeClientFor(regionOfArn(jobArn), true).send(
      new CreateBatchSegmentJobCommand({
        jobName: jobNameOf(jobArn),
        solutionVersionArn: job.solutionVersionArn,
        filterArn: job.filterArn,
        numResults: job.numResults,
        roleArn: job.roleArn,
        jobInput: { s3DataSource: { path: job.inputPath, kmsKeyArn: job.inputKmsKeyArn } },
        jobOutput: { s3DataDestination: { path: job.outputPath, kmsKeyArn: job.outputKmsKeyArn } },
        tags: tagList(job.tags),
      }),
    );
    return { kind: 'started' };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'ResourceAlreadyExistsException') {
      // The name is this request's own: an earlier attempt created the job and lost the answer.
      return { kind: 'started' };
    }
    if (name === 'LimitExceededException') {
      return { kind: 'waitingForSlot', error };
    }
    if (name === 'InvalidInputException') {
      return { kind: 'settingsRejected', error };
    }
    return { kind: classifyCallFailure(error), error };
  }
}

function tagList(tags: Readonly<Record<string, string>>) {
  const entries = Object.entries(tags);
  return entries.length === 0 ? undefined : entries.map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}
