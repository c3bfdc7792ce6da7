import { IamModelError, LocalIam, RoleSession } from '../local/iam/local-iam';
import { authorizationsFor } from '../local/iam/personalize-calls';
import type { PolicyDocument, PolicyWorld, RolePolicies } from '../local/iam/policy-world';

/*
 * The local IAM model's own rules, on a world of one role: what it allows and refuses, the words
 * of a refusal, and which grants it counts as used.
 */

const ACCOUNT = '111122223333';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Handlers`;
const JOB = `arn:aws:personalize:us-east-1:${ACCOUNT}:batch-segment-job/spring-promo`;

function worldWith(...statements: object[]): { world: PolicyWorld; role: RolePolicies; session: RoleSession } {
  const role: RolePolicies = {
    logicalId: 'Handlers',
    roleArn: ROLE_ARN,
    trustPolicy: { Statement: [] },
    identityPolicies: [{ name: 'HandlersPolicy', policy: { Version: '2012-10-17', Statement: statements } as PolicyDocument }],
  };
  const world: PolicyWorld = { account: ACCOUNT, roles: [role], roleByArn: (arn) => (arn === ROLE_ARN ? role : undefined), bucketPolicy: () => undefined, bucketKey: () => undefined, keyPolicy: () => undefined };
  return { world, role, session: { world: () => world, roleArn: ROLE_ARN, sessionName: 'onEvent' } };
}

const describe_ = (resource: unknown) => ({ Effect: 'Allow', Action: 'personalize:DescribeBatchSegmentJob', Resource: resource });

it('allows what a statement allows, and refuses anything else in AWS\'s words, naming principal, action and resource', async () => {
  const { world, session } = worldWith(describe_(JOB));
  const iam = new LocalIam();

  await expect(iam.decide(world, { requester: { session }, action: 'personalize:DescribeBatchSegmentJob', resource: JOB })).resolves.toMatchObject({ allowed: true });
  const other = `${JOB}-2`;
  await expect(iam.decide(world, { requester: { session }, action: 'personalize:DescribeBatchSegmentJob', resource: other })).resolves.toMatchObject({
    allowed: false,
    refusal: `User: arn:aws:sts::${ACCOUNT}:assumed-role/Handlers/onEvent is not authorized to perform: personalize:DescribeBatchSegmentJob on resource: ${other} because no identity-based policy allows the personalize:DescribeBatchSegmentJob action`,
  });
  expect(iam.refusals()).toHaveLength(1);
});

it('says an explicit deny refused it', async () => {
  const { world, session } = worldWith(describe_(JOB), { Effect: 'Deny', Action: 'personalize:*', Resource: '*' });

  const decision = await new LocalIam().decide(world, { requester: { session }, action: 'personalize:DescribeBatchSegmentJob', resource: JOB });

  expect(decision.refusal).toMatch(/with an explicit deny in an identity-based policy$/);
});

it('lets a resource that is neither an ARN nor "*" (an unresolved parameter) match nothing, where the simulator would match everything', async () => {
  const { world, session } = worldWith(describe_(['jobarn']));

  await expect(new LocalIam().decide(world, { requester: { session }, action: 'personalize:DescribeBatchSegmentJob', resource: JOB })).resolves.toMatchObject({ allowed: false });
});

it('refuses everything before the role\'s policies have propagated, and says so in the decision', async () => {
  const { world, session } = worldWith(describe_(JOB));

  await expect(new LocalIam().decide(world, { requester: { session }, action: 'personalize:DescribeBatchSegmentJob', resource: JOB, beforePropagation: true })).resolves.toMatchObject({
    allowed: false,
    beforePropagation: true,
  });
});

it('takes an ARN for an action that supports no resource-level permission as a defect of the model, not as a refusal', async () => {
  const { world, session } = worldWith({ Effect: 'Allow', Action: 'personalize:ListSolutionVersions', Resource: '*' });

  await expect(new LocalIam().decide(world, { requester: { session }, action: 'personalize:ListSolutionVersions', resource: 'arn:aws:personalize:us-east-1:111122223333:solution/promo' })).rejects.toThrow(IamModelError);
});

it('counts a grant, resource by resource, as used once a call it allowed was decided, and no other', async () => {
  const { world, role, session } = worldWith(describe_([JOB, `${JOB}-unused`]), { Effect: 'Allow', Action: 'personalize:CreateBatchSegmentJob', Resource: JOB });
  const iam = new LocalIam();
  iam.trackGrants([role]);

  await iam.decide(world, { requester: { session }, action: 'personalize:DescribeBatchSegmentJob', resource: JOB });
  await iam.decide(world, { requester: { session }, action: 'personalize:CreateBatchSegmentJob', resource: `${JOB}-3` });

  expect(iam.unusedGrants().map((grant) => [grant.statement, grant.actions, grant.resource])).toEqual([
    ['1', ['personalize:DescribeBatchSegmentJob'], `${JOB}-unused`],
    ['2', ['personalize:CreateBatchSegmentJob'], JOB],
  ]);
  expect(iam.trackedGrants()).toHaveLength(3);
});

describe('the operations table', () => {
  const request = (operation: string, body: Record<string, unknown>, createdArn?: string) => authorizationsFor({ operation, region: 'us-east-1', account: ACCOUNT, body, ...(createdArn ? { createdArn } : {}) });

  it('authorizes a Create on each resource type it requires, its tags with the request-tag keys, and the role it passes to Personalize only', () => {
    const version = `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/promo/1a2b3c4d`;
    const job = `arn:aws:personalize:us-east-1:${ACCOUNT}:batch-inference-job/nightly`;

    expect(request('CreateBatchInferenceJob', { jobName: 'nightly', solutionVersionArn: version, roleArn: ROLE_ARN, tags: [{ tagKey: 'team', tagValue: 'recs' }] }, job)).toEqual([
      { action: 'personalize:CreateBatchInferenceJob', resource: job, context: { 'aws:RequestTag/team': 'recs', 'aws:TagKeys': ['team'] } },
      { action: 'personalize:CreateBatchInferenceJob', resource: version, context: { 'aws:RequestTag/team': 'recs', 'aws:TagKeys': ['team'] } },
      { action: 'personalize:TagResource', resource: job, context: { 'aws:RequestTag/team': 'recs', 'aws:TagKeys': ['team'] } },
      { action: 'iam:PassRole', resource: ROLE_ARN, context: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
    ]);
  });

  it('authorizes a List on "*" and a Describe on what it names', () => {
    expect(request('ListDatasetImportJobs', { datasetArn: 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS' })).toEqual([{ action: 'personalize:ListDatasetImportJobs', resource: '*' }]);
    expect(request('DescribeBatchSegmentJob', { batchSegmentJobArn: JOB })).toEqual([{ action: 'personalize:DescribeBatchSegmentJob', resource: JOB }]);
  });

  it('refuses to guess an operation it has no entry for', () => {
    expect(() => request('DeleteCampaign', {})).toThrow('The local IAM model has no entry for personalize:DeleteCampaign');
  });
});
