import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { BatchJobWaitOptions } from '../engine/wait-options';
import type { JobRunOptions } from '../engine/workflow/job-run-options';

/** The JSON lines a batch job reads. */
export interface BatchJobInput {
  /** The bucket that holds the input. */
  readonly bucket: s3.IBucket;
  /**
   * The input's object key, such as `batch/users.json`. A key that ends with `/` is a
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

/** Where a batch job writes its results. */
export interface BatchJobOutput {
  /** The bucket the results are written to. */
  readonly bucket: s3.IBucket;
  /**
   * The folder for the results, ending with `/`, such as `batch/out/`. Each job writes into a
   * folder of its own in it, named after the job (`batch/out/<job name>/`), which `outputPath`
   * names: no job ever writes over another's results, whatever a rollback undoes.
   */
  readonly prefix: string;
  /**
   * The KMS key Personalize encrypts the output with.
   *
   * @default - none; the bucket's own encryption key, if any, is granted all the same
   */
  readonly kmsKey?: kms.IKey;
}

/** What every batch job this library creates is made of, of every kind, whether a stack or a state machine creates it. */
export interface BatchJobDefinitionProps {
  /**
   * The ARN of the solution version that generates the results, such as
   * `arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d` or a `SolutionVersion`'s
   * `solutionVersionArn`. The job is created in the solution version's region and account.
   *
   * A state machine's run may also take it from the run's state, such as
   * `JsonPath.stringAt('$.model.JobArn')` after a `TrainSolutionVersion` whose `resultPath` is
   * `'$.model'`: the job is then created in the stack's region and account, and the Create is
   * allowed on the versions of every solution there, since which one is known only when it runs.
   */
  readonly solutionVersionArn: string;

  /** The job's input: a bucket and an object key (or folder). */
  readonly input: BatchJobInput;

  /** The job's output: a bucket and a folder. */
  readonly output: BatchJobOutput;

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
   * How many results to generate for each line of input: users per segment (1 to 5,000,000) for
   * a segment job, recommendations per user or item for an inference job.
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

/** What every batch job a stack creates is made of, of every kind, and how the stack waits for it. */
export interface BatchJobProps extends BatchJobDefinitionProps, BatchJobWaitOptions {}

/** How a state machine runs a stack's batch job again (`sameAs`): every run's options, and the solution version to use instead. */
export interface BatchJobRunOptions extends JobRunOptions {
  /**
   * The solution version the run's job uses instead of the stack job's: most often the version a
   * `TrainSolutionVersion` earlier in the run trained, `JsonPath.stringAt('$.model.JobArn')`.
   *
   * @default - the stack job's own solution version
   */
  readonly solutionVersionArn?: string;
}
