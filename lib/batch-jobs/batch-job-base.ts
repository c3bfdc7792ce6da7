import { Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { BatchJobWaitOptions } from '../engine/wait-options';
import type { BatchJobProps } from './batch-job-props';
import { JOB_NAME_SUFFIX_LENGTH, JobField } from '../engine/job-contract';
import { BatchJobField } from './contract';
import { validateFilterArn, validateNumResults, validateSolutionVersionArn } from './validation';
import { setUpJobDataAccess } from '../engine/job-data-access';
import { validateS3Key, validateTags } from '../engine/job-validation';
import { JobWaitBase } from '../engine/job-wait-base';
import { SolutionVersion } from '../kinds/solution-version/solution-version';
import { homeOf, readPattern } from '../engine/job-home';
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
    const namePrefix = this._namePrefix(props.jobNamePrefix, 'jobNamePrefix');
    const tags = props.tags ?? {};
    validateSolutionVersionArn(this, props.solutionVersionArn);
    validateFilterArn(this, props.filterArn);
    validateNumResults(this, props.numResults, numResultsLimits, numResultsLimits.unit);
    validateS3Key(this, 'input.key', props.input.bucket, props.input.key, false);
    validateS3Key(this, 'output.prefix', props.output.bucket, props.output.prefix, true, {
      length: namePrefix.length + 1 + JOB_NAME_SUFFIX_LENGTH + 1,
      what: 'the job\'s own folder, "<job name>/"',
    });
    validateTags(this, tags);

    const home = homeOf(SolutionVersion._versionHomeOf(props.solutionVersionArn));
    const access = setUpJobDataAccess(
      this,
      kind,
      home,
      [
        { bucket: props.input.bucket, objects: readPattern(props.input.key), access: 's3:GetObject', kmsKey: props.input.kmsKey },
        { bucket: props.output.bucket, objects: `${props.output.prefix}*`, access: 's3:PutObject', kmsKey: props.output.kmsKey },
      ],
      props.role,
    );
    const job = {
      [JobField.NAME_PREFIX]: namePrefix,
      [BatchJobField.SOLUTION_VERSION_ARN]: props.solutionVersionArn,
      [BatchJobField.FILTER_ARN]: props.filterArn,
      [BatchJobField.NUM_RESULTS]: props.numResults,
      [JobField.ROLE_ARN]: access.role.roleArn,
      [BatchJobField.INPUT_PATH]: `s3://${props.input.bucket.bucketName}/${props.input.key}`,
      [BatchJobField.INPUT_KMS_KEY_ARN]: props.input.kmsKey?.keyArn,
      [BatchJobField.OUTPUT_PATH]: `s3://${props.output.bucket.bucketName}/${props.output.prefix}`,
      [BatchJobField.OUTPUT_KMS_KEY_ARN]: props.output.kmsKey?.keyArn,
      ...kindFields,
      [JobField.TAGS]: Object.keys(tags).length > 0 ? tags : undefined,
    };
    const [firstLink] = this._waitForNewJob(kind, props, JOB_WAIT_DEFAULTS, job);
    firstLink.node.addDependency(...access.dependencies);
    this._allowCreating(kind, home, namePrefix, access.role.roleArn, Object.keys(tags).length > 0);
    return access.role;
  }
}
