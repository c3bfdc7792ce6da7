import { batchSegmentJob } from '../../lambda/kinds/batch-segment-job/kind';
import { readWaitSettings as readSettings } from '../../lambda/engine/wait-settings';
import { WaiterError } from '../../lambda/engine/handler-error';

const readJobDefinition = batchSegmentJob.readDefinition;
const readWaitSettings = (properties: Record<string, unknown>) => readSettings(batchSegmentJob, properties);
import { JOB_ARN, JOB_ROLE_ARN, jobDefinition, jobProperties, SOLUTION_VERSION_ARN } from '../support/events';

describe('readJobDefinition', () => {
  it('reads the strings CloudFormation sends, leaving out what is absent', () => {
    expect(readJobDefinition(jobDefinition())).toEqual({
      namePrefix: 'spring-promo',
      solutionVersionArn: SOLUTION_VERSION_ARN,
      roleArn: JOB_ROLE_ARN,
      inputPath: 's3://promo-data/segments/queries.json',
      outputPath: 's3://promo-data/segments/out/',
      numResults: 100000,
      tags: {},
    });
  });

  it('reads every optional field', () => {
    const definition = readJobDefinition(
      jobDefinition({
        FilterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
        InputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in',
        OutputKmsKeyArn: 'arn:aws-cn:kms:cn-north-1:111122223333:key/out',
        Tags: { team: 'promo', empty: '' },
        NumResults: 5_000_000,
      }),
    );
    expect(definition).toMatchObject({
      filterArn: 'arn:aws:personalize:us-east-1:111122223333:filter/active-users',
      inputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/in',
      outputKmsKeyArn: 'arn:aws-cn:kms:cn-north-1:111122223333:key/out',
      tags: { team: 'promo', empty: '' },
      numResults: 5_000_000,
    });
  });

  it('treats empty optional fields as absent', () => {
    const definition = readJobDefinition(jobDefinition({ FilterArn: '', NumResults: '', InputKmsKeyArn: '', OutputKmsKeyArn: '' }));
    expect(definition).not.toHaveProperty('filterArn');
    expect(definition).not.toHaveProperty('numResults');
    expect(definition).not.toHaveProperty('inputKmsKeyArn');
    expect(definition).not.toHaveProperty('outputKmsKeyArn');
  });

  it.each([
    ['not an object', 'spring-promo', 'The Job property must be an object of job settings; got "spring-promo".'],
    ['a list', [], 'The Job property must be an object of job settings; got [].'],
    ['null', null, 'The Job property must be an object of job settings; got null.'],
  ])('rejects a Job property that is %s', (_what, value, message) => {
    expect(() => readJobDefinition(value)).toThrow(new WaiterError(message));
  });

  it.each([
    ['a prefix that starts with a dash', { NamePrefix: '-promo' }, 'The Job property\'s NamePrefix must be a job name prefix of letters, digits, - and _ that starts with a letter or digit, at most 50 characters; got "-promo".'],
    ['a prefix with a dot', { NamePrefix: 'spring.promo' }, 'got "spring.promo"'],
    ['a prefix of 51 characters', { NamePrefix: 'a'.repeat(51) }, `got "${'a'.repeat(51)}"`],
    ['a missing prefix', { NamePrefix: undefined }, 'NamePrefix must be a job name prefix'],
    ['a job ARN for a solution version', { SolutionVersionArn: JOB_ARN }, `The Job property's SolutionVersionArn must be a solution version ARN such as ${SOLUTION_VERSION_ARN}, at most 256 characters; got "${JOB_ARN}".`],
    ['a solution version ARN without a region', { SolutionVersionArn: 'arn:aws:personalize::111122223333:solution/promo/1a2b3c4d' }, 'SolutionVersionArn must be'],
    ['a solution ARN without a version', { SolutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo' }, 'SolutionVersionArn must be'],
    ['a user for a role', { RoleArn: 'arn:aws:iam::111122223333:user/alice' }, 'The Job property\'s RoleArn must be an IAM role ARN, at most 256 characters; got "arn:aws:iam::111122223333:user/alice".'],
    ['a role ARN of 257 characters', { RoleArn: `arn:aws:iam::111122223333:role/${'r'.repeat(226)}` }, 'RoleArn must be an IAM role ARN, at most 256 characters'],
    ['an input that is not in S3', { InputPath: 'https://example.com/queries.json' }, 'The Job property\'s InputPath must be an S3 path such as s3://bucket/key, at most 256 characters; got "https://example.com/queries.json".'],
    ['an input path of 257 characters', { InputPath: `s3://b/${'k'.repeat(250)}` }, 'InputPath must be an S3 path'],
    ['an output without a key', { OutputPath: 's3://promo-data/' }, 'The Job property\'s OutputPath must be an S3 path such as s3://bucket/prefix/ (each job writes to a folder of its own in it), at most 192 characters; got "s3://promo-data/".'],
    ['an output that is not a folder', { OutputPath: 's3://promo-data/segments/out' }, 'The Job property\'s OutputPath must end with "/" (a folder for the job\'s output files); got "s3://promo-data/segments/out".'],
    ['zero results', { NumResults: '0' }, 'The Job property\'s NumResults must be a whole number of users from 1 to 5000000; got "0".'],
    ['too many results', { NumResults: '5000001' }, 'got "5000001"'],
    ['fractional results', { NumResults: '2.5' }, 'got "2.5"'],
    ['a filter that is not a Personalize ARN', { FilterArn: 'active-users' }, 'The Job property\'s FilterArn must be a Personalize filter ARN, at most 256 characters; got "active-users".'],
    ['a key alias for a KMS key', { InputKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/data' }, 'The Job property\'s InputKmsKeyArn must be a KMS key ARN, at most 2048 characters; got "arn:aws:kms:us-east-1:111122223333:alias/data".'],
    ['an output key id for a KMS key', { OutputKmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }, 'OutputKmsKeyArn must be a KMS key ARN'],
    ['tags as a list', { Tags: [{ Key: 'team', Value: 'promo' }] }, 'The Job property\'s Tags must be an object of at most 200 tags; got [{"Key":"team","Value":"promo"}].'],
    ['tags as a string', { Tags: 'team' }, 'The Job property\'s Tags must be an object of at most 200 tags; got "team".'],
    ['tags as null', { Tags: null }, 'The Job property\'s Tags must be an object of at most 200 tags; got null.'],
    ['201 tags', { Tags: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 'v'])) }, 'Tags must be an object of at most 200 tags'],
    ['a tag key of 129 characters', { Tags: { ['k'.repeat(129)]: 'v' } }, `Tag "${'k'.repeat(129)}" must have a key of 1 to 128 characters and a string value of at most 256; got "v".`],
    ['an empty tag key', { Tags: { '': 'v' } }, 'Tag "" must have a key of 1 to 128 characters'],
    ['a tag value of 257 characters', { Tags: { team: 'v'.repeat(257) } }, 'Tag "team" must have a key'],
    ['a tag value that is not a string', { Tags: { team: { nested: true } } }, 'Tag "team" must have a key of 1 to 128 characters and a string value of at most 256; got {"nested":true}.'],
  ])('rejects %s, naming the value', (_what, overrides, message) => {
    expect(() => readJobDefinition(jobDefinition(overrides))).toThrow(message);
  });

  it('accepts the edges of each range', () => {
    expect(readJobDefinition(jobDefinition({ NamePrefix: 'a'.repeat(50), NumResults: '1', Tags: { ['k'.repeat(128)]: 'v'.repeat(256) } }))).toMatchObject({
      namePrefix: 'a'.repeat(50),
      numResults: 1,
    });
    expect(readJobDefinition(jobDefinition({ Tags: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'])) })).tags).toHaveProperty('k199', 'v');
    expect(readJobDefinition(jobDefinition({ InputPath: `s3://b/${'k'.repeat(249)}` })).inputPath).toHaveLength(256);
  });
});

describe('readWaitSettings with a job to create', () => {
  it('needs no ARN on the first resource, which names its job itself', () => {
    const settings = readWaitSettings(jobProperties());
    expect(settings).not.toHaveProperty('jobArn');
    expect(settings.job).toMatchObject({ namePrefix: 'spring-promo' });
  });

  it('reads the ARN of a later link, which waits for the job the first one named', () => {
    expect(readWaitSettings(jobProperties(jobDefinition(), { BatchSegmentJobArn: JOB_ARN }))).toMatchObject({ ref: JOB_ARN, job: { namePrefix: 'spring-promo' } });
  });

  it('still checks an ARN given beside the job', () => {
    expect(() => readWaitSettings(jobProperties(jobDefinition(), { BatchSegmentJobArn: 'spring-promo' }))).toThrow('The BatchSegmentJobArn property must be the ARN');
  });
});
