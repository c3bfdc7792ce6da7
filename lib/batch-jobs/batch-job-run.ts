import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { BatchJobDefinitionProps } from './batch-job-props';
import { setUpBatchJob } from './batch-job-setup';
import { batchJobRequest } from './contract';
import type { JobKind } from '../engine/job-kind';
import { namePrefixFromPath } from '../engine/job-name-prefix';
import { jobNamePrefixMaxLength, validateJobNamePrefix } from '../engine/job-validation';
import { WaiterAttribute } from '../engine/wait-contract';
import { buildJobRun, JobRunStates, RUN_NAME_SUFFIX_LENGTH } from '../engine/workflow/job-run';
import type { JobRunOptions } from '../engine/workflow/job-run-options';

/** What a batch job kind adds to a run of every batch job. */
export interface BatchJobRunKind {
  readonly kind: JobKind;
  /** Describe's parameter that names the job, and the key of its answer. */
  readonly arnParameter: string;
  readonly describedKey: string;
  readonly numResultsLimits: { readonly min: number; readonly max: number; readonly unit: string };
}

/** What a job of the kind adds to its Create: request fields beyond every batch job's, resources the Create is also authorized on. */
export interface BatchJobRunExtras {
  readonly requestFields?: object;
  readonly createAlsoOn?: readonly string[];
}

/** The states of a run of a batch job (segment or inference) that `props` define, made in `scope`. */
export function batchJobRun(scope: Construct, runKind: BatchJobRunKind, props: BatchJobDefinitionProps & JobRunOptions, extras: BatchJobRunExtras = {}): JobRunStates {
  const { kind, numResultsLimits } = runKind;
  const namePrefix = props.jobNamePrefix ?? namePrefixFromPath(scope, jobNamePrefixMaxLength(RUN_NAME_SUFFIX_LENGTH));
  validateJobNamePrefix(scope, namePrefix, 'jobNamePrefix', RUN_NAME_SUFFIX_LENGTH);
  const setup = setUpBatchJob(scope, kind, props, namePrefix, RUN_NAME_SUFFIX_LENGTH, numResultsLimits);
  const { definition } = setup;
  return buildJobRun(
    scope,
    scope.node.id,
    {
      kind,
      home: setup.home,
      namePrefix,
      createRequest: (jobName) => ({ ...batchJobRequest(jobName, sfn.JsonPath.format(`${definition.outputPath}{}/`, jobName), definition), ...extras.requestFields }),
      createAlsoOn: extras.createAlsoOn ?? [],
      describeArnParameter: runKind.arnParameter,
      describedKey: runKind.describedKey,
      roleArn: definition.roleArn,
      tagging: Object.keys(definition.tags).length > 0,
      resultFields: { [WaiterAttribute.OUTPUT_PATH]: 'JobOutput.S3DataDestination.Path' },
    },
    props,
  );
}

/**
 * What a run of the job that a stack's construct `job` creates is made of: the job's own
 * definition, role and name prefix, unless `options` gives another prefix. The run grants the
 * role and the buckets again what they already have, and IAM's documents keep one copy.
 */
export function batchJobRunPropsLike<P extends BatchJobDefinitionProps>(
  scope: Construct,
  kind: JobKind,
  job: { readonly _jobDefinitionProps?: BatchJobDefinitionProps; readonly node: Construct['node'] },
  options: JobRunOptions,
): P & JobRunOptions {
  // The construct of `kind` stored its own props: a kind's props type, P, for its run.
  const props = job._jobDefinitionProps as P | undefined;
  if (props === undefined) {
    throw new Error(`${scope.node.path}: ${job.node.path} is not a ${kind.noun} the stack creates; a run repeats the job of a construct that creates one.`);
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
