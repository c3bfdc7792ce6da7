import type { IConstruct } from 'constructs';
import type { JobKind } from '../job-kind';
import { namePrefixFromPath } from '../job-name-prefix';
import { jobNamePrefixMaxLength, validateJobNamePrefix } from '../job-validation';
import { RUN_NAME_SUFFIX_LENGTH } from './job-run';
import type { JobRunOptions } from './job-run-options';

/** The start of a run's job names: the one given, checked, or one made from the run's path. */
export function runNamePrefix(scope: IConstruct, given: string | undefined): string {
  const namePrefix = given ?? namePrefixFromPath(scope, jobNamePrefixMaxLength(RUN_NAME_SUFFIX_LENGTH));
  validateJobNamePrefix(scope, namePrefix, 'jobNamePrefix', RUN_NAME_SUFFIX_LENGTH);
  return namePrefix;
}

/** A stack's construct that creates its work and keeps what defines it (`_jobDefinitionProps`), without how the stack waits. */
export interface RunnableJob extends IConstruct {
  readonly _jobDefinitionProps?: { readonly jobNamePrefix?: string };
}

/**
 * What a run of the work that a stack's construct `job` creates is made of: the construct's own
 * definition, role and name prefix, unless `options` gives another prefix. The run grants the
 * role and the buckets again what they already have, and IAM's documents keep one copy.
 */
export function runPropsLike<P>(scope: IConstruct, kind: JobKind, job: RunnableJob, options: JobRunOptions): P & JobRunOptions {
  // The construct of `kind` stored its own props: a kind's props type, P, for its run.
  const props = job._jobDefinitionProps as (P & { readonly jobNamePrefix?: string }) | undefined;
  if (props === undefined) {
    throw new Error(`${scope.node.path}: ${job.node.path} is not a ${kind.noun} the stack creates; a run repeats the work of a construct that creates it.`);
  }
  const namePrefix = options.jobNamePrefix ?? props.jobNamePrefix!;
  if (options.jobNamePrefix === undefined && namePrefix.length > jobNamePrefixMaxLength(RUN_NAME_SUFFIX_LENGTH)) {
    throw new Error(
      `${scope.node.path}: the jobNamePrefix of ${job.node.path}, ${JSON.stringify(namePrefix)}, is longer than the ${jobNamePrefixMaxLength(RUN_NAME_SUFFIX_LENGTH)} characters ` +
        `a run's job name leaves for it (a run adds "-" and ${RUN_NAME_SUFFIX_LENGTH}): give the run a jobNamePrefix of its own.`,
    );
  }
  return { ...props, ...options, jobNamePrefix: namePrefix };
}
