import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BatchInferenceJob, BatchInferenceJobMode, RunBatchInferenceJob, RunBatchInferenceJobProps } from '../lib';
import { stateMachineRoleStatements, stateMachineStack } from './support/state-machine-template';

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/similar/1a2b3c4d';
const JOB_PATTERN = 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly-????????????????????????????????';

function runStack(props: Partial<RunBatchInferenceJobProps> = {}) {
  return stateMachineStack(
    (stack, bucket) =>
      new RunBatchInferenceJob(stack, 'Recommendations', {
        solutionVersionArn: SOLUTION_VERSION_ARN,
        input: { bucket, key: 'users.json' },
        output: { bucket, prefix: 'recommendations/' },
        jobNamePrefix: 'nightly',
        ...props,
      }),
  );
}

describe('RunBatchInferenceJob', () => {
  it('creates the job with its mode and configuration, and waits on DescribeBatchInferenceJob', () => {
    const { definition } = runStack({
      numResults: 25,
      batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION,
      themeItemNameField: 'TITLE',
      batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, rankingInfluence: { popularity: 0.5 } },
      pollInterval: Duration.minutes(10),
    });

    const create = definition.States['Recommendations: create the job'];
    expect(create.Resource).toBe('arn:<AWS::Partition>:states:::aws-sdk:personalize:createBatchInferenceJob');
    expect(create.Parameters).toEqual({
      'JobName.$': '$.JobName',
      SolutionVersionArn: SOLUTION_VERSION_ARN,
      NumResults: 25,
      RoleArn: '<RecommendationsRole6FAB6CB4>',
      JobInput: { S3DataSource: { Path: 's3://<Data666C94C7>/users.json' } },
      JobOutput: { S3DataDestination: { 'Path.$': "States.Format('s3://<Data666C94C7>/recommendations/{}/', $.JobName)" } },
      BatchInferenceJobMode: 'THEME_GENERATION',
      BatchInferenceJobConfig: { ItemExplorationConfig: { explorationWeight: '0.3' }, RankingInfluence: { POPULARITY: 0.5 } },
      ThemeGenerationConfig: { FieldsForThemeGeneration: { ItemName: 'TITLE' } },
    });
    const describe = definition.States['Recommendations: describe the job'];
    expect(describe.Resource).toBe('arn:<AWS::Partition>:states:::aws-sdk:personalize:describeBatchInferenceJob');
    expect(describe.Parameters).toEqual({ 'BatchInferenceJobArn.$': '$.JobArn' });
    expect(definition.States['Recommendations: done'].Parameters).toMatchObject({
      'Status.$': '$.Described.BatchInferenceJob.Status',
      'OutputPath.$': '$.Described.BatchInferenceJob.JobOutput.S3DataDestination.Path',
      'Job.$': '$.Described.BatchInferenceJob',
    });
    expect(definition.States['Recommendations: failed']).toEqual({ Type: 'Fail', Error: 'BatchInferenceJobFailed', CausePath: '$.Described.BatchInferenceJob.FailureReason' });
    expect(definition.States['Recommendations: wait'].Seconds).toBe(600);
  });

  it('sends none of the inference settings it was not given', () => {
    const { definition } = runStack();

    const parameters = definition.States['Recommendations: create the job'].Parameters;
    expect(Object.keys(parameters).sort()).toEqual(['JobInput', 'JobName.$', 'JobOutput', 'RoleArn', 'SolutionVersionArn']);
  });

  it('grants the Create on its own jobs and on the solution version, as the handlers have it', () => {
    const { template } = runStack();

    expect(stateMachineRoleStatements(template)).toEqual([
      {
        Action: 'personalize:CreateBatchInferenceJob',
        Effect: 'Allow',
        Resource: [JOB_PATTERN, 'arn:aws:personalize:us-east-1:111122223333:solution/similar/1a2b3c4d'],
      },
      { Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } }, Effect: 'Allow', Resource: { 'Fn::GetAtt': ['RecommendationsRole6FAB6CB4', 'Arn'] } },
      { Action: 'personalize:DescribeBatchInferenceJob', Effect: 'Allow', Resource: JOB_PATTERN },
    ]);
  });

  it('checks the inference settings at synth time as the stack\'s job does', () => {
    expect(() => runStack({ batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION })).toThrow(
      'Stack/Recommendations: batchInferenceJobMode THEME_GENERATION needs themeItemNameField, the items dataset\'s item-name column.',
    );
    expect(() => runStack({ batchInferenceJobConfig: { rankingInfluence: { freshness: 2 } } })).toThrow('Stack/Recommendations: rankingInfluence.freshness must be a number from 0 to 1; got 2.');
    expect(() => runStack({ numResults: 0 })).toThrow('Stack/Recommendations: numResults');
  });
});

