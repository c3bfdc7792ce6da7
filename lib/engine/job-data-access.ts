import { Annotations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import type { JobHome, JobKind } from './job-kind';
import { acknowledgeFolderGrant } from './job-findings';

/*
 * What Personalize needs before it can run a batch job (segment or inference) on S3 data (Personalize developer
 * guide: "Giving Amazon Personalize access to Amazon S3 resources", "Giving Amazon Personalize
 * permission to use your AWS KMS key", "Cross-service confused deputy prevention"):
 * - a role that Personalize may assume, allowed to read the input and write the output;
 * - a bucket policy on each bucket that allows the Personalize service principal the same;
 * - for each KMS key involved (given for the job, or the bucket's own), the role and the key
 *   policy allowing Personalize to use it.
 */

const PERSONALIZE = 'personalize.amazonaws.com';
/** What the docs' IAM policy example grants the role on a key. */
const ROLE_KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:ListGrants'];
/** What the docs' key policy example grants Personalize: the role's actions and CreateGrant. */
const SERVICE_KMS_ACTIONS = [...ROLE_KMS_ACTIONS, 'kms:CreateGrant'];

/** Where a job reads or writes, and how. */
export interface JobDataLocation {
  readonly bucket: s3.IBucket;
  /** The object key, or key pattern (`prefix*`), that the job reads or writes. */
  readonly objects: string;
  readonly access: 's3:GetObject' | 's3:PutObject';
  readonly kmsKey?: kms.IKey;
}


export interface JobDataAccess {
  readonly role: iam.IRole;
  /** What the job's creation must wait for: the role and its policy, bucket and key policies. */
  readonly dependencies: IConstruct[];
}

export function setUpJobDataAccess(
  scope: Construct,
  kind: JobKind,
  home: JobHome,
  locations: readonly JobDataLocation[],
  givenRole: iam.IRole | undefined,
): JobDataAccess {
  const role = givenRole ?? newJobRole(scope, kind, home);
  const dependencies: IConstruct[] = [role];
  const sourceAccount = { StringEquals: { 'aws:SourceAccount': home.account } };
  for (const { bucket, objects, access, kmsKey } of locations) {
    const objectArn = bucket.arnForObjects(objects);
    grantRole(role, [access], objectArn);
    if (objects.endsWith('*')) {
      acknowledgeFolderGrant(role, objectArn);
    }
    grantRole(role, ['s3:ListBucket'], bucket.bucketArn);
    allowInBucketPolicy(scope, bucket, access, objectArn, `s3://${bucket.bucketName}/${objects}`, sourceAccount);
    allowInBucketPolicy(scope, bucket, 's3:ListBucket', bucket.bucketArn, `the bucket ${bucket.bucketName}`, sourceAccount);
    if (bucket.policy !== undefined) {
      dependencies.push(bucket.policy);
    }
    for (const key of new Set([kmsKey, bucket.encryptionKey].filter((k): k is kms.IKey => k !== undefined))) {
      grantRole(role, ROLE_KMS_ACTIONS, key.keyArn);
      allowInKeyPolicy(scope, key);
      dependencies.push(key);
    }
  }
  return { role, dependencies };
}

/** A role only Personalize can assume, and only on behalf of this account in this region. */
function newJobRole(scope: Construct, kind: JobKind, home: JobHome): iam.Role {
  return new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal(PERSONALIZE).withConditions({
      StringEquals: { 'aws:SourceAccount': home.account },
      StringLike: { 'aws:SourceArn': `arn:${home.partition}:personalize:${home.region}:${home.account}:*` },
    }),
    description: `Lets Amazon Personalize read the input and write the output of a ${kind.noun}`,
  });
}

/** A role imported as immutable silently keeps its policies: the README says it must already allow this. */
function grantRole(role: iam.IRole, actions: string[], resource: string): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
}

function allowInBucketPolicy(
  scope: Construct,
  bucket: s3.IBucket,
  action: string,
  resource: string,
  resourceInWords: string,
  conditions: Record<string, unknown>,
): void {
  const statement = new iam.PolicyStatement({ principals: [new iam.ServicePrincipal(PERSONALIZE)], actions: [action], resources: [resource], conditions });
  if (!bucket.addToResourcePolicy(statement).statementAdded) {
    Annotations.of(scope).addWarningV2(
      'cdk-personalize-batch-jobs:bucketPolicyNotModified',
      `The bucket ${bucket.bucketName} is not managed by this stack, so its policy cannot be changed here. Personalize ` +
        `needs its bucket policy to allow the service ${PERSONALIZE} ${action} on ${resourceInWords}; add it to the bucket, ` +
        'or the job will fail with access denied.',
    );
  }
}

function allowInKeyPolicy(scope: Construct, key: kms.IKey): void {
  const statement = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(PERSONALIZE)],
    actions: SERVICE_KMS_ACTIONS,
    resources: ['*'],
  });
  if (!key.addToResourcePolicy(statement, true).statementAdded) {
    Annotations.of(scope).addWarningV2(
      'cdk-personalize-batch-jobs:keyPolicyNotModified',
      `The KMS key ${key.keyArn} is not managed by this stack, so its key policy cannot be changed here. Personalize ` +
        `needs it to allow the service ${PERSONALIZE} ${SERVICE_KMS_ACTIONS.join(', ')}; add it to the key policy, or the job will fail.`,
    );
  }
}

