import { Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { BatchSegmentJob, BatchSegmentJobWaitOptions, JobRunOptions, RunBatchSegmentJob, RunBatchSegmentJobProps } from '../lib';
import { Json, stateMachineRoleStatements, stateMachineStack } from './support/state-machine-template';

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
const JOB_PATTERN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/nightly-????????????????????????????????';

function runStack(props: Partial<RunBatchSegmentJobProps> = {}, build?: (stack: Stack, bucket: s3.Bucket) => sfn.IChainable) {
  return stateMachineStack(
    (stack, bucket) =>
      build?.(stack, bucket) ??
      new RunBatchSegmentJob(stack, 'Segments', {
        solutionVersionArn: SOLUTION_VERSION_ARN,
        input: { bucket, key: 'segments/queries.json' },
        output: { bucket, prefix: 'segments/out/' },
        jobNamePrefix: 'nightly',
        ...props,
      }),
  );
}

const roleStatements = stateMachineRoleStatements;

describe('RunBatchSegmentJob', () => {
  it('creates the job through the SDK integration, then waits and describes until it has ended', () => {
    const { definition } = runStack();

    expect(definition.StartAt).toBe('Segments: name the job');
    expect(Object.keys(definition.States)).toEqual([
      'Segments: name the job',
      'Segments: its ARN',
      'Segments: create the job',
      'Segments: wait',
      'Segments: describe the job',
      'Segments: ended?',
      'Segments: done',
      'Segments: failed',
      'Segments: failed without a reason',
    ]);
    const create = definition.States['Segments: create the job'];
    expect(create.Resource).toBe('arn:<AWS::Partition>:states:::aws-sdk:personalize:createBatchSegmentJob');
    expect(create.Parameters).toEqual({
      'JobName.$': '$.JobName',
      SolutionVersionArn: SOLUTION_VERSION_ARN,
      RoleArn: '<SegmentsRole3A1CB27B>',
      JobInput: { S3DataSource: { Path: 's3://<Data666C94C7>/segments/queries.json' } },
      JobOutput: { S3DataDestination: { 'Path.$': "States.Format('s3://<Data666C94C7>/segments/out/{}/', $.JobName)" } },
    });
    expect(definition.States['Segments: describe the job']).toMatchObject({
      Resource: 'arn:<AWS::Partition>:states:::aws-sdk:personalize:describeBatchSegmentJob',
      Parameters: { 'BatchSegmentJobArn.$': '$.JobArn' },
      ResultPath: '$.Described',
    });
    expect(definition.States['Segments: wait']).toEqual({ Type: 'Wait', Seconds: 300, Next: 'Segments: describe the job' });
  });

  it('names the job from the run\'s key and the construct\'s path, and its ARN from the name', () => {
    const { definition } = runStack({ runKey: '$.night' });

    expect(definition.States['Segments: name the job'].Parameters).toEqual({
      'JobName.$': "States.Format('nightly-{}', States.Hash(States.Format('Stack/Segments/{}', $.night), 'MD5'))",
    });
    expect(definition.States['Segments: its ARN'].Parameters['JobArn.$']).toBe("States.Format('arn:aws:personalize:us-east-1:111122223333:batch-segment-job/{}', $.JobName)");
  });

  it('names the job from the scheduled time in the execution\'s input by default', () => {
    const { definition } = runStack();

    expect(definition.States['Segments: name the job'].Parameters['JobName.$']).toContain('$$.Execution.Input.scheduledTime');
  });

  it('retries a Create refused for the region\'s limit every pollInterval for slotTimeout, and never one that cannot succeed', () => {
    const { definition } = runStack({ pollInterval: Duration.minutes(10), slotTimeout: Duration.hours(12) });

    expect(definition.States['Segments: create the job'].Retry).toEqual([
      {
        ErrorEquals: [
          'Personalize.InvalidInputException',
          'Personalize.AccessDeniedException',
          'Personalize.ResourceNotFoundException',
          'Personalize.ResourceInUseException',
          'Personalize.ResourceAlreadyExistsException',
        ],
        MaxAttempts: 0,
      },
      { ErrorEquals: ['Personalize.LimitExceededException'], IntervalSeconds: 600, MaxAttempts: 72, BackoffRate: 1 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 6, BackoffRate: 2 },
    ]);
    expect(definition.States['Segments: create the job'].Catch).toEqual([{ ErrorEquals: ['Personalize.ResourceAlreadyExistsException'], ResultPath: null, Next: 'Segments: wait' }]);
    expect(definition.States['Segments: wait'].Seconds).toBe(600);
  });

  it('ends with the job\'s fields at resultPath, or fails with Personalize\'s reason', () => {
    const { definition } = runStack({ resultPath: '$.segments' });

    expect(definition.States['Segments: done']).toEqual({
      Type: 'Pass',
      ResultPath: '$.segments',
      Parameters: {
        'JobArn.$': '$.segments.JobArn',
        'JobName.$': '$.segments.JobName',
        'Status.$': '$.segments.Described.BatchSegmentJob.Status',
        'OutputPath.$': '$.segments.Described.BatchSegmentJob.JobOutput.S3DataDestination.Path',
        'Job.$': '$.segments.Described.BatchSegmentJob',
      },
      End: true,
    });
    expect(definition.States['Segments: ended?'].Choices).toEqual([
      { Variable: '$.segments.Described.BatchSegmentJob.Status', StringEquals: 'ACTIVE', Next: 'Segments: done' },
      {
        And: [
          { Variable: '$.segments.Described.BatchSegmentJob.Status', StringEquals: 'CREATE FAILED' },
          { Variable: '$.segments.Described.BatchSegmentJob.FailureReason', IsPresent: true },
        ],
        Next: 'Segments: failed',
      },
      { Variable: '$.segments.Described.BatchSegmentJob.Status', StringEquals: 'CREATE FAILED', Next: 'Segments: failed without a reason' },
    ]);
    expect(definition.States['Segments: ended?'].Default).toBe('Segments: wait');
    expect(definition.States['Segments: failed']).toEqual({ Type: 'Fail', Error: 'BatchSegmentJobFailed', CausePath: '$.segments.Described.BatchSegmentJob.FailureReason' });
  });

  it('keeps its working fields at resultPath, so the rest of the state is left as it was', () => {
    const { definition } = runStack({ resultPath: '$.segments' });

    const resultPaths = Object.values(definition.States as Record<string, Json>)
      .filter((state) => state.Type !== 'Fail' && state.Type !== 'Wait' && state.Type !== 'Choice')
      .map((state) => state.ResultPath);
    expect(resultPaths).toEqual(['$.segments', '$.segments', null, '$.segments.Described', '$.segments']);
  });

  it('leaves ResultPath out where the result replaces the state, the language\'s default', () => {
    const { definition } = runStack({ resultPath: '$' });

    expect(definition.States['Segments: name the job'].ResultPath).toBeUndefined();
    expect(definition.States['Segments: done'].ResultPath).toBeUndefined();
    expect(definition.States['Segments: describe the job'].ResultPath).toBe('$.Described');
  });

  it('refuses at synth time how a run is set up when Step Functions would refuse it or it would never look', () => {
    expect(() => runStack({ resultPath: sfn.JsonPath.DISCARD })).toThrow(
      "Stack/Segments: resultPath must be '$' or a path to a field such as '$.segments' (the run keeps its working fields there); got JsonPath.DISCARD. To drop the result, chain a Pass state after the run.",
    );
    expect(() => runStack({ resultPath: '$.a[0]' })).toThrow('got "$.a[0]"');
    expect(() => runStack({ runKey: 'scheduledTime' })).toThrow(
      "Stack/Segments: runKey must be a path into the state ('$.runDate') or the context object ('$$.Execution.Input.scheduledTime'); got \"scheduledTime\".",
    );
    expect(() => runStack({ pollInterval: Duration.millis(1500) })).toThrow('Stack/Segments: pollInterval must be a whole number of seconds, at least 1 (a Wait state\'s seconds); got 1 second 500 millis.');
    expect(() => runStack({ pollInterval: Duration.millis(500) })).toThrow('got 500 millis.');
    expect(() => runStack({ pollInterval: Duration.minutes(10), slotTimeout: Duration.minutes(5) })).toThrow(
      'Stack/Segments: slotTimeout (5 minutes) must be at least the pollInterval, the time between two tries of the Create.',
    );
    expect(() => runStack({ pollInterval: Duration.seconds(1), slotTimeout: Duration.seconds(1), runKey: '$.night', resultPath: '$.a_1.b' })).not.toThrow();
  });

  it('grants the state machine\'s role the Create and the Describe of its own jobs, and passing the job\'s role to Personalize only', () => {
    const { template } = runStack({ tags: { team: 'growth' } });

    expect(roleStatements(template)).toEqual([
      { Action: 'personalize:CreateBatchSegmentJob', Effect: 'Allow', Resource: JOB_PATTERN },
      { Action: 'iam:PassRole', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } }, Effect: 'Allow', Resource: { 'Fn::GetAtt': ['SegmentsRole3A1CB27B', 'Arn'] } },
      { Action: 'personalize:TagResource', Effect: 'Allow', Resource: JOB_PATTERN },
      { Action: 'personalize:DescribeBatchSegmentJob', Effect: 'Allow', Resource: JOB_PATTERN },
    ]);
  });

  it('tags only when asked, and grants no tagging otherwise', () => {
    const { template, definition } = runStack();

    expect(roleStatements(template).map((statement) => statement.Action)).toEqual(['personalize:CreateBatchSegmentJob', 'iam:PassRole', 'personalize:DescribeBatchSegmentJob']);
    expect(definition.States['Segments: create the job'].Parameters.Tags).toBeUndefined();
  });

  it('checks the definition at synth time as a stack\'s job is checked', () => {
    expect(() => runStack({ solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo' })).toThrow('Stack/Segments: solutionVersionArn');
    expect(() => runStack({ jobNamePrefix: 'n'.repeat(31) })).toThrow(
      `Stack/Segments: jobNamePrefix must be 1 to 30 letters, digits, - and _, starting with a letter or digit (the name adds "-" and 32 characters, within Personalize's 63); got "${'n'.repeat(31)}".`,
    );
    expect(() => runStack({ jobNamePrefix: 'n'.repeat(30) })).not.toThrow();
  });

  it('makes a default name prefix from its path that fits a run\'s name', () => {
    const { template } = runStack({ jobNamePrefix: undefined });

    const [create] = roleStatements(template);
    expect(create.Resource).toMatch(/^arn:aws:personalize:us-east-1:111122223333:batch-segment-job\/[A-Za-z0-9-]{1,30}-\?{32}$/);
  });

  it('runs two jobs in one state machine without their states colliding', () => {
    const { definition } = runStack({}, (stack, bucket) => {
      const props = { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'in.json' }, output: { bucket, prefix: 'out/' } };
      return new RunBatchSegmentJob(stack, 'Spring', { ...props, jobNamePrefix: 'spring' }).next(new RunBatchSegmentJob(stack, 'Summer', { ...props, jobNamePrefix: 'summer' }));
    });

    expect(definition.States['Spring: done'].Next).toBe('Summer: name the job');
    expect(definition.States['Summer: done'].End).toBe(true);
  });
});

describe('RunBatchSegmentJob.sameAs', () => {
  function sameAsStack(jobNamePrefix: string, runPrefix?: string, waitOptions: BatchSegmentJobWaitOptions = {}, runOptions: JobRunOptions = {}) {
    return runStack({}, (stack, bucket) => {
      const job = new BatchSegmentJob(stack, 'SpringPromo', { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: 'in.json' }, output: { bucket, prefix: 'out/' }, numResults: 500, jobNamePrefix, ...waitOptions });
      return RunBatchSegmentJob.sameAs(stack, 'Again', job, { ...(runPrefix !== undefined ? { jobNamePrefix: runPrefix } : {}), ...runOptions });
    });
  }

  it('takes what defines the job from the stack\'s construct, and none of how the stack waits for it', () => {
    const stackWait = { pollInterval: Duration.seconds(30), timeout: Duration.minutes(20) };

    expect(sameAsStack('nightly', undefined, stackWait).definition.States['Again: wait'].Seconds).toBe(300);
    expect(sameAsStack('nightly', undefined, stackWait, { pollInterval: Duration.minutes(15) }).definition.States['Again: wait'].Seconds).toBe(900);
  });

  it('runs the stack\'s job again with its definition and role, and makes no second role', () => {
    const { definition, template } = sameAsStack('nightly');

    expect(definition.States['Again: create the job'].Parameters).toMatchObject({
      SolutionVersionArn: SOLUTION_VERSION_ARN,
      NumResults: 500,
      RoleArn: '<SpringPromoRole1041A3EC>',
      JobInput: { S3DataSource: { Path: 's3://<Data666C94C7>/in.json' } },
    });
    const personalizeRoles = Object.values(template.findResources('AWS::IAM::Role') as Record<string, Json>).filter((role) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('personalize.amazonaws.com'));
    expect(personalizeRoles).toHaveLength(1);
    expect(roleStatements(template)[0].Resource).toBe(JOB_PATTERN);
  });

  it('asks for a prefix of its own when the job\'s is too long for a run\'s name', () => {
    const long = 'p'.repeat(31);
    expect(() => sameAsStack(long)).toThrow(
      `Stack: the jobNamePrefix of Stack/SpringPromo, "${long}", is longer than the 30 characters a run's job name leaves for it (a run adds "-" and 32): give the run a jobNamePrefix of its own.`,
    );
    expect(() => sameAsStack(long, 'nightly')).not.toThrow();
  });
});