describe('RunBatchInferenceJob.sameAs', () => {
  it('runs the stack\'s job again with its mode, configuration and role, and none of how the stack waits', () => {
    const { definition } = stateMachineStack((stack, bucket) => {
      const job = new BatchInferenceJob(stack, 'Similar', {
        solutionVersionArn: SOLUTION_VERSION_ARN,
        input: { bucket, key: 'items.json' },
        output: { bucket, prefix: 'similar/' },
        jobNamePrefix: 'similar',
        batchInferenceJobMode: BatchInferenceJobMode.THEME_GENERATION,
        themeItemNameField: 'TITLE',
        pollInterval: Duration.seconds(30),
      });
      return RunBatchInferenceJob.sameAs(stack, 'Again', job);
    });

    expect(definition.States['Again: create the job'].Parameters).toMatchObject({
      BatchInferenceJobMode: 'THEME_GENERATION',
      ThemeGenerationConfig: { FieldsForThemeGeneration: { ItemName: 'TITLE' } },
      RoleArn: '<SimilarRoleD2DEBAE9>',
    });
    expect(definition.States['Again: name the job'].Parameters['JobName.$']).toBe("States.Format('similar-{}', States.Hash(States.Format('Stack/Again/{}', $$.Execution.Input.scheduledTime), 'MD5'))");
    expect(definition.States['Again: wait'].Seconds).toBe(300);
  });
});

describe('a run whose solution version is read from the run\'s state', () => {
  const TRAINED = '$.model.JobArn';

  it('sends the version from the state, and names and grants the jobs in the stack\'s account and region, on the versions of every solution there', () => {
    const { definition, template } = runStack({ solutionVersionArn: sfn.JsonPath.stringAt(TRAINED) });

    expect(definition.States['Recommendations: create the job'].Parameters['SolutionVersionArn.$']).toBe(TRAINED);
    const [create] = stateMachineRoleStatements(template);
    const home = ['arn:', { Ref: 'AWS::Partition' }, ':personalize:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }];
    expect(create.Resource).toEqual([
      { 'Fn::Join': ['', [...home, ':batch-inference-job/nightly-????????????????????????????????']] },
      { 'Fn::Join': ['', [...home, ':solution/*/*']] },
    ]);
  });

  it('takes it in place of the stack job\'s version through sameAs', () => {
    const { definition } = stateMachineStack((stack, bucket) => {
      const job = new BatchInferenceJob(stack, 'Similar', { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'items.json' }, output: { bucket, prefix: 'similar/' }, jobNamePrefix: 'similar' });
      return RunBatchInferenceJob.sameAs(stack, 'Again', job, { solutionVersionArn: sfn.JsonPath.stringAt(TRAINED) });
    });

    expect(definition.States['Again: create the job'].Parameters['SolutionVersionArn.$']).toBe(TRAINED);
  });

  it('is refused by a stack\'s job, which only an ARN can name', () => {
    expect(() =>
      stateMachineStack((stack, bucket) =>
        new BatchInferenceJob(stack, 'Similar', { solutionVersionArn: sfn.JsonPath.stringAt(TRAINED), input: { bucket, key: 'items.json' }, output: { bucket, prefix: 'similar/' } }) as unknown as sfn.IChainable,
      ),
    ).toThrow(
      "Stack/Similar: solutionVersionArn is a path into a state machine's state, which only a run in a state machine reads (RunBatchSegmentJob, RunBatchInferenceJob); a stack's job needs an ARN, such as a SolutionVersion's solutionVersionArn.",
    );
  });
});
