import type { LocalIam, IamRequest } from './local-iam';
import type { DataPath, RoleUse } from './personalize-calls';
import type { PolicyWorld } from './policy-world';

/*
 * What Personalize itself checks when a Create passes it a role (Personalize developer guide:
 * "Giving Amazon Personalize access to Amazon S3 resources", "Giving Amazon Personalize permission
 * to use your AWS KMS key", "Cross-service confused deputy prevention"):
 * - it assumes the role as the service principal, with aws:SourceAccount and aws:SourceArn, which
 *   the role's trust policy must allow;
 * - it reads the input (or data location) and writes under the output path with the role, and
 *   the guide asks for both the role's permission and the bucket policy's grant to the service
 *   principal: both are checked here (the worst case of the two readings);
 * - with a key (the bucket's default one, or the job's kmsKeyArn) the role and the service
 *   principal must both be allowed to use it, by the role's policy and the key policy.
 * A refusal comes back from the Create as InvalidInputException. For S3 the message is the one
 * reported in public threads ("Insufficient privileges for accessing data in S3 …"); for the role
 * and the key no text is documented, and these are this model's.
 * Whether Personalize lists the bucket is not documented: it is checked (s3:ListBucket), the worst case.
 */

const PERSONALIZE = 'personalize.amazonaws.com';
/** The name Personalize's session of a role is given here; AWS does not document it. */
const PERSONALIZE_SESSION = 'AmazonPersonalize';

export interface RoleUseRefusal {
  /** Personalize's InvalidInputException message. */
  readonly message: string;
}

/** The first of Personalize's checks with the role that IAM refuses, or undefined when all pass. */
export async function checkRoleUse(iam: LocalIam, world: PolicyWorld, use: RoleUse): Promise<RoleUseRefusal | undefined> {
  const serviceContext = { 'aws:SourceAccount': world.account, 'aws:SourceArn': use.sourceArn };
  const role = world.roleByArn(use.roleArn);
  const assume = await iam.decide(world, {
    requester: { service: PERSONALIZE },
    action: 'sts:AssumeRole',
    resource: use.roleArn,
    context: serviceContext,
    resourcePolicy: role?.trustPolicy ?? { Version: '2012-10-17', Statement: [] },
  });
  if (!assume.allowed) {
    return { message: `Amazon Personalize cannot assume the role ${use.roleArn}: its trust policy must allow the service ${PERSONALIZE} sts:AssumeRole.` };
  }
  const session = { world: () => world, roleArn: use.roleArn, sessionName: PERSONALIZE_SESSION };
  const asRoleAndService = (request: Omit<IamRequest, 'requester'>): IamRequest[] => [
    { ...request, requester: { session } },
    { ...request, requester: { service: PERSONALIZE }, context: { ...request.context, ...serviceContext } },
  ];
  const uses = [...use.reads.map((path) => ({ path, write: false })), ...use.writes.map((path) => ({ path, write: true }))];
  for (const { path, write } of uses) {
    const { bucket, key } = parseS3Path(path.path);
    const bucketPolicy = world.bucketPolicy(bucket);
    const s3Requests = [
      ...asRoleAndService({ action: 's3:ListBucket', resource: `arn:aws:s3:::${bucket}`, resourcePolicy: bucketPolicy }),
      ...asRoleAndService({ action: write ? 's3:PutObject' : 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${objectOf(key, use, write)}`, resourcePolicy: bucketPolicy }),
    ];
    if (!(await allAllowed(iam, world, s3Requests))) {
      return { message: `Insufficient privileges for accessing data in S3 ${path.path}.` };
    }
    for (const keyArn of keysOf(world, path, bucket)) {
      const keyRequests = asRoleAndService({ action: write ? 'kms:GenerateDataKey' : 'kms:Decrypt', resource: keyArn, resourcePolicy: world.keyPolicy(keyArn) ?? { Version: '2012-10-17', Statement: [] } });
      if (!(await allAllowed(iam, world, keyRequests))) {
        return { message: `Insufficient privileges for using the KMS key ${keyArn} with the data in S3 ${path.path}.` };
      }
    }
  }
  return undefined;
}

async function allAllowed(iam: LocalIam, world: PolicyWorld, requests: readonly IamRequest[]): Promise<boolean> {
  for (const request of requests) {
    if (!(await iam.decide(world, request)).allowed) {
      return false;
    }
  }
  return true;
}

/**
 * The object a check reads or writes: the input file itself; a file in a folder the path names
 * (an import of every file under it); under the output path, the file a batch job writes there,
 * named after its input file with `.out`.
 */
function objectOf(key: string, use: RoleUse, write: boolean): string {
  if (write) {
    const input = use.reads[0] !== undefined ? parseS3Path(use.reads[0].path).key.split('/').pop() : 'input.json';
    return `${key}${input}.out`;
  }
  return key.endsWith('/') || key === '' ? `${key}data.csv` : key;
}

/** The keys a path's data is encrypted with: the one the job names, and the bucket's own. */
function keysOf(world: PolicyWorld, path: DataPath, bucket: string): string[] {
  return [...new Set([path.kmsKeyArn, world.bucketKey(bucket)].filter((key): key is string => key !== undefined && key !== ''))];
}

function parseS3Path(path: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(path);
  return { bucket: match?.[1] ?? '', key: match?.[2] ?? '' };
}
