import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchSegmentJob, BatchSegmentJobProps, BatchSegmentJobWaiter } from '../lib';

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
const JOB_TYPE = 'Custom::PersonalizeBatchSegmentJob';

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Fixture {
  readonly stack: Stack;
  readonly bucket: s3.Bucket;
  readonly job: BatchSegmentJob;
}

function jobStack(props: Partial<BatchSegmentJobProps> = {}, bucketProps: s3.BucketProps = {}): Fixture {
  const stack = new Stack(new App(), 'Stack');
  const bucket = new s3.Bucket(stack, 'Data', bucketProps);
  const job = new BatchSegmentJob(stack, 'SpringPromo', {
    solutionVersionArn: SOLUTION_VERSION_ARN,
    input: { bucket, key: 'segments/queries.json' },
    output: { bucket, prefix: 'segments/out/' },
    ...props,
  });
  return { stack, bucket, job };
}

function jobResource(stack: Stack): { id: string; resource: Json } {
  const [[id, resource]] = Object.entries(Template.fromStack(stack).findResources(JOB_TYPE));
  return { id, resource };
}

function statementsOf(stack: Stack, policyIdPrefix: RegExp): Json[] {
  const policies = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
  return Object.entries(policies)
    .filter(([id, resource]) => resource.Type === 'AWS::IAM::Policy' && policyIdPrefix.test(id))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

function bucketArn(path = ''): Json {
  const arn = { 'Fn::GetAtt': [expect.stringMatching(/^Data/), 'Arn'] };
  return path === '' ? arn : { 'Fn::Join': ['', [arn, path]] };
}

const JOB_ARN_PATTERN = /^arn:aws:personalize:us-east-1:111122223333:batch-segment-job\/Stack-SpringPromo-[0-9A-F]{8}-\?{12}$/;
const EVERY_JOB = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/*';

describe('the custom resource', () => {
  it('carries the job to create, with S3 paths made from the buckets, and the wait settings', () => {
    const { stack } = jobStack({ numResults: 100_000 });
    Template.fromStack(stack).hasResourceProperties(JOB_TYPE, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('Provider30sframeworkonEvent'), 'Arn'] },
      Job: {
        NamePrefix: Match.stringLikeRegexp('^Stack-SpringPromo-[0-9A-F]{8}$'),
        SolutionVersionArn: SOLUTION_VERSION_ARN,
        NumResults: 100000,
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpringPromoRole'), 'Arn'] },
        InputPath: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Data') }, '/segments/queries.json']] },
        OutputPath: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Data') }, '/segments/out/']] },
      },
      TimeoutSeconds: 3600,
      PollIntervalSeconds: 30,
      FailOnJobFailure: true,
      LogLevel: 'INFO',
      ServiceTimeout: '3600',
    });
    const { resource } = jobResource(stack);
    expect(Object.keys(resource.Properties.Job).sort()).toEqual(['InputPath', 'NamePrefix', 'NumResults', 'OutputPath', 'RoleArn', 'SolutionVersionArn']);
    expect(resource.Properties).not.toHaveProperty('BatchSegmentJobArn');
  });

  it('passes the optional settings it is given', () => {
    const { stack } = jobStack({
      jobNamePrefix: 'spring-promo',
      filterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
      tags: { team: 'promo' },
      timeout: Duration.minutes(30),
      pollInterval: Duration.minutes(1),
      failOnJobFailure: false,
    });
    Template.fromStack(stack).hasResourceProperties(JOB_TYPE, {
      Job: Match.objectLike({ NamePrefix: 'spring-promo', FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users', Tags: { team: 'promo' } }),
      TimeoutSeconds: 1800,
      PollIntervalSeconds: 60,
      FailOnJobFailure: false,
    });
  });

  it('names each construct\'s jobs differently by default, within the 50 characters a prefix may have', () => {
    const stack = new Stack(new App(), 'AStackWithAVeryLongNameIndeedSoThatTheDefaultPrefixIsCut');
    const bucket = new s3.Bucket(stack, 'Data');
    const props = { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'q.json' }, output: { bucket, prefix: 'out/' } };
    new BatchSegmentJob(stack, 'SpringPromotionForReturningCustomers', props);
    new BatchSegmentJob(stack, 'SpringPromotionForReturningCustomers2', props);
    const prefixes = Object.values(Template.fromStack(stack).findResources(JOB_TYPE)).map((resource) => resource.Properties.Job.NamePrefix);
    expect(new Set(prefixes).size).toBe(2);
    for (const prefix of prefixes) {
      expect(prefix.length).toBeLessThanOrEqual(50);
      expect(prefix).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/);
    }
  });

  it('passes the KMS keys given for the input and output', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const inputKey = new kms.Key(stack, 'InputKey');
    const outputKey = kms.Key.fromKeyArn(stack, 'OutputKey', 'arn:aws:kms:us-east-1:111122223333:key/out');
    new BatchSegmentJob(stack, 'SpringPromo', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'segments/queries.json', kmsKey: inputKey },
      output: { bucket, prefix: 'segments/out/', kmsKey: outputKey },
    });
    Template.fromStack(stack).hasResourceProperties(JOB_TYPE, {
      Job: Match.objectLike({
        InputKmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InputKey'), 'Arn'] },
        OutputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/out',
      }),
    });
  });

  it('accepts a solution version ARN that is a token, and scopes its grants to that ARN\'s region and account', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const version = new CfnParameter(stack, 'SolutionVersionArn', { type: 'String' });
    new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: version.valueAsString, input: { bucket, key: 'q.json' }, output: { bucket, prefix: 'out/' } });

    Template.fromStack(stack).hasResourceProperties(JOB_TYPE, { Job: Match.objectLike({ SolutionVersionArn: { Ref: 'SolutionVersionArn' } }) });
    const create = statementsOf(stack, /^PersonalizeJobHandlersRole/).find((statement) => statement.Action === 'personalize:CreateBatchSegmentJob');
    expect(JSON.stringify(create.Resource)).toContain('{"Fn::Select":[3,{"Fn::Split":[":",{"Ref":"SolutionVersionArn"}]}]}');
    expect(JSON.stringify(create.Resource)).toContain('{"Fn::Select":[4,{"Fn::Split":[":",{"Ref":"SolutionVersionArn"}]}]}');
  });
});

describe('the attributes', () => {
  it('reads each attribute from the custom resource, as the waiter does', () => {
    const { stack, job } = jobStack();
    const { id } = jobResource(stack);
    expect(stack.resolve(job.batchSegmentJobArn)).toEqual({ Ref: id });
    expect(stack.resolve(job.jobName)).toEqual({ 'Fn::GetAtt': [id, 'JobName'] });
    expect(stack.resolve(job.numResults)).toEqual({ 'Fn::GetAtt': [id, 'NumResults'] });
    expect(stack.resolve(job.numResultsAsString)).toEqual({ 'Fn::GetAtt': [id, 'NumResults'] });
    expect(stack.resolve(job.outputPath)).toEqual({ 'Fn::GetAtt': [id, 'OutputPath'] });
    expect(stack.resolve(job.status)).toEqual({ 'Fn::GetAtt': [id, 'Status'] });
    expect(stack.resolve(job.roleArn)).toEqual({ 'Fn::GetAtt': [id, 'RoleArn'] });
  });

  it('exposes the role the job runs with', () => {
    const { stack, job } = jobStack();
    expect(stack.resolve(job.role.roleArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SpringPromoRole/), 'Arn'] });
  });
});

describe('the role Personalize assumes', () => {
  it('trusts Personalize only, for this account and the job\'s region (confused-deputy conditions)', () => {
    const { stack } = jobStack();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Description: 'Lets Amazon Personalize read the input and write the output of a batch segment job',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'personalize.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111122223333' },
              StringLike: { 'aws:SourceArn': 'arn:aws:personalize:us-east-1:111122223333:*' },
            },
          },
        ],
      },
    });
  });

  it('may read the input object, write under the output folder and list the bucket, and nothing else', () => {
    const { stack } = jobStack();
    expect(statementsOf(stack, /^SpringPromoRole/)).toEqual([
      { Action: 's3:GetObject', Effect: 'Allow', Resource: bucketArn('/segments/queries.json') },
      { Action: 's3:ListBucket', Effect: 'Allow', Resource: bucketArn() },
      { Action: 's3:PutObject', Effect: 'Allow', Resource: bucketArn('/segments/out/*') },
    ]);
  });

  it('may read every object under an input folder', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'segments/in/' }, output: { bucket, prefix: 'segments/out/' } });
    expect(statementsOf(stack, /^SpringPromoRole/)[0]).toEqual({ Action: 's3:GetObject', Effect: 'Allow', Resource: bucketArn('/segments/in/*') });
  });
});

describe('what Personalize needs beyond the role', () => {
  it('allows the Personalize service the same access in the bucket policy, for this account only', () => {
    const { stack } = jobStack();
    const forPersonalize = { Principal: { Service: 'personalize.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } }, Effect: 'Allow' };
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { ...forPersonalize, Action: 's3:GetObject', Resource: bucketArn('/segments/queries.json') },
      { ...forPersonalize, Action: 's3:ListBucket', Resource: bucketArn() },
      { ...forPersonalize, Action: 's3:PutObject', Resource: bucketArn('/segments/out/*') },
    ]);
  });

  it('grants the role and Personalize the bucket\'s own KMS key and the keys given for the job', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucketKey = new kms.Key(stack, 'BucketKey');
    const bucket = new s3.Bucket(stack, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: bucketKey });
    const outputKey = new kms.Key(stack, 'OutputKey');
    new BatchSegmentJob(stack, 'SpringPromo', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'q.json' },
      output: { bucket, prefix: 'out/', kmsKey: outputKey },
    });

    const keyActions = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:ListGrants'];
    const roleKeyStatements = statementsOf(stack, /^SpringPromoRole/).filter((statement) => [statement.Action].flat()[0].startsWith('kms:'));
    expect(roleKeyStatements).toEqual([
      { Action: keyActions, Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^BucketKey/), 'Arn'] } },
      { Action: keyActions, Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^OutputKey/), 'Arn'] } },
    ]);
    const keys = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.Properties.KeyPolicy.Statement).toContainEqual({
        Action: [...keyActions, 'kms:CreateGrant'],
        Effect: 'Allow',
        Principal: { Service: 'personalize.amazonaws.com' },
        Resource: '*',
      });
    }
  });

  it('warns, naming what to add, when the bucket or key belongs to no stack of the app', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = s3.Bucket.fromBucketName(stack, 'Data', 'existing-data');
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111122223333:key/existing');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111122223333:role/PersonalizeBatch', { mutable: false });
    new BatchSegmentJob(stack, 'SpringPromo', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      role,
      input: { bucket, key: 'q.json', kmsKey: key },
      output: { bucket, prefix: 'out/' },
    });

    const warnings = Annotations.fromStack(stack).findWarning('/Stack/SpringPromo', Match.anyValue()).map((warning) => String(warning.entry.data));
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringContaining('The bucket existing-data is not managed by this stack, so its policy cannot be changed here. Personalize needs its bucket policy to allow the service personalize.amazonaws.com s3:GetObject on s3://existing-data/q.json; add it to the bucket, or the job will fail with access denied.'),
      expect.stringContaining('allow the service personalize.amazonaws.com s3:ListBucket on the bucket existing-data;'),
      expect.stringContaining('allow the service personalize.amazonaws.com s3:PutObject on s3://existing-data/out/*;'),
      expect.stringContaining('The KMS key arn:aws:kms:us-east-1:111122223333:key/existing is not managed by this stack, so its key policy cannot be changed here. Personalize needs it to allow the service personalize.amazonaws.com kms:Decrypt, kms:GenerateDataKey, kms:DescribeKey, kms:ListGrants, kms:CreateGrant; add it to the key policy, or the job will fail.'),
    ]));
    expect(warnings).toHaveLength(4);
    expect(warnings.filter((warning) => warning.endsWith('[ack: cdk-personalize-batch-jobs:bucketPolicyNotModified]'))).toHaveLength(3);
    expect(warnings.filter((warning) => warning.endsWith('[ack: cdk-personalize-batch-jobs:keyPolicyNotModified]'))).toHaveLength(1);
  });

  it('uses the role it is given, granting it the same access, and creates none', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const role = new iam.Role(stack, 'JobRole', { assumedBy: new iam.ServicePrincipal('personalize.amazonaws.com') });
    const job = new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, role, input: { bucket, key: 'q.json' }, output: { bucket, prefix: 'out/' } });

    expect(job.role).toBe(role);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'personalize.amazonaws.com' } })] } } }))).toEqual([
      expect.stringMatching(/^JobRole/),
    ]);
    expect(statementsOf(stack, /^JobRole/).map((statement) => statement.Action)).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    Template.fromStack(stack).hasResourceProperties(JOB_TYPE, { Job: Match.objectLike({ RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^JobRole'), 'Arn'] } }) });
  });

  it('creates the job only after the role, its policy and the bucket policy are in place', () => {
    const { stack } = jobStack({}, { encryption: s3.BucketEncryption.KMS });
    const { resource } = jobResource(stack);
    expect(resource.DependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/^DataPolicy/),
      expect.stringMatching(/^DataKey/),
      expect.stringMatching(/^SpringPromoRoleDefaultPolicy/),
      expect.stringMatching(/^SpringPromoRole[0-9A-F]{8}$/),
    ]));
  });
});

describe('the handlers\' permissions', () => {
  function handlerStatements(stack: Stack): Json[] {
    return statementsOf(stack, /^PersonalizeJobHandlersRole/).filter((statement) => !String(statement.Action).startsWith('logs:'));
  }

  it('read every batch segment job of the account and region (a rollback reads the job the old properties named), create this construct\'s jobs only, and pass its role to Personalize only', () => {
    const { stack } = jobStack();
    const statements = handlerStatements(stack);
    expect(statements).toEqual([
      { Action: 'personalize:DescribeBatchSegmentJob', Effect: 'Allow', Resource: EVERY_JOB },
      { Action: 'personalize:CreateBatchSegmentJob', Effect: 'Allow', Resource: expect.stringMatching(JOB_ARN_PATTERN) },
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SpringPromoRole/), 'Arn'] },
      },
    ]);
  });

  it('may tag the jobs only when the job has tags', () => {
    const { stack } = jobStack({ tags: { team: 'promo' } });
    expect(handlerStatements(stack)).toContainEqual({ Action: 'personalize:TagResource', Effect: 'Allow', Resource: expect.stringMatching(JOB_ARN_PATTERN) });
  });

  it('share one statement per action with the stack\'s other jobs and waiters', () => {
    const { stack, bucket } = jobStack();
    new BatchSegmentJob(stack, 'AutumnPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'q.json' }, output: { bucket, prefix: 'autumn/' } });
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/elsewhere' });

    const statements = handlerStatements(stack);
    expect(statements.map((statement) => statement.Action)).toEqual(['personalize:DescribeBatchSegmentJob', 'personalize:CreateBatchSegmentJob', 'iam:PassRole']);
    expect(statements[0].Resource).toBe(EVERY_JOB);
    expect(statements[1].Resource).toHaveLength(2);
    expect(statements[2].Resource).toHaveLength(2);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.onEvent' } }))).toHaveLength(1);
  });
});

describe('validation at synth time', () => {
  function attempt(props: Partial<BatchSegmentJobProps>): () => void {
    return () => {
      const stack = new Stack(new App(), 'Stack');
      const bucket = new s3.Bucket(stack, 'Data');
      new BatchSegmentJob(stack, 'SpringPromo', {
        solutionVersionArn: SOLUTION_VERSION_ARN,
        input: { bucket, key: 'segments/queries.json' },
        output: { bucket, prefix: 'segments/out/' },
        ...props,
      });
    };
  }

  it.each([
    ['a name prefix that starts with a dash', { jobNamePrefix: '-promo' }, 'Stack/SpringPromo: jobNamePrefix must be 1 to 50 letters, digits, - and _, starting with a letter or digit (the name adds "-" and 12 characters, within Personalize\'s 63); got "-promo".'],
    ['an empty name prefix', { jobNamePrefix: '' }, 'jobNamePrefix must be 1 to 50 letters'],
    ['a name prefix of 51 characters', { jobNamePrefix: 'a'.repeat(51) }, `got "${'a'.repeat(51)}"`],
    ['a job ARN for a solution version', { solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/x' }, 'Stack/SpringPromo: solutionVersionArn must be the ARN of a Personalize solution version, such as arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d; got "arn:aws:personalize:us-east-1:111122223333:batch-segment-job/x".'],
    ['a solution version ARN of 257 characters', { solutionVersionArn: `arn:aws:personalize:us-east-1:111122223333:solution/promo/${'v'.repeat(199)}` }, 'solutionVersionArn must be the ARN of a Personalize solution version'],
    ['a filter name for a filter ARN', { filterArn: 'active-users' }, 'Stack/SpringPromo: filterArn must be the ARN of a Personalize filter, such as arn:aws:personalize:us-east-1:111122223333:filter/active-users; got "active-users".'],
    ['a filter ARN of 257 characters', { filterArn: `arn:aws:personalize:us-east-1:111122223333:filter/${'f'.repeat(207)}` }, 'filterArn must be the ARN of a Personalize filter'],
    ['zero results', { numResults: 0 }, 'Stack/SpringPromo: numResults must be a whole number of users per segment from 1 to 5,000,000; got 0.'],
    ['too many results', { numResults: 5_000_001 }, 'got 5000001.'],
    ['fractional results', { numResults: 2.5 }, 'got 2.5.'],
    ['201 tags', { tags: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 'v'])) }, 'Stack/SpringPromo: tags may hold at most 200 tags; got 201.'],
    ['a tag key of 129 characters', { tags: { ['k'.repeat(129)]: 'v' } }, `Stack/SpringPromo: tag "${'k'.repeat(129)}" must have a key of 1 to 128 characters and a value of at most 256; got a key of 129 and a value of 1.`],
    ['an empty tag key', { tags: { '': 'v' } }, 'tag "" must have a key of 1 to 128 characters'],
    ['a tag value of 257 characters', { tags: { team: 'v'.repeat(257) } }, 'got a key of 4 and a value of 257.'],
    ['a timeout under a minute', { timeout: Duration.seconds(59) }, 'Stack/SpringPromo: timeout must be a whole number of seconds from 1 minute to 12 hours'],
  ])('rejects %s, naming the value', (_what, props, message) => {
    expect(attempt(props)).toThrow(message);
  });

  it.each([
    ['an empty input key', { key: '' }, 'input', 'Stack/SpringPromo: input.key must be an object key such as "segments/queries.json", without a leading "/"; got "".'],
    ['an input key with a leading slash', { key: '/segments/queries.json' }, 'input', 'got "/segments/queries.json".'],
    ['an output prefix without a trailing slash', { prefix: 'segments/out' }, 'output', 'Stack/SpringPromo: output.prefix must be a key prefix that ends with "/", such as "segments/out/", without a leading "/"; got "segments/out".'],
    ['an output prefix with a leading slash', { prefix: '/segments/out/' }, 'output', 'got "/segments/out/".'],
    ['an empty output prefix', { prefix: '' }, 'output', 'output.prefix must be a key prefix'],
  ])('rejects %s', (_what, location, which, message) => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const input = { bucket, key: 'q.json', ...(which === 'input' ? location : {}) };
    const output = { bucket, prefix: 'out/', ...(which === 'output' ? location : {}) };
    expect(() => new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, input, output })).toThrow(message);
  });

  it('counts the bucket\'s name in the 256 characters of an S3 path, or the shortest name when it is a token', () => {
    const bucketName = 'b'.repeat(40);
    const longestKey = 'k'.repeat(256 - 's3://'.length - bucketName.length - 1);
    const withKey = (name: string | undefined, key: string) => () => {
      const stack = new Stack(new App(), 'Stack');
      const bucket = name === undefined ? new s3.Bucket(stack, 'Data') : s3.Bucket.fromBucketName(stack, 'Data', name);
      new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key }, output: { bucket, prefix: 'out/' } });
    };
    expect(withKey(bucketName, longestKey)).not.toThrow();
    expect(withKey(bucketName, `${longestKey}k`)).toThrow(`Stack/SpringPromo: input.key makes an S3 path of 257 characters; Personalize takes at most 256. Shorten "${longestKey}k".`);
    expect(withKey(undefined, 'k'.repeat(247))).not.toThrow();
    expect(withKey(undefined, 'k'.repeat(248))).toThrow('input.key makes an S3 path of 257 characters');
  });

  it('counts the job\'s own output folder, "<job name>/", in the output path\'s 256 characters', () => {
    const bucketName = 'b'.repeat(40);
    // The job's name: its prefix, "-" and 12 characters; then "/".
    const folder = 'promo'.length + 1 + 12 + 1;
    const longestPrefix = `${'p'.repeat(256 - 's3://'.length - bucketName.length - 1 - folder - 1)}/`;
    const withPrefix = (prefix: string) => () => {
      const stack = new Stack(new App(), 'Stack');
      const bucket = s3.Bucket.fromBucketName(stack, 'Data', bucketName);
      new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, jobNamePrefix: 'promo', input: { bucket, key: 'q.json' }, output: { bucket, prefix } });
    };
    expect(withPrefix(longestPrefix)).not.toThrow();
    expect(withPrefix(`p${longestPrefix}`)).toThrow(
      `Stack/SpringPromo: output.prefix makes an S3 path of 257 characters with the job's own folder, "<job name>/"; Personalize takes at most 256. Shorten "p${longestPrefix}".`,
    );
  });

  it('accepts the edges of each range, and tokens for the handler to check', () => {
    expect(attempt({ jobNamePrefix: 'a'.repeat(50), numResults: 1, tags: { ['k'.repeat(128)]: 'v'.repeat(256) } })).not.toThrow();
    expect(attempt({ numResults: 5_000_000, tags: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'])) })).not.toThrow();
    expect(attempt({
      solutionVersionArn: `arn:aws:personalize:us-east-1:111122223333:solution/promo/${'v'.repeat(198)}`,
      filterArn: `arn:aws:personalize:us-east-1:111122223333:filter/${'f'.repeat(206)}`,
    })).not.toThrow();
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const parameter = (id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;
    expect(() => new BatchSegmentJob(stack, 'SpringPromo', {
      solutionVersionArn: parameter('Version'),
      jobNamePrefix: parameter('Prefix'),
      filterArn: parameter('Filter'),
      numResults: new CfnParameter(stack, 'NumResults', { type: 'Number' }).valueAsNumber,
      input: { bucket, key: parameter('InputKey') },
      output: { bucket, prefix: parameter('OutputPrefix') },
      tags: { team: parameter('Team') },
    })).not.toThrow();
  });
});

describe('waits longer than an hour', () => {
  it('carries the job on every link, each after the first waiting for the job the first one named', () => {
    const { stack, job } = jobStack({ timeout: Duration.hours(3) });
    const links = Template.fromStack(stack).findResources(JOB_TYPE);
    const ids = Object.keys(links);
    expect(ids).toHaveLength(4);
    const first = ids.find((id) => id.startsWith('SpringPromo') && !/Link\d/.test(id))!;
    expect(links[first].Properties).not.toHaveProperty('BatchSegmentJobArn');
    for (const id of ids.filter((other) => other !== first)) {
      expect(links[id].Properties.BatchSegmentJobArn).toEqual({ Ref: first });
      expect(links[id].Properties.Job).toEqual(links[first].Properties.Job);
    }
    expect(stack.resolve(job.batchSegmentJobArn)).toEqual({ Ref: expect.stringMatching(/^SpringPromoLink4/) });
  });

  it('shares the provider of waiters with the same poll interval', () => {
    const { stack } = jobStack();
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/elsewhere' });
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(1);
  });
});

describe('waiting on a job or waiter of the same stack', () => {
  /** The resources that each resource needs first: its Refs, GetAtts and DependsOn. */
  function findCycle(template: Json): string[] | undefined {
    const needs = new Map<string, Set<string>>();
    for (const [id, resource] of Object.entries<Json>(template.Resources)) {
      const text = JSON.stringify(resource.Properties ?? {});
      const referenced = [...text.matchAll(/"Ref":"([^"]+)"|"Fn::GetAtt":\["([^"]+)"/g)].map((match) => match[1] ?? match[2]);
      needs.set(id, new Set([...referenced, ...[resource.DependsOn ?? []].flat()].filter((other) => other in template.Resources)));
    }
    const visiting: string[] = [];
    const done = new Set<string>();
    const visit = (id: string): string[] | undefined => {
      if (visiting.includes(id)) return [...visiting.slice(visiting.indexOf(id)), id];
      if (done.has(id)) return undefined;
      visiting.push(id);
      for (const other of needs.get(id)!) {
        const cycle = visit(other);
        if (cycle) return cycle;
      }
      visiting.pop();
      done.add(id);
      return undefined;
    };
    for (const id of needs.keys()) {
      const cycle = visit(id);
      if (cycle) return cycle;
    }
    return undefined;
  }

  it('adds nothing to the handlers\' policy, which the job\'s grants already cover, so no dependency cycle forms', () => {
    const { stack, job } = jobStack();
    const waiter = new BatchSegmentJobWaiter(stack, 'JobWaiter', { batchSegmentJobArn: job.batchSegmentJobArn });
    new BatchSegmentJobWaiter(stack, 'WaiterWaiter', { batchSegmentJobArn: waiter.batchSegmentJobArn });

    const template = Template.fromStack(stack).toJSON();
    expect(findCycle(template)).toBeUndefined();
    const describe = statementsOf(stack, /^PersonalizeJobHandlersRole/).find((statement) => statement.Action === 'personalize:DescribeBatchSegmentJob');
    expect(describe.Resource).toBe(EVERY_JOB);
  });

  it('still grants a waiter in another stack the jobs of the job\'s account and region', () => {
    const { stack, job } = jobStack();
    const other = new Stack(stack.node.root as App, 'Downstream');
    new BatchSegmentJobWaiter(other, 'Waiter', { batchSegmentJobArn: job.batchSegmentJobArn });

    const describe = statementsOf(other, /^PersonalizeJobHandlersRole/).find((statement) => statement.Action === 'personalize:DescribeBatchSegmentJob');
    const parts = describe.Resource['Fn::Join'][1];
    expect(parts[parts.length - 1]).toBe(':batch-segment-job/*');
    expect(JSON.stringify(parts)).toMatch(/"Fn::Split":\[":",\{"Fn::ImportValue":"Stack:ExportsOutputRefSpringPromo/);
  });

  it('finds the cycle it guards against', () => {
    expect(findCycle({ Resources: { A: { Properties: { X: { Ref: 'B' } } }, B: { DependsOn: ['A'] } } })).toEqual(['A', 'B', 'A']);
  });
});
