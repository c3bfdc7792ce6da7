import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildJobRun } from '../../engine/workflow/job-run';
import type { JobRunOptions } from '../../engine/workflow/job-run-options';
import { runNamePrefix, runPropsLike } from '../../engine/workflow/run-props';
import { DATASET_IMPORT_JOB, ImportAttribute, importRequest } from './contract';
import type { DatasetImportJob } from './dataset-import-job';
import type { DatasetImportJobDefinitionProps } from './import-props';
import { setUpImport } from './import-setup';

/** An import for a state machine to run: what the import is made of, and how the run names and waits for it. */
export interface RunDatasetImportJobProps extends DatasetImportJobDefinitionProps, JobRunOptions {}

/**
 * Runs an Amazon Personalize dataset import in a state machine, and waits until it has ended: a
 * piece of a state machine to chain with other states, as a task of `aws-stepfunctions-tasks` is.
 *
 * The import is created through Step Functions' AWS SDK integration and waited for with Wait
 * states and Describe calls: no Lambda function. It reads what the source holds when the run
 * starts: for the day's data, a key (or folder) that the data is written to before each run. It is
 * named from the run's key (`runKey`), so a second start of the same run finds its import instead
 * of starting another; while the region has Personalize's limit of five imports in flight, the
 * Create is tried again until a slot frees up. On success the result holds the import's `JobArn`,
 * `JobName`, `Status`, `DatasetArn`, `DataLocation` and `Job`, the description Personalize
 * answered; an import that fails fails the execution with Personalize's reason as the cause. The
 * state machine's role is granted the Create (on this run's imports and the dataset), the Describe
 * and passing the import's role, nothing more.
 */
export class RunDatasetImportJob extends sfn.StateMachineFragment {
  /** A run of the import `job` makes in its stack: the same dataset, data, role and mode. */
  public static sameAs(scope: Construct, id: string, job: DatasetImportJob, options: JobRunOptions = {}): RunDatasetImportJob {
    return new RunDatasetImportJob(scope, id, runPropsLike<RunDatasetImportJobProps>(scope, DATASET_IMPORT_JOB, job, options));
  }

  public readonly startState: sfn.State;
  public readonly endStates: sfn.INextable[];

  constructor(scope: Construct, id: string, props: RunDatasetImportJobProps) {
    super(scope, id);
    const namePrefix = runNamePrefix(this, props.jobNamePrefix);
    const { definition, home } = setUpImport(this, props);
    const states = buildJobRun(
      this,
      id,
      {
        kind: DATASET_IMPORT_JOB,
        home,
        namePrefix,
        createRequest: (jobName) => importRequest(jobName, definition),
        // CreateDatasetImportJob is authorized on the dataset as well as on the import (Service Authorization Reference).
        createAlsoOn: [definition.datasetArn],
        describeArnParameter: 'datasetImportJobArn',
        describedKey: 'datasetImportJob',
        roleArn: definition.roleArn,
        tagging: Object.keys(definition.tags).length > 0,
        resultFields: { [ImportAttribute.DATASET_ARN]: 'DatasetArn', [ImportAttribute.DATA_LOCATION]: 'DataSource.DataLocation' },
      },
      props,
    );
    this.startState = states.startState;
    this.endStates = states.endStates;
  }
}
