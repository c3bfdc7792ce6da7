/**
 * The policies a deployed template holds, as IAM would see them once CloudFormation has resolved
 * them: each role's identity policies and trust policy, each bucket's policy and default key, each
 * key's policy. Read from the template's own resources (AWS::IAM::Role with its inline `Policies`,
 * AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached through `Roles`, AWS::S3::BucketPolicy,
 * AWS::S3::Bucket `BucketEncryption`, AWS::KMS::Key `KeyPolicy`), resolved by the local deployment.
 *
 * Not modelled: AWS managed policies named in `ManagedPolicyArns` (their text is not in the
 * template, and none of this library's roles has one: a role that relies on one is refused here,
 * the worst case), permissions boundaries and SCPs (none in these templates; see README).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PolicyDocument = { readonly Version?: string; readonly Statement: readonly any[] | any };

export interface IdentityPolicy {
  /** The policy's logical id (or, for an inline policy of a role, `<role logical id>/<policy name>`). */
  readonly name: string;
  readonly policy: PolicyDocument;
}

export interface RolePolicies {
  readonly logicalId: string;
  readonly roleArn: string;
  readonly trustPolicy: PolicyDocument;
  readonly identityPolicies: readonly IdentityPolicy[];
}

export interface PolicyWorld {
  /** The account the template is deployed in. */
  readonly account: string;
  readonly roles: readonly RolePolicies[];
  roleByArn(roleArn: string): RolePolicies | undefined;
  /** The bucket policy of a bucket of the template, by the bucket's name; undefined for a bucket it does not hold or one with no policy. */
  bucketPolicy(bucketName: string): PolicyDocument | undefined;
  /** The ARN of the KMS key a bucket of the template encrypts with by default. */
  bucketKey(bucketName: string): string | undefined;
  /** The key policy of a key of the template, by its ARN. */
  keyPolicy(keyArn: string): PolicyDocument | undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Resources = Record<string, { readonly Type: string; readonly Properties?: Json }>;

/** The policy world of `resources`, with every intrinsic resolved by `resolve` as the deployment resolves it now. */
export function policyWorldOf(resources: Resources, resolve: (value: Json) => Json, account: string): PolicyWorld {
  const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const attachedTo = (roleId: string) =>
    [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')]
      .filter(([, resource]) => (resource.Properties?.Roles ?? []).some((role: Json) => role?.Ref === roleId))
      .map(([id, resource]) => ({ name: id, policy: resolve(resource.Properties.PolicyDocument) }));

  const roles: RolePolicies[] = ofType('AWS::IAM::Role').map(([id, resource]) => ({
    logicalId: id,
    roleArn: resolve({ 'Fn::GetAtt': [id, 'Arn'] }),
    trustPolicy: resolve(resource.Properties.AssumeRolePolicyDocument),
    identityPolicies: [
      ...(resource.Properties.Policies ?? []).map((inline: Json) => ({ name: `${id}/${inline.PolicyName}`, policy: resolve(inline.PolicyDocument) })),
      ...attachedTo(id),
    ],
  }));
  const bucketName = (id: string) => String(resolve({ Ref: id }));
  const bucketPolicies = new Map(ofType('AWS::S3::BucketPolicy').map(([, resource]) => [String(resolve(resource.Properties.Bucket)), resolve(resource.Properties.PolicyDocument)]));
  const bucketKeys = new Map(
    ofType('AWS::S3::Bucket').flatMap(([id, resource]) => {
      const key = resource.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
      return key === undefined ? [] : [[bucketName(id), String(resolve(key))] as const];
    }),
  );
  const keyPolicies = new Map(ofType('AWS::KMS::Key').map(([id, resource]) => [String(resolve({ 'Fn::GetAtt': [id, 'Arn'] })), resolve(resource.Properties.KeyPolicy)]));
  return {
    account,
    roles,
    roleByArn: (roleArn) => roles.find((role) => role.roleArn === roleArn),
    bucketPolicy: (name) => bucketPolicies.get(name),
    bucketKey: (name) => bucketKeys.get(name),
    keyPolicy: (keyArn) => keyPolicies.get(keyArn),
  };
}

/**
 * Whether IAM would store a policy with this Resource: an ARN or "*". It refuses anything else
 * (MalformedPolicyDocument: "Resource … must be in ARN format or \"*\""), such as an unresolved
 * parameter, which the simulator would take as matching every resource. An ARN needs its
 * partition and service (arn:partition:service:…): one split from a parameter that holds no ARN
 * has neither, and is taken as refused too [inferred: no source says what IAM answers for it].
 */
export function isWellFormedResource(resource: unknown): boolean {
  return typeof resource === 'string' && (resource === '*' || /^arn:[^:]+:[^:]+:/.test(resource));
}

/** The statements of a policy document, as a list (IAM takes one statement or a list). */
export function statementsOf(policy: PolicyDocument): readonly Json[] {
  return Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
}

/** The name of a role, from its ARN (the part after `role/`, without a path). */
export function roleNameOf(roleArn: string): string {
  return roleArn.split('/').pop()!;
}
