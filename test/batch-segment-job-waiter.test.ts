import * as fs from 'fs';
import { App, CfnOutput, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BatchSegmentJobWaiter, BatchSegmentJobWaiterProps } from '../lib';

const JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';
const EVERY_JOB = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/*';
const OTHER_JOB_ARN = 'arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/eu-promo';
const WAITER_TYPE = 'Custom::PersonalizeBatchSegmentJobWaiter';

function stackWith(...waiters: Array<Partial<BatchSegmentJobWaiterProps>>): Stack {
  const stack = new Stack(new App(), 'Stack');
  waiters.forEach((props, i) => new BatchSegmentJobWaiter(stack, `Waiter${i}`, { batchSegmentJobArn: JOB_ARN, ...props }));
  return stack;
}

function resourceCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
}

function handlerPolicyStatements(template: Template): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyName: Match.stringLikeRegexp('^PersonalizeJobHandlersRole') },
  });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('the custom resource', () => {
  it('carries the job ARN and the settings, with their defaults', () => {
    Template.fromStack(stackWith({})).hasResource(WAITER_TYPE, {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('Provider30sframeworkonEvent'), 'Arn'] },
        BatchSegmentJobArn: JOB_ARN,
        TimeoutSeconds: 3600,
        PollIntervalSeconds: 30,
        FailOnJobFailure: true,
        LogLevel: 'INFO',
        ServiceTimeout: '3600',
      },
      DeletionPolicy: 'Delete',
    });
  });

  it('passes the settings it is given', () => {
    const stack = stackWith({
      timeout: Duration.minutes(20),
      pollInterval: Duration.minutes(1),
      failOnJobFailure: false,
      logLevel: lambda.ApplicationLogLevel.DEBUG,
    });
    Template.fromStack(stack).hasResourceProperties(WAITER_TYPE, {
      TimeoutSeconds: 1200,
      PollIntervalSeconds: 60,
      FailOnJobFailure: false,
      LogLevel: 'DEBUG',
      // CloudFormation gives up on a silent provider one poll and the answer margin after the timeout.
      ServiceTimeout: '1440',
    });
  });

  it('passes a job ARN that is a token through to the handler', () => {
    const stack = new Stack(new App(), 'Stack');
    const arn = new CfnParameter(stack, 'JobArn', { type: 'String' });
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: arn.valueAsString });

    const template = Template.fromStack(stack);
    template.hasResourceProperties(WAITER_TYPE, { BatchSegmentJobArn: { Ref: 'JobArn' } });
    // The job's partition, region and account, read from the parameter when the stack deploys.
    const split = { 'Fn::Split': [':', { Ref: 'JobArn' }] };
    expect(handlerPolicyStatements(template)).toContainEqual({
      Action: 'personalize:DescribeBatchSegmentJob',
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { 'Fn::Select': [1, split] }, ':personalize:', { 'Fn::Select': [3, split] }, ':', { 'Fn::Select': [4, split] }, ':batch-segment-job/*']] },
    });
  });

  it('passes a timeout that is a token through to the handler, leaving CloudFormation its own limit', () => {
    const stack = new Stack(new App(), 'Stack');
    const seconds = new CfnParameter(stack, 'TimeoutSeconds', { type: 'Number' });
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN, timeout: Duration.seconds(seconds.valueAsNumber) });

    Template.fromStack(stack).hasResourceProperties(WAITER_TYPE, {
      TimeoutSeconds: { Ref: 'TimeoutSeconds' },
      ServiceTimeout: Match.absent(),
    });
  });
});

describe('the attributes', () => {
  it('reads each attribute with GetAtt on the waiter resource', () => {
    const stack = new Stack(new App(), 'Stack');
    const waiter = new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    const attributes: Record<string, string> = {
      NumResults: waiter.numResultsAsString,
      OutputPath: waiter.outputPath,
      Status: waiter.status,
      JobName: waiter.jobName,
      FailureReason: waiter.failureReason,
      SolutionVersionArn: waiter.solutionVersionArn,
      FilterArn: waiter.filterArn,
      RoleArn: waiter.roleArn,
      InputPath: waiter.inputPath,
      InputKmsKeyArn: waiter.inputKmsKeyArn,
      OutputKmsKeyArn: waiter.outputKmsKeyArn,
      CreationDateTime: waiter.creationDateTime,
      LastUpdatedDateTime: waiter.lastUpdatedDateTime,
    };
    Object.entries(attributes).forEach(([name, value]) => new CfnOutput(stack, name, { value }));
    new CfnOutput(stack, 'NumResultsNumber', { value: stack.toJsonString({ n: waiter.numResults }) });
    new CfnOutput(stack, 'JobArn', { value: waiter.batchSegmentJobArn });

    const template = Template.fromStack(stack);
    const logicalId = Object.keys(template.findResources(WAITER_TYPE))[0];
    for (const name of Object.keys(attributes)) {
      template.hasOutput(name, { Value: { 'Fn::GetAtt': [logicalId, name] } });
    }
    template.hasOutput('NumResultsNumber', {
      Value: { 'Fn::Join': ['', ['{"n":', { 'Fn::GetAtt': [logicalId, 'NumResults'] }, '}']] },
    });
    template.hasOutput('JobArn', { Value: { Ref: logicalId } });
  });

  it('writes numResultsAsString safely into other strings', () => {
    const stack = new Stack(new App(), 'Stack');
    const waiter = new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    new CfnOutput(stack, 'Summary', { value: `${waiter.numResultsAsString} users per segment` });

    const logicalId = Object.keys(Template.fromStack(stack).findResources(WAITER_TYPE))[0];
    Template.fromStack(stack).hasOutput('Summary', {
      Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'NumResults'] }, ' users per segment']] },
    });
  });
});

describe('dependencies', () => {
  it('makes a resource that depends on the waiter wait for the job', () => {
    const stack = new Stack(new App(), 'Stack');
    const waiter = new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    const topic = new sns.Topic(stack, 'Downstream');
    topic.node.addDependency(waiter);

    const template = Template.fromStack(stack);
    const waiterId = Object.keys(template.findResources(WAITER_TYPE))[0];
    template.hasResource('AWS::SNS::Topic', { DependsOn: [waiterId] });
  });

  it('makes the waiter itself depend on nothing but its provider', () => {
    const template = Template.fromStack(stackWith({}));
    const waiter = Object.values(template.findResources(WAITER_TYPE))[0];
    expect(waiter.DependsOn).toBeUndefined();
  });
});

describe('sharing within a stack', () => {
  it('adds exactly one resource per extra waiter', () => {
    const one = resourceCount(stackWith({}));
    const two = resourceCount(stackWith({}, { batchSegmentJobArn: OTHER_JOB_ARN }));
    const ten = resourceCount(stackWith(...Array.from({ length: 10 }, () => ({}))));
    expect(two - one).toBe(1);
    expect(ten - one).toBe(9);
  });

  it('shares one provider, one pair of handlers and one role between waiters', () => {
    const template = Template.fromStack(stackWith({}, { batchSegmentJobArn: OTHER_JOB_ARN }, { timeout: Duration.minutes(20) }));
    template.resourceCountIs(WAITER_TYPE, 3);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: Match.stringLikeRegexp('^index\\.') }, 2);
  });

  it('adds one provider per distinct poll interval', () => {
    const template = Template.fromStack(stackWith({}, { pollInterval: Duration.minutes(1) }, { pollInterval: Duration.minutes(1) }));
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: Match.stringLikeRegexp('^index\\.') }, 2);
  });

  it('sizes each provider to give up after the handler, inside the hour', () => {
    const template = Template.fromStack(stackWith({}, { pollInterval: Duration.minutes(1) }));
    const definitions = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).map((machine) =>
      JSON.stringify(machine.Properties.DefinitionString),
    );
    expect(definitions.some((d) => d.includes('\\"IntervalSeconds\\":30') && d.includes('\\"MaxAttempts\\":118'))).toBe(true);
    expect(definitions.some((d) => d.includes('\\"IntervalSeconds\\":60') && d.includes('\\"MaxAttempts\\":59'))).toBe(true);
  });

  it('gives each stack its own shared resources', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    new BatchSegmentJobWaiter(first, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    new BatchSegmentJobWaiter(second, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    Template.fromStack(first).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    Template.fromStack(second).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });
});

describe('the handlers', () => {
  it('run on the latest Node.js runtime with the bundled code, a bounded timeout and the service name', () => {
    const template = Template.fromStack(stackWith({}));
    for (const handler of ['index.onEvent', 'index.isComplete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: handler,
        Runtime: 'nodejs24.x',
        Timeout: 60,
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'personalize-job-handlers' } },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('HandlersLogs') } },
      });
    }
  });

  it('gives each function its own logical id, description and role trusted by Lambda only', () => {
    const template = Template.fromStack(stackWith({}));
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: Match.stringLikeRegexp('^index\\.') } });
    const byHandler = Object.fromEntries(Object.entries(functions).map(([id, fn]) => [fn.Properties.Handler, { id, description: fn.Properties.Description }]));
    expect(byHandler['index.onEvent'].id).toMatch(/^PersonalizeJobHandlersOnEvent/);
    expect(byHandler['index.isComplete'].id).toMatch(/^PersonalizeJobHandlersIsComplete/);
    expect(byHandler['index.onEvent'].description).toBe('Starts, or finds, a Personalize job, training or import, and waits for it (cdk-personalize-batch-jobs)');
    expect(byHandler['index.isComplete'].description).toBe('Polls a Personalize job, training or import (cdk-personalize-batch-jobs)');
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('Personalize job handlers of this stack'),
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
    });
  });

  it('explains how to build the bundle when it is missing', () => {
    jest.isolateModules(() => {
      jest.doMock('fs', () => {
        const realFs = jest.requireActual<typeof fs>('fs');
        return { ...realFs, existsSync: (p: fs.PathLike) => !String(p).endsWith('index.js') && realFs.existsSync(p) };
      });
      const isolated = jest.requireActual<typeof import('../lib')>('../lib');
      const stack = new Stack(new App(), 'Stack');
      expect(() => new isolated.BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN })).toThrow(
        /The waiter's Lambda bundle is missing from .*assets.job-handlers\. .*run "npm run bundle"/,
      );
    });
    jest.dontMock('fs');
  });
});

describe('permissions', () => {
  it('lets the handlers describe the batch segment jobs of the waiters\' accounts and regions and nothing else in Personalize: a rollback describes the job the old properties named', () => {
    const elsewhere = 'arn:aws:personalize:eu-west-1:444455556666:batch-segment-job/spring-promo';
    const statements = handlerPolicyStatements(Template.fromStack(stackWith({}, { batchSegmentJobArn: OTHER_JOB_ARN }, { batchSegmentJobArn: elsewhere })));
    const personalizeStatements = statements.filter((s) => JSON.stringify(s.Action).includes('personalize:'));
    expect(personalizeStatements).toEqual([
      { Action: 'personalize:DescribeBatchSegmentJob', Effect: 'Allow', Resource: [EVERY_JOB, 'arn:aws:personalize:eu-west-1:111122223333:batch-segment-job/*', 'arn:aws:personalize:eu-west-1:444455556666:batch-segment-job/*'] },
    ]);
  });

  it('names an account and region once however many waiters wait in it', () => {
    const statements = handlerPolicyStatements(Template.fromStack(stackWith({}, {}, { batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/autumn-promo' })));
    expect(statements.filter((s) => s.Action === 'personalize:DescribeBatchSegmentJob')).toEqual([
      { Action: 'personalize:DescribeBatchSegmentJob', Effect: 'Allow', Resource: EVERY_JOB },
    ]);
  });

  it('keeps a hundred waiters to one resource each, with no overflow policy', () => {
    const arn = (i: number) => `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/segment-job-${i}`;
    const one = resourceCount(stackWith({ batchSegmentJobArn: arn(0) }));
    const hundred = stackWith(...Array.from({ length: 100 }, (_, i) => ({ batchSegmentJobArn: arn(i) })));
    expect(resourceCount(hundred) - one).toBe(99);
    Template.fromStack(hundred).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('grants the handlers no resource "*" and no managed policy', () => {
    const template = Template.fromStack(stackWith({}));
    const statements = handlerPolicyStatements(template);
    expect(statements.map((s) => s.Action)).toEqual([['logs:CreateLogStream', 'logs:PutLogEvents'], 'personalize:DescribeBatchSegmentJob']);
    expect(JSON.stringify(statements)).not.toContain('"*"');
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('Personalize job handlers of this stack'),
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe('logs', () => {
  it('keeps a month of logs by default and deletes the log groups with the stack', () => {
    const template = Template.fromStack(stackWith({}));
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.allResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Delete' });
  });

  it('applies the retention a waiter asks for to every log group, whichever waiter asks', () => {
    const template = Template.fromStack(stackWith({}, { logRetention: logs.RetentionDays.ONE_WEEK }, { pollInterval: Duration.minutes(2) }));
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('keeps logs forever when asked to', () => {
    const template = Template.fromStack(stackWith({ logRetention: logs.RetentionDays.INFINITE }));
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.absent() });
  });

  it('lets several waiters ask for the same retention', () => {
    const template = Template.fromStack(stackWith({ logRetention: logs.RetentionDays.ONE_WEEK }, { logRetention: logs.RetentionDays.ONE_WEEK }));
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('refuses two waiters that ask for different retentions', () => {
    expect(() => stackWith({ logRetention: logs.RetentionDays.ONE_WEEK }, { logRetention: logs.RetentionDays.ONE_YEAR })).toThrow(
      'Stack/Waiter1: logRetention 365 differs from the 7 that Stack/Waiter0 asked for. The waiters in a stack share ' +
        'their log groups: give them the same logRetention, or set it on one waiter only.',
    );
  });
});

describe('validation at synth time', () => {
  it.each([
    ['a solution ARN', { batchSegmentJobArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo' }, 'Stack/Waiter0: batchSegmentJobArn must be the ARN of an Amazon Personalize batch segment job, such as arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo; got "arn:aws:personalize:us-east-1:111122223333:solution/promo".'],
    ['a job name', { batchSegmentJobArn: 'spring-promo' }, 'got "spring-promo"'],
    ['a timeout under a minute', { timeout: Duration.seconds(59) }, 'Stack/Waiter0: timeout must be a whole number of seconds from 1 minute to 12 hours; got 59 seconds.'],
    ['a timeout over 12 hours', { timeout: Duration.hours(13) }, 'timeout must be a whole number of seconds from 1 minute to 12 hours; got 13 hours.'],
    ['a fractional timeout', { timeout: Duration.millis(90_500) }, 'got 90.5 seconds.'],
    ['a fractional poll interval', { pollInterval: Duration.millis(4500) }, 'Stack/Waiter0: pollInterval must be a whole number of seconds from 5 seconds to 5 minutes; got 4.5 seconds.'],
    ['a poll interval under 5 seconds', { pollInterval: Duration.seconds(4) }, 'Stack/Waiter0: pollInterval must be a whole number of seconds from 5 seconds to 5 minutes; got 4 seconds.'],
    ['a poll interval over 5 minutes', { pollInterval: Duration.minutes(6) }, 'got 6 minutes.'],
    ['a poll interval longer than the timeout', { timeout: Duration.minutes(2), pollInterval: Duration.minutes(3) }, 'Stack/Waiter0: pollInterval (3 minutes) must not be longer than timeout (2 minutes): the waiter would give up before its first poll.'],
  ])('rejects %s', (_name, props, message) => {
    expect(() => stackWith(props)).toThrow(message);
  });

  it('rejects a poll interval that is a token, since the provider is sized at synth', () => {
    const stack = new Stack(new App(), 'Stack');
    const seconds = new CfnParameter(stack, 'Seconds', { type: 'Number' });
    expect(
      () => new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN, pollInterval: Duration.seconds(seconds.valueAsNumber) }),
    ).toThrow('Stack/Waiter: pollInterval must be a duration known at synth time, from 5 seconds to 5 minutes; got a token.');
  });

  it('accepts the edges of each range', () => {
    expect(() => stackWith({ timeout: Duration.minutes(1), pollInterval: Duration.minutes(1) })).not.toThrow();
    expect(() => stackWith({ timeout: Duration.hours(1), pollInterval: Duration.minutes(5) })).not.toThrow();
    expect(() => stackWith({ pollInterval: Duration.seconds(5) })).not.toThrow();
  });
});

describe('waits longer than an hour', () => {
  interface Link {
    readonly id: string;
    readonly Properties: Record<string, number | string>;
    readonly DependsOn?: string[];
  }

  function links(stack: Stack): Link[] {
    const template = Template.fromStack(stack);
    return Object.entries(template.findResources(WAITER_TYPE)).map(([id, resource]) => ({ id, ...resource }) as Link);
  }

  it.each([
    [Duration.hours(1), 1],
    [Duration.hours(2), 3],
    [Duration.hours(5), 6],
    [Duration.hours(12), 13],
  ])('relays a %s wait through a chain of links (%i)', (timeout, count) => {
    const stack = stackWith({ timeout });
    const chain = links(stack);
    expect(chain).toHaveLength(count);
    // One provider and one describe statement, however long the wait.
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(handlerPolicyStatements(Template.fromStack(stack)).filter((s) => s.Action === 'personalize:DescribeBatchSegmentJob')).toEqual([
      { Action: 'personalize:DescribeBatchSegmentJob', Effect: 'Allow', Resource: EVERY_JOB },
    ]);
    if (count === 1) {
      expect(chain[0].Properties.LinkIndex).toBeUndefined();
      return;
    }
    // Each link depends on the one before it and knows its place.
    const byIndex = [...chain].sort((a, b) => Number(a.Properties.LinkIndex) - Number(b.Properties.LinkIndex));
    byIndex.forEach((link, i) => {
      expect(link.Properties).toMatchObject({ LinkIndex: i + 1, LinkCount: count, TimeoutSeconds: timeout.toSeconds(), BatchSegmentJobArn: JOB_ARN });
      expect(link.DependsOn).toEqual(i === 0 ? undefined : [byIndex[i - 1].id]);
    });
    expect(byIndex[0].id).toMatch(/^Waiter0/);
  });

  it('reads the attributes from the last link, and makes dependents wait for all links', () => {
    const stack = new Stack(new App(), 'Stack');
    const waiter = new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN, timeout: Duration.hours(2) });
    new CfnOutput(stack, 'OutputPath', { value: waiter.outputPath });
    new sns.Topic(stack, 'Downstream').node.addDependency(waiter);

    const template = Template.fromStack(stack);
    const chain = Object.entries(template.findResources(WAITER_TYPE)).sort(([, a], [, b]) => a.Properties.LinkIndex - b.Properties.LinkIndex);
    const lastId = chain[chain.length - 1][0];
    template.hasOutput('OutputPath', { Value: { 'Fn::GetAtt': [lastId, 'OutputPath'] } });
    const topic = Object.values(template.findResources('AWS::SNS::Topic'))[0];
    expect([...topic.DependsOn].sort()).toEqual(chain.map(([id]) => id).sort());
  });

  it('gives the last link a service timeout fitted to its share of the wait', () => {
    const chain = links(stackWith({ timeout: Duration.hours(2) })).sort((a, b) => Number(a.Properties.LinkIndex) - Number(b.Properties.LinkIndex));
    // 7200 s in links of 3390 s: two full links, then 420 s, plus one poll and the answer margin.
    expect(chain.map((link) => link.Properties.ServiceTimeout)).toEqual(['3600', '3600', String(420 + 30 + 180)]);
  });
});
