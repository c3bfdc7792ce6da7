import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BatchJobRunOptions } from '../../batch-jobs/batch-job-props';
import type { BatchJobDefinitionProps } from '../../batch-jobs/batch-job-props';
import { batchJobRun, BatchJobRunKind } from '../../batch-jobs/batch-job-run';
import type { JobRunOptions } from '../../engine/workflow/job-run-options';
import { runPropsLike } from '../../engine/workflow/run-props';
import type { BatchSegmentJob } from './batch-segment-job';
import { BATCH_SEGMENT_JOB, SEGMENT_NUM_RESULTS_COUNTED } from './contract';

/** A batch segment job for a state machine to run: what every batch job is made of, and how the run names and waits for it. */
export interface RunBatchSegmentJobProps extends BatchJobDefinitionProps, JobRunOptions {}

const RUN_KIND: BatchJobRunKind = {
  kind: BATCH_SEGMENT_JOB,
  arnParameter: 'batchSegmentJobArn',
  describedKey: 'batchSegmentJob',
  numResultsLimits: SEGMENT_NUM_RESULTS_COUNTED,
};

/**
 * Runs an Amazon Personalize batch segment job in a state machine, and waits until it has ended:
 * a piece of a state machine to chain with other states, as a task of `aws-stepfunctions-tasks` is.
 *
 * The job is created through Step Functions' AWS SDK integration and waited for with Wait states
 * and Describe calls: no Lambda function. It is named from the run's key (`runKey`), so a second
 * start of the same run finds its job instead of starting another; while the region has
 * Personalize's limit of jobs in flight, the Create is tried again until a slot frees up. On
 * success the result holds the job's `JobArn`, `JobName`, `Status`, `OutputPath` and `Job`, the
 * description Personalize answered; a job that fails fails the execution with Personalize's
 * reason as the cause. The state machine's role is granted the Create, the Describe and passing
 * the job's role on this run's jobs only.
 */
export class RunBatchSegmentJob extends sfn.StateMachineFragment {
  /** A run of the job `job` creates in its stack: the same solution version (unless `options` gives another), input, output, role and settings. */
  public static sameAs(scope: Construct, id: string, job: BatchSegmentJob, options: BatchJobRunOptions = {}): RunBatchSegmentJob {
    return new RunBatchSegmentJob(scope, id, runPropsLike<RunBatchSegmentJobProps>(scope, BATCH_SEGMENT_JOB, job, options));
  }

  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: RunBatchSegmentJobProps) {
    super(scope, id);
    const states = batchJobRun(this, RUN_KIND, props);
    this.startState = states.startState;
    this.endStates = states.endStates;
  }
}
