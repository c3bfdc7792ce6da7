import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import type { BatchJobProps } from './batch-job-props';
import { BatchJobDefinition } from './contract';
import { validateFilterArn, validateNumResults, validateSolutionVersionArn } from './validation';
import { setUpJobDataAccess } from '../engine/job-data-access';
import { readPattern } from '../engine/job-home';
import type { JobHome, JobKind } from '../engine/job-kind';
import { validateS3Key, validateTags } from '../engine/job-validation';
import { solutionVersionHome } from './solution-version-reference';

/** A batch job's definition, checked, with what Personalize needs to run it set up. */
export interface BatchJobSetup {
  readonly definition: BatchJobDefinition;
  /** The role Personalize runs the job with. */
  readonly role: iam.IRole;
  /** Where the job is created: its solution version's partition, region and account. */
  readonly home: JobHome;
  /** What the job's creation must wait for: the role and its policy, bucket and key policies. */
  readonly dependencies: IConstruct[];
}

/**
 * Checks `props` at synth time, sets up the role, bucket and key policies Personalize needs to
 * run the job, and answers the job's definition, whoever creates it (a stack's handlers, a state
 * machine). `nameSuffixLength` is what the creator adds to `namePrefix` after a "-".
 */
export function setUpBatchJob(
  scope: Construct,
  kind: JobKind,
  props: BatchJobProps,
  namePrefix: string,
  nameSuffixLength: number,
  numResultsLimits: { readonly min: number; readonly max: number; readonly unit: string },
): BatchJobSetup {
  const tags = props.tags ?? {};
  validateSolutionVersionArn(scope, props.solutionVersionArn);
  validateFilterArn(scope, props.filterArn);
  validateNumResults(scope, props.numResults, numResultsLimits, numResultsLimits.unit);
  validateS3Key(scope, 'input.key', props.input.bucket, props.input.key, false);
  validateS3Key(scope, 'output.prefix', props.output.bucket, props.output.prefix, true, {
    length: namePrefix.length + 1 + nameSuffixLength + 1,
    what: 'the job\'s own folder, "<job name>/"',
  });
  validateTags(scope, tags);

  const home = solutionVersionHome(scope, props.solutionVersionArn);
  const access = setUpJobDataAccess(
    scope,
    kind,
    home,
    [
      { bucket: props.input.bucket, objects: readPattern(props.input.key), access: 's3:GetObject', kmsKey: props.input.kmsKey },
      { bucket: props.output.bucket, objects: `${props.output.prefix}*`, access: 's3:PutObject', kmsKey: props.output.kmsKey },
    ],
    props.role,
  );
  return {
    definition: {
      namePrefix,
      solutionVersionArn: props.solutionVersionArn,
      filterArn: props.filterArn,
      numResults: props.numResults,
      roleArn: access.role.roleArn,
      inputPath: `s3://${props.input.bucket.bucketName}/${props.input.key}`,
      inputKmsKeyArn: props.input.kmsKey?.keyArn,
      outputPath: `s3://${props.output.bucket.bucketName}/${props.output.prefix}`,
      outputKmsKeyArn: props.output.kmsKey?.keyArn,
      tags,
    },
    role: access.role,
    home,
    dependencies: access.dependencies,
  };
}
