import { Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import type { BatchJobWaitOptions } from '../engine/wait-options';
import { withoutWaitOptions } from '../engine/wait-option-keys';
import type { BatchJobDefinitionProps, BatchJobProps } from './batch-job-props';
import { JOB_NAME_SUFFIX_LENGTH, JobField } from '../engine/job-contract';
import { BatchJobField } from './contract';
import { setUpBatchJob } from './batch-job-setup';
import { JobWaitBase } from '../engine/job-wait-base';
import type { JobKind } from '../engine/job-kind';
import { WaiterAttribute } from '../engine/wait-contract';
import { JOB_WAIT_DEFAULTS } from '../engine/wait-timing';

/** A finished Amazon Personalize batch job (segment or inference), as a stack sees it. */
export interface IBatchJob extends IConstruct {
  /**
   * The number of results for each line of input (`numResults`): users per segment, or
   * recommendations per user or item; as a number token.
   */
  readonly numResults: number;
  /** `numResults` as a string token, safe to write into other strings. */
  readonly numResultsAsString: string;
  /**
   * Where the job wrote its results (`jobOutput.s3DataDestination.path`): for a job the stack
   * created, its own folder `s3://bucket/<prefix><job name>/`; for a job waited for, the path it was given.
   */
  readonly outputPath: string;
  /** The job's final status: `ACTIVE`, or `CREATE FAILED` when `failOnJobFailure` is false. */
  readonly status: string;
  /** The job's name. */
  readonly jobName: string;
  /** Why the job failed; empty for a job that succeeded. */
  readonly failureReason: string;
  /** The ARN of the solution version that generated the results. */
  readonly solutionVersionArn: string;
  /** The ARN of the filter the job applied; empty when it used none. */
  readonly filterArn: string;
  /** The ARN of the IAM role the job ran with. */
  readonly roleArn: string;
  /** The S3 path of the job's input (`jobInput.s3DataSource.path`). */
  readonly inputPath: string;
  /** The KMS key ARN for the input; empty when none was given. */
  readonly inputKmsKeyArn: string;
  /** The KMS key ARN for the output; empty when none was given. */
  readonly outputKmsKeyArn: string;
  /** When the job was created, in ISO 8601 (`2026-11-28T13:14:00.000Z`). */
  readonly creationDateTime: string;
  /** When the job last changed, in ISO 8601; for a finished job, about when it ended. */
  readonly lastUpdatedDateTime: string;
}

/**
 * What every batch job construct shares, whether it creates its job or waits for one, of every
 * kind: the attributes of a batch job, read from the wait's last link (the wait itself is
 * JobWaitBase's), and the creation of a job with the role and grants Personalize needs.
 */
export abstract class BatchJobBase extends JobWaitBase implements IBatchJob {
  /**
   * For a construct that creates its job: what defines it, which a scheduled run of the same job
   * takes as it is, with the job's role and name prefix.
   * @internal
   */
  public _jobDefinitionProps?: BatchJobDefinitionProps;

  /**
   * The job's ARN, the last link's physical id.
   * @internal
   */
  protected get _jobArn(): string {
    return this._lastLink.ref;
  }
  public get numResults(): number {
    return Token.asNumber(this._lastLink.getAtt(WaiterAttribute.NUM_RESULTS));
  }
  public get numResultsAsString(): string {
    return this._attribute(WaiterAttribute.NUM_RESULTS);
  }
  public get outputPath(): string {
    return this._attribute(WaiterAttribute.OUTPUT_PATH);
  }
  public get status(): string {
    return this._attribute(WaiterAttribute.STATUS);
  }
  public get jobName(): string {
    return this._attribute(WaiterAttribute.JOB_NAME);
  }
  public get failureReason(): string {
    return this._attribute(WaiterAttribute.FAILURE_REASON);
  }
  public get solutionVersionArn(): string {
    return this._attribute(WaiterAttribute.SOLUTION_VERSION_ARN);
  }
  public get filterArn(): string {
    return this._attribute(WaiterAttribute.FILTER_ARN);
  }
  public get roleArn(): string {
    return this._attribute(WaiterAttribute.ROLE_ARN);
  }
  public get inputPath(): string {
    return this._attribute(WaiterAttribute.INPUT_PATH);
  }
  public get inputKmsKeyArn(): string {
    return this._attribute(WaiterAttribute.INPUT_KMS_KEY_ARN);
  }
  public get outputKmsKeyArn(): string {
    return this._attribute(WaiterAttribute.OUTPUT_KMS_KEY_ARN);
  }
  public get creationDateTime(): string {
    return this._attribute(WaiterAttribute.CREATION_DATE_TIME);
  }
  public get lastUpdatedDateTime(): string {
    return this._attribute(WaiterAttribute.LAST_UPDATED_DATE_TIME);
  }

  /**
   * Waits for the existing job of `kind` that `jobArn` names (a waiter's whole work).
   * @internal
   */
  protected _waitForExistingBatchJob(kind: JobKind, jobArn: string, options: BatchJobWaitOptions): void {
    this._waitForExistingJob(kind, jobArn, options, JOB_WAIT_DEFAULTS);
  }

  /**
   * Creates the job of `kind` that `props` define (with the kind's own `Job` fields added), sets
   * up what Personalize needs to run it and waits for it; returns the role the job runs with.
   *
   * The job starts when the resource is created, and again (as a new job, with a new name and
   * ARN) when an update changes anything that defines it.
   * @internal
   */
  protected _createJob(
    kind: JobKind,
    props: BatchJobProps,
    numResultsLimits: { readonly min: number; readonly max: number; readonly unit: string },
    kindFields: Record<string, unknown>,
  ): iam.IRole {
    if (sfn.JsonPath.isEncodedJsonPath(props.solutionVersionArn)) {
      throw new Error(
        `${this.node.path}: solutionVersionArn is a path into a state machine's state, which only a run in a state machine reads (RunBatchSegmentJob, RunBatchInferenceJob); ` +
          'a stack\'s job needs an ARN, such as a SolutionVersion\'s solutionVersionArn.',
      );
    }
    const namePrefix = this._namePrefix(props.jobNamePrefix, 'jobNamePrefix');
    const setup = setUpBatchJob(this, kind, props, namePrefix, JOB_NAME_SUFFIX_LENGTH, numResultsLimits);
    this._jobDefinitionProps = { ...withoutWaitOptions(props), role: setup.role, jobNamePrefix: namePrefix };
    const { definition } = setup;
    const tagging = Object.keys(definition.tags).length > 0;
    const job = {
      [JobField.NAME_PREFIX]: definition.namePrefix,
      [BatchJobField.SOLUTION_VERSION_ARN]: definition.solutionVersionArn,
      [BatchJobField.FILTER_ARN]: definition.filterArn,
      [BatchJobField.NUM_RESULTS]: definition.numResults,
      [JobField.ROLE_ARN]: definition.roleArn,
      [BatchJobField.INPUT_PATH]: definition.inputPath,
      [BatchJobField.INPUT_KMS_KEY_ARN]: definition.inputKmsKeyArn,
      [BatchJobField.OUTPUT_PATH]: definition.outputPath,
      [BatchJobField.OUTPUT_KMS_KEY_ARN]: definition.outputKmsKeyArn,
      ...kindFields,
      [JobField.TAGS]: tagging ? definition.tags : undefined,
    };
    const [firstLink] = this._waitForNewJob(kind, props, JOB_WAIT_DEFAULTS, job);
    firstLink.node.addDependency(...setup.dependencies);
    this._allowCreating(kind, setup.home, namePrefix, definition.roleArn, tagging);
    return setup.role;
  }
}
