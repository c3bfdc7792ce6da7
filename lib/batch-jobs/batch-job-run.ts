import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { BatchJobDefinitionProps } from './batch-job-props';
import { setUpBatchJob } from './batch-job-setup';
import { batchJobRequest } from './contract';
import type { JobKind } from '../engine/job-kind';
import { WaiterAttribute } from '../engine/wait-contract';
import { buildJobRun, JobRunStates, RUN_NAME_SUFFIX_LENGTH } from '../engine/workflow/job-run';
import type { JobRunOptions } from '../engine/workflow/job-run-options';
import { runNamePrefix } from '../engine/workflow/run-props';

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
  const namePrefix = runNamePrefix(scope, props.jobNamePrefix);
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
