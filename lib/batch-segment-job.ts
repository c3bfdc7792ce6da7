import { Arn, ArnFormat, Names } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BatchSegmentJobBase, BatchSegmentJobWaitOptions } from './batch-segment-job-base';
import { JOB_NAME_PREFIX_MAX_LENGTH, JOB_NAME_SUFFIX_LENGTH, JobField } from './job-contract';
import { setUpJobDataAccess } from './job-data-access';
import {
  validateFilterArn,
  validateJobNamePrefix,
  validateNumResults,
  validateS3Key,
  validateSolutionVersionArn,
  validateTags,
} from './job-validation';
import { BATCH_SEGMENT_JOB, SEGMENT_NUM_RESULTS } from './kinds/batch-segment-job';
import { JobHome, jobArnIn } from './kinds/job-kind';
import { WaiterProperty } from './waiter-contract';

/** The JSON lines a batch segment job reads. */
export interface BatchSegmentJobInput {
  /** The bucket that holds the input. */
  readonly bucket: s3.IBucket;
  /**
   * The input's object key, such as `segments/queries.json`. A key that ends with `/` is a
   * folder: the job may read every object under it.
   */
  readonly key: string;
  /**
   * The KMS key Personalize decrypts the input with.
   *
   * @default - none; the bucket's own encryption key, if any, is granted all the same
   */
  readonly kmsKey?: kms.IKey;
}

/** Where a batch segment job writes its segments. */
export interface BatchSegmentJobOutput {
  /** The bucket the segments are written to. */
  readonly bucket: s3.IBucket;
  /** The folder for the segments, ending with `/`, such as `segments/out/`. */
  readonly prefix: string;
  /**
   * The KMS key Personalize encrypts the output with.
   *
   * @default - none; the bucket's own encryption key, if any, is granted all the same
   */
  readonly kmsKey?: kms.IKey;
}

export interface BatchSegmentJobProps extends BatchSegmentJobWaitOptions {
  /**
   * The ARN of the solution version that generates the segments, such as
   * `arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d` or a `CfnSolution`'s
   * version. The job is created in the solution version's region and account.
   */
  readonly solutionVersionArn: string;

  /** The job's input: a bucket and an object key (or folder). */
  readonly input: BatchSegmentJobInput;

  /** The job's output: a bucket and a folder. */
  readonly output: BatchSegmentJobOutput;

  /**
   * The role Personalize assumes to run the job. The construct grants it what the job needs on
   * the input, the output and their KMS keys (a role imported as immutable is left as it is, with
   * a warning).
   *
   * @default - a role that only Personalize may assume, on behalf of this account, with least privilege
   */
  readonly role?: iam.IRole;

  /**
   * The start of the job's name, 1 to 50 letters, digits, `-` and `_`. Each job is named
   * `<jobNamePrefix>-<12 characters>`, the characters derived from the deployment that starts it:
   * Personalize job names are unique and jobs cannot be deleted, so every job the construct starts
   * needs a new name. Read the name from `jobName`.
   *
   * @default - a name made from the construct's path, unique within the account
   */
  readonly jobNamePrefix?: string;

  /**
   * How many users to generate for each line of input, from 1 to 5,000,000.
   *
   * @default - Personalize's default
   */
  readonly numResults?: number;

  /**
   * The ARN of a Personalize filter to apply.
   *
   * @default - no filter
   */
  readonly filterArn?: string;

