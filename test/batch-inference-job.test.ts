import { Template } from 'aws-cdk-lib/assertions';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BatchInferenceJob,
  BatchInferenceJobMode,
  BatchInferenceJobProps,
  BatchInferenceJobWaiter,
  BatchSegmentJob,
  BatchSegmentJobWaiter,
  SolutionVersion,
  SolutionVersionWaiter,
} from '../lib';
import { handlerStatements } from './support/handler-statements';

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/movies/1a2b3c4d';
const INFERENCE_JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly';
const SEGMENT_JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function inferenceStack(props: Partial<BatchInferenceJobProps> = {}): { stack: Stack; job: BatchInferenceJob } {
  const stack = new Stack(new App(), 'Stack');
  const bucket = new s3.Bucket(stack, 'Data');
  const job = new BatchInferenceJob(stack, 'Nightly', {
    solutionVersionArn: SOLUTION_VERSION_ARN,
    input: { bucket, key: 'batch/users.json' },
    output: { bucket, prefix: 'batch/recommendations/' },
    numResults: 25,
    ...props,
  });
  return { stack, job };
}

function only(stack: Stack, type: string): Json {
  const resources = Object.values(Template.fromStack(stack).findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('BatchInferenceJobWaiter', () => {
  it('waits on the ARN it is given, with its own resource type and only DescribeBatchInferenceJob, on the batch inference jobs of that ARN\'s account and region', () => {
    const stack = new Stack(new App(), 'Stack');
    new BatchInferenceJobWaiter(stack, 'External', { batchInferenceJobArn: INFERENCE_JOB_ARN, timeout: Duration.minutes(30) });

    expect(only(stack, 'Custom::PersonalizeBatchInferenceJobWaiter').Properties).toMatchObject({
      BatchInferenceJobArn: INFERENCE_JOB_ARN,
      TimeoutSeconds: 1800,
    });
    expect(handlerStatements(stack)).toEqual([{ Action: 'personalize:DescribeBatchInferenceJob', Effect: 'Allow', Resource: 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/*' }]);
  });

  it('rejects an ARN of another kind at synth, naming the prop and an example', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new BatchInferenceJobWaiter(stack, 'External', { batchInferenceJobArn: SEGMENT_JOB_ARN })).toThrow(
      `Stack/External: batchInferenceJobArn must be the ARN of an Amazon Personalize batch inference job, such as ` +
        `arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly-recommendations; got "${SEGMENT_JOB_ARN}".`,
    );
  });

  it('reads the attributes of every batch job, and the mode and configuration', () => {
    const stack = new Stack(new App(), 'Stack');
    const waiter = new BatchInferenceJobWaiter(stack, 'External', { batchInferenceJobArn: INFERENCE_JOB_ARN });
    const resolve = (value: string) => stack.resolve(value);
    const [id] = Object.keys(Template.fromStack(stack).findResources('Custom::PersonalizeBatchInferenceJobWaiter'));

    expect(resolve(waiter.batchInferenceJobArn)).toEqual({ Ref: id });
    expect(resolve(waiter.outputPath)).toEqual({ 'Fn::GetAtt': [id, 'OutputPath'] });
    expect(resolve(waiter.numResultsAsString)).toEqual({ 'Fn::GetAtt': [id, 'NumResults'] });
    expect(resolve(waiter.batchInferenceJobMode)).toEqual({ 'Fn::GetAtt': [id, 'BatchInferenceJobMode'] });
    expect(resolve(waiter.batchInferenceJobConfig)).toEqual({ 'Fn::GetAtt': [id, 'BatchInferenceJobConfig'] });
    expect(resolve(waiter.themeItemNameField)).toEqual({ 'Fn::GetAtt': [id, 'ThemeItemNameField'] });
  });
});

describe('BatchInferenceJob', () => {
  it('carries the batch job and its configuration, mode and theme field to the handlers', () => {
    const { stack } = inferenceStack({
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, rankingInfluence: { popularity: 0.5, freshness: 0 } },
      batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION,
      themeItemNameField: 'TITLE',
    });

    const job = only(stack, 'Custom::PersonalizeBatchInferenceJob').Properties.Job;
    expect(job).toMatchObject({
      SolutionVersionArn: SOLUTION_VERSION_ARN,
      NumResults: 25,
      Mode: 'THEME_GENERATION',
      ItemExplorationConfig: { explorationWeight: '0.3' },
      RankingInfluence: { POPULARITY: 0.5, FRESHNESS: 0 },
      ThemeItemNameField: 'TITLE',
    });
    expect(job.NamePrefix).toMatch(/^Stack-Nightly-/);
  });

  it('creates and describes only its own jobs, passes its role to Personalize only', () => {
    const { stack } = inferenceStack();
    const statements = handlerStatements(stack);
    const actions = statements.map((statement) => statement.Action).sort();

    expect(actions).toEqual(['iam:PassRole', 'personalize:CreateBatchInferenceJob', 'personalize:DescribeBatchInferenceJob']);
    const create = statements.find((statement) => statement.Action === 'personalize:CreateBatchInferenceJob');
    expect(JSON.stringify(create.Resource)).toMatch(/:batch-inference-job\/Stack-Nightly-[A-Z0-9]{8}-\?{12}"/);
    expect(statements.find((statement) => statement.Action === 'iam:PassRole').Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' },
    });
  });

  it('may create jobs from the solution version it is given, which CreateBatchInferenceJob is authorized on too', () => {
    const { stack } = inferenceStack();
    const create = handlerStatements(stack).find((statement) => statement.Action === 'personalize:CreateBatchInferenceJob');

    expect(create.Resource).toEqual([expect.stringMatching(/:batch-inference-job\/Stack-Nightly-[A-Z0-9]{8}-\?{12}$/), SOLUTION_VERSION_ARN]);
  });

  it("names, for a SolutionVersion's version, the versions of its solution (naming the training would be circular), and for a waiter's, the version it waits for", () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    const trained = new SolutionVersion(stack, 'Model', { solutionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo' });
    const waited = new SolutionVersionWaiter(stack, 'Waited', { solutionVersionArn: SOLUTION_VERSION_ARN });
    const job = (id: string, solutionVersionArn: string) =>
      new BatchInferenceJob(stack, id, { solutionVersionArn, input: { bucket, key: 'batch/users.json' }, output: { bucket, prefix: `batch/${id}/` } });
    job('FromTraining', trained.solutionVersionArn);
    job('FromWaiter', waited.solutionVersionArn);
    new BatchSegmentJob(stack, 'SegmentsFromWaiter', { solutionVersionArn: waited.solutionVersionArn, input: { bucket, key: 'batch/items.json' }, output: { bucket, prefix: 'segments/' } });

    const create = handlerStatements(stack).find((statement) => statement.Action === 'personalize:CreateBatchInferenceJob');
    const versions = create.Resource.filter((resource: unknown) => typeof resource !== 'string' || !resource.includes(':batch-inference-job/'));
    expect(versions).toEqual(['arn:aws:personalize:us-east-1:111122223333:solution/promo/*', SOLUTION_VERSION_ARN]);
    // Nothing the handlers' policy or the jobs' roles name waits for the handlers: no cycle.
    const policies = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy')) + JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(policies).not.toMatch(/"(Model|Waited)Link/);
    expect(policies).not.toMatch(/"(Model|Waited)[0-9A-F]{8}"/);
  });

  it.each([
    ['themes without the item-name field', { batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION }, 'batchInferenceJobMode THEME_GENERATION needs themeItemNameField'],
    ['an item-name field without themes', { themeItemNameField: 'TITLE' }, 'themeItemNameField is only for batchInferenceJobMode THEME_GENERATION; got "TITLE" with the default mode.'],
    ['a 151-character item-name field', { batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION, themeItemNameField: 'x'.repeat(151) }, 'themeItemNameField must be 1 to 150 characters'],
    ['popularity over 1', { batchInferenceJobConfig: { rankingInfluence: { popularity: 1.5 } } }, 'rankingInfluence.popularity must be a number from 0 to 1; got 1.5.'],
    ['freshness under 0', { batchInferenceJobConfig: { rankingInfluence: { freshness: -0.1 } } }, 'rankingInfluence.freshness must be a number from 0 to 1; got -0.1.'],
    ['an empty exploration key', { batchInferenceJobConfig: { itemExplorationConfig: { '': '1' } } }, 'itemExplorationConfig setting "" must have a key of 1 to 256 characters'],
    ['a 1001-character exploration value', { batchInferenceJobConfig: { itemExplorationConfig: { w: 'v'.repeat(1001) } } }, 'and a value of at most 1000; got a key of 1 and a value of 1001.'],
    ['101 exploration settings', { batchInferenceJobConfig: { itemExplorationConfig: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])) } }, 'itemExplorationConfig may hold at most 100 settings; got 101.'],
    ['zero results', { numResults: 0 }, 'numResults must be a whole number of recommendations from 1 to 2,147,483,647; got 0.'],
  ])('rejects %s at synth, saying what is expected', (_name, props, message) => {
    expect(() => inferenceStack(props as Partial<BatchInferenceJobProps>)).toThrow(message);
  });

  it('accepts the edges of each range', () => {
    expect(() =>
      inferenceStack({
        batchInferenceJobConfig: {
          itemExplorationConfig: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(1000)])),
          rankingInfluence: { popularity: 0, freshness: 1 },
        },
        batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION,
        themeItemNameField: 'x'.repeat(150),
      }),
    ).not.toThrow();
  });
});

describe('a stack with both kinds, waiting and creating', () => {
  function mixedStack(): Stack {
    const stack = new Stack(new App(), 'Mixed');
    const bucket = new s3.Bucket(stack, 'Data');
    new BatchSegmentJobWaiter(stack, 'SegmentsWaiter', { batchSegmentJobArn: SEGMENT_JOB_ARN });
    new BatchInferenceJobWaiter(stack, 'InferenceWaiter', { batchInferenceJobArn: INFERENCE_JOB_ARN });
    new BatchSegmentJob(stack, 'Segments', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'segments/queries.json' },
      output: { bucket, prefix: 'segments/out/' },
    });
    new BatchInferenceJob(stack, 'Recommendations', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      input: { bucket, key: 'batch/users.json' },
      output: { bucket, prefix: 'batch/out/' },
    });
    return stack;
  }

  it('has one onEvent and one isComplete function, and one provider, for all four', () => {
    const template = Template.fromStack(mixedStack());
    const handlers = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn: Json) => /^index\./.test(fn.Properties.Handler));
    expect(handlers.map((fn: Json) => fn.Properties.Handler).sort()).toEqual(['index.isComplete', 'index.onEvent']);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    for (const type of ['Custom::PersonalizeBatchSegmentJobWaiter', 'Custom::PersonalizeBatchInferenceJobWaiter', 'Custom::PersonalizeBatchSegmentJob', 'Custom::PersonalizeBatchInferenceJob']) {
      template.resourceCountIs(type, 1);
    }
  });

  it('shares one statement per action between the kinds\' constructs', () => {
    const statements = handlerStatements(mixedStack());
    const actions = statements.map((statement) => statement.Action);
    expect([...actions].sort()).toEqual([
      'iam:PassRole',
      'personalize:CreateBatchInferenceJob',
      'personalize:CreateBatchSegmentJob',
      'personalize:DescribeBatchInferenceJob',
      'personalize:DescribeBatchSegmentJob',
    ]);
    expect(statements.find((statement) => statement.Action === 'iam:PassRole').Resource).toHaveLength(2);
  });
});
