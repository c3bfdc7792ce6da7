import { Duration } from 'aws-cdk-lib';
import { SolutionVersion, SolutionVersionWaiter, TrainingMode, TrainSolutionVersion, TrainSolutionVersionProps } from '../lib';
import { Json, stateMachineRoleStatements, stateMachineStack } from './support/state-machine-template';

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const VERSIONS = `${SOLUTION_ARN}/*`;

function runStack(props: Partial<TrainSolutionVersionProps> = {}) {
  return stateMachineStack((stack) => new TrainSolutionVersion(stack, 'Weekly', { solutionArn: SOLUTION_ARN, jobNamePrefix: 'weekly', ...props }));
}

describe('TrainSolutionVersion', () => {
  it('creates the training with the run\'s name, reads the version\'s ARN from the answer, and looks every fifteen minutes', () => {
    const { definition } = runStack({ trainingMode: TrainingMode.UPDATE, tags: { team: 'growth' } });

    expect(definition.States['Weekly: name the job'].Next).toBe('Weekly: list the versions');
    expect(definition.States['Weekly: create the job']).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:personalize:createSolutionVersion',
      Parameters: { 'Name.$': '$.JobName', SolutionArn: SOLUTION_ARN, TrainingMode: 'UPDATE', Tags: [{ TagKey: 'team', TagValue: 'growth' }] },
      ResultSelector: { 'SolutionVersionArn.$': '$.SolutionVersionArn' },
      ResultPath: '$.Created',
    });
    expect(definition.States['Weekly: describe the job'].Parameters).toEqual({ 'SolutionVersionArn.$': '$.Created.SolutionVersionArn' });
    expect(definition.States['Weekly: wait'].Seconds).toBe(900);
  });

  it('gives up after maxWait: the look that ends it stops the training, which fails the run', () => {
    const { definition } = runStack({ maxWait: Duration.hours(2), pollInterval: Duration.minutes(30) });

    expect(definition.States['Weekly: name the job'].Parameters.Polls).toEqual({ Count: 0 });
    expect(definition.States['Weekly: ended?'].Choices.at(-1)).toEqual({ Variable: '$.Polls.Count', NumericGreaterThanEquals: 3, Next: 'Weekly: stop the job' });
    expect(definition.States['Weekly: ended?'].Default).toBe('Weekly: count the looks');
    expect(definition.States['Weekly: count the looks']).toMatchObject({ Parameters: { 'Count.$': 'States.MathAdd($.Polls.Count, 1)' }, ResultPath: '$.Polls', Next: 'Weekly: wait' });
    expect(definition.States['Weekly: stop the job']).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:personalize:stopSolutionVersionCreation',
      Parameters: { 'SolutionVersionArn.$': '$.Created.SolutionVersionArn' },
      Next: 'Weekly: timed out',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Weekly: timed out' }],
    });
    expect(definition.States['Weekly: timed out']).toEqual({
      Type: 'Fail',
      Error: 'SolutionVersionTimedOut',
      Cause: 'The solution version had not ended after 2 hours: the run stopped it, so that it bills no more.',
    });
  });

  it('waits eight hours by default, as a stack\'s training does', () => {
    const { definition } = runStack();

    expect(definition.States['Weekly: ended?'].Choices.at(-1).NumericGreaterThanEquals).toBe(31);
  });

  it('checks every gated metric, in name order, after reading the metrics, and ends with them', () => {
    const { definition } = runStack({ minimumMetrics: { precision_at_5: 0.05, 'a.b-c': 1 } });

    expect(definition.States['Weekly: ended?'].Choices[0].Next).toBe('Weekly: read the metrics');
    expect(definition.States['Weekly: read the metrics']).toMatchObject({ ResultSelector: { 'Metrics.$': '$.Metrics' }, ResultPath: '$.Metrics', Next: 'Weekly: passes the gate?' });
    expect(definition.States['Weekly: passes the gate?']).toEqual({
      Type: 'Choice',
      Choices: [
        { Not: { Variable: "$.Metrics.Metrics['a.b-c']", IsPresent: true }, Next: 'Weekly: gated metric 1 not reported' },
        { Variable: "$.Metrics.Metrics['a.b-c']", NumericLessThan: 1, Next: 'Weekly: gated metric 1 below its minimum' },
        { Not: { Variable: '$.Metrics.Metrics.precision_at_5', IsPresent: true }, Next: 'Weekly: gated metric 2 not reported' },
        { Variable: '$.Metrics.Metrics.precision_at_5', NumericLessThan: 0.05, Next: 'Weekly: gated metric 2 below its minimum' },
      ],
      Default: 'Weekly: done',
    });
    expect(definition.States['Weekly: gated metric 2 below its minimum'].Parameters['Cause.$']).toBe(
      "States.Format('Solution version {} did not pass the quality gate: precision_at_5 is {}, below its minimum of 0.05.', $.Created.SolutionVersionArn, $.Metrics.Metrics.precision_at_5)",
    );
    expect(definition.States['Weekly: below the gate']).toEqual({ Type: 'Fail', Error: 'SolutionVersionBelowGate', CausePath: '$.Gate.Cause' });
    expect(definition.States['Weekly: done'].Parameters).toMatchObject({ 'TrainingHours.$': '$.Described.SolutionVersion.TrainingHours', 'Metrics.$': '$.Metrics.Metrics' });
  });

  it('goes from the metrics straight to the end without a gate', () => {
    const { definition } = runStack();

    expect(definition.States['Weekly: read the metrics'].Next).toBe('Weekly: done');
    expect(definition.States['Weekly: passes the gate?']).toBeUndefined();
  });

  it('looks for a first start\'s version before it trains, page by page, describing each version, and stops at the match', () => {
    const { definition } = runStack();

    expect(definition.States['Weekly: list the versions']).toMatchObject({ Parameters: { SolutionArn: SOLUTION_ARN, MaxResults: 100 }, ResultPath: '$.Listed', Next: 'Weekly: look for the version' });
    expect(definition.States['Weekly: list more versions'].Parameters).toEqual({ SolutionArn: SOLUTION_ARN, MaxResults: 100, 'NextToken.$': '$.Listed.NextToken' });
    expect(definition.States['Weekly: look for the version']).toMatchObject({
      ItemsPath: '$.Listed.SolutionVersions',
      MaxConcurrency: 10,
      ItemSelector: { 'Arn.$': '$$.Map.Item.Value.SolutionVersionArn', 'Wanted.$': '$.JobName' },
      ResultPath: null,
      Catch: [{ ErrorEquals: ['SolutionVersionFound'], ResultPath: '$.Found', Next: 'Weekly: its ARN' }],
      Next: 'Weekly: more versions?',
    });
    expect(definition.States['Weekly: look for the version'].ItemProcessor.States['Weekly: this one']).toEqual({ Type: 'Fail', Error: 'SolutionVersionFound', CausePath: '$.Arn' });
    expect(definition.States['Weekly: more versions?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.Listed.NextToken', IsPresent: true, Next: 'Weekly: list more versions' }],
      Default: 'Weekly: create the job',
    });
    expect(definition.States['Weekly: its ARN']).toMatchObject({ Parameters: { 'SolutionVersionArn.$': '$.Found.Cause' }, ResultPath: '$.Created', Next: 'Weekly: wait' });
    expect(definition.States['Weekly: create the job'].Catch).toEqual([{ ErrorEquals: ['Personalize.ResourceAlreadyExistsException'], ResultPath: null, Next: 'Weekly: not found' }]);
  });

  it('grants the Create on the solution, the reads and the stop on its versions, the list on "*", and passes no role', () => {
    const { template } = runStack({ tags: { team: 'growth' }, minimumMetrics: { coverage: 0.1 } });

    const statements = stateMachineRoleStatements(template);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: 'personalize:CreateSolutionVersion', Effect: 'Allow', Resource: SOLUTION_ARN },
        { Action: 'personalize:TagResource', Effect: 'Allow', Resource: VERSIONS },
        { Action: 'personalize:ListSolutionVersions', Effect: 'Allow', Resource: '*' },
        { Action: 'personalize:DescribeSolutionVersion', Effect: 'Allow', Resource: VERSIONS },
        { Action: 'personalize:GetSolutionMetrics', Effect: 'Allow', Resource: VERSIONS },
        { Action: 'personalize:StopSolutionVersionCreation', Effect: 'Allow', Resource: VERSIONS },
      ]),
    );
    expect(statements.flatMap((statement: Json) => statement.Action)).not.toContain('iam:PassRole');
    expect(new Set(statements.flatMap((statement: Json) => statement.Action)).size).toBe(6);
  });

  it('checks the training at synth time as a stack\'s is checked', () => {
    expect(() => runStack({ solutionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d' })).toThrow('Stack/Weekly: solutionArn must be the ARN of a Personalize solution');
    expect(() => runStack({ minimumMetrics: { 'no spaces': 1 } })).toThrow('Stack/Weekly: a metric name is 1 to 256 letters');
    expect(() => runStack({ tags: { '': 'x' } })).toThrow('Stack/Weekly: tag "" must have a key of 1 to 128 characters');
    expect(() => runStack({ maxWait: Duration.minutes(5), pollInterval: Duration.minutes(15) })).not.toThrow();
    expect(() =>
      stateMachineStack((stack) => new TrainSolutionVersion(stack, 'RetrainTheRecommendationsModelEveryWeekBehindItsGate', { solutionArn: SOLUTION_ARN, jobNamePrefix: 'weekly', minimumMetrics: { coverage: 0.1 } })),
    ).toThrow(
      'Stack/RetrainTheRecommendationsModelEveryWeekBehindItsGate: the state "RetrainTheRecommendationsModelEveryWeekBehindItsGate: gated metric 1 not reported" has 81 characters, and Step Functions takes at most 80: give the run an id of at most 51 characters.',
    );
  });
});

describe('TrainSolutionVersion.sameAs', () => {
  it('trains the stack\'s solution again with its mode, tags, gate and name prefix', () => {
    const { definition } = stateMachineStack((stack) => {
      const model = new SolutionVersion(stack, 'Model', {
        solutionArn: SOLUTION_ARN,
        trainingMode: TrainingMode.FULL,
        namePrefix: 'model',
        tags: { team: 'growth' },
        minimumMetrics: { coverage: 0.2 },
        pollInterval: Duration.seconds(30),
      });
      return TrainSolutionVersion.sameAs(stack, 'Weekly', model);
    });

    expect(definition.States['Weekly: create the job'].Parameters).toEqual({ 'Name.$': '$.JobName', SolutionArn: SOLUTION_ARN, TrainingMode: 'FULL', Tags: [{ TagKey: 'team', TagValue: 'growth' }] });
    expect(definition.States['Weekly: name the job'].Parameters['JobName.$']).toMatch(/^States\.Format\('model-\{\}'/);
    expect(definition.States['Weekly: passes the gate?'].Choices[1]).toMatchObject({ NumericLessThan: 0.2 });
    expect(definition.States['Weekly: wait'].Seconds).toBe(900);
  });

  it('refuses a construct that only waits for a version', () => {
    expect(() =>
      stateMachineStack((stack) => {
        const waiter = new SolutionVersionWaiter(stack, 'Elsewhere', { solutionVersionArn: `${SOLUTION_ARN}/1a2b3c4d` });
        return TrainSolutionVersion.sameAs(stack, 'Weekly', waiter as unknown as SolutionVersion);
      }),
    ).toThrow('Stack: Stack/Elsewhere is not a solution version the stack creates; a run repeats the work of a construct that creates it.');
  });
});