  /**
   * Tags for the job (at most 200). They are applied when a job is created; changing only the tags
   * does not start a new job.
   *
   * @default - no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Starts an Amazon Personalize batch segment job from the stack, waits until it has ended, and
 * exposes what it produced as attributes, as `BatchSegmentJobWaiter` does for a job started
 * elsewhere.
 *
 * The job starts when the resource is created, and again (as a new job, with a new name and ARN)
 * when an update changes anything that defines it: the solution version, input, output, role,
 * filter, `numResults` or `jobNamePrefix`. A change to the wait's settings or the tags alone starts
 * nothing. When the region is at Personalize's limit of five pending or in-progress jobs, the
 * creation is retried until a slot frees up or `timeout` runs out. Deleting the construct leaves
 * the job and its output in place (Personalize cannot delete a job) and always succeeds.
 */
export class BatchSegmentJob extends BatchSegmentJobBase {
  /** The role Personalize runs the job with. */
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: BatchSegmentJobProps) {
    super(scope, id);
    const namePrefix = props.jobNamePrefix ?? Names.uniqueResourceName(this, { maxLength: JOB_NAME_PREFIX_MAX_LENGTH, separator: '-' });
    const tags = props.tags ?? {};
    validateJobNamePrefix(this, namePrefix);
    validateSolutionVersionArn(this, props.solutionVersionArn);
    validateFilterArn(this, props.filterArn);
    validateNumResults(this, props.numResults, SEGMENT_NUM_RESULTS, 'users per segment');
    validateS3Key(this, 'input.key', props.input.bucket, props.input.key, false);
    validateS3Key(this, 'output.prefix', props.output.bucket, props.output.prefix, true);
    validateTags(this, tags);

    const home = homeOf(props.solutionVersionArn);
    const access = setUpJobDataAccess(
      this,
      BATCH_SEGMENT_JOB,
      home,
      [
        { bucket: props.input.bucket, objects: readPattern(props.input.key), access: 's3:GetObject', kmsKey: props.input.kmsKey },
        { bucket: props.output.bucket, objects: `${props.output.prefix}*`, access: 's3:PutObject', kmsKey: props.output.kmsKey },
      ],
      props.role,
    );
    this.role = access.role;

    const job = {
      [JobField.NAME_PREFIX]: namePrefix,
      [JobField.SOLUTION_VERSION_ARN]: props.solutionVersionArn,
      [JobField.FILTER_ARN]: props.filterArn,
      [JobField.NUM_RESULTS]: props.numResults,
      [JobField.ROLE_ARN]: this.role.roleArn,
      [JobField.INPUT_PATH]: `s3://${props.input.bucket.bucketName}/${props.input.key}`,
      [JobField.INPUT_KMS_KEY_ARN]: props.input.kmsKey?.keyArn,
      [JobField.OUTPUT_PATH]: `s3://${props.output.bucket.bucketName}/${props.output.prefix}`,
      [JobField.OUTPUT_KMS_KEY_ARN]: props.output.kmsKey?.keyArn,
      [JobField.TAGS]: Object.keys(tags).length > 0 ? tags : undefined,
    };
    // Every link carries the job: if the first hands over before a slot frees up, the next creates it.
    const [firstLink] = this._waitFor(props, BATCH_SEGMENT_JOB.jobResourceType, (first) => ({
      [WaiterProperty.JOB]: job,
      ...(first !== undefined ? { [BATCH_SEGMENT_JOB.arnProperty]: first.ref } : {}),
    }));
    firstLink.node.addDependency(...access.dependencies);

    const jobArnPattern = jobArnIn(BATCH_SEGMENT_JOB, home, `${namePrefix}-${'?'.repeat(JOB_NAME_SUFFIX_LENGTH)}`);
    this._handlers().allowCreate(BATCH_SEGMENT_JOB, jobArnPattern, this.role.roleArn, Object.keys(tags).length > 0);
  }
}

/** The partition, region and account of the solution version, where the job is created. */
function homeOf(solutionVersionArn: string): JobHome {
  const { partition, region, account } = Arn.split(solutionVersionArn, ArnFormat.SLASH_RESOURCE_NAME);
  return { partition: partition!, region: region!, account: account! };
}

/** The objects the job reads: one key, or everything under a folder. */
function readPattern(key: string): string {
  return key.endsWith('/') ? `${key}*` : key;
}
