import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchSegmentJob, SolutionVersion, SolutionVersionProps, SolutionVersionWaiter, TrainingMode } from '../lib';
import { handlerStatements } from './support/handler-statements';

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';
const EVERY_VERSION = 'arn:aws:personalize:us-east-1:111122223333:solution/*/*';

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function trainingStack(props: Partial<SolutionVersionProps> = {}): { stack: Stack; version: SolutionVersion } {
  const stack = new Stack(new App(), 'Stack');
  const version = new SolutionVersion(stack, 'Model', { solutionArn: SOLUTION_ARN, timeout: Duration.hours(1), ...props });
  return { stack, version };
}

function resourcesOf(stack: Stack, type: string): Json[] {
  return Object.values(Template.fromStack(stack).findResources(type));
}

describe('SolutionVersion', () => {
  it('carries the training, named after the construct, with the defaults left out', () => {
    const { stack } = trainingStack();
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    // A retry adopts a version trained from the same definition within a day, by default.
    expect(resource.Properties.Job).toEqual({ NamePrefix: expect.stringMatching(/^Stack-Model-[0-9A-F]{8}$/), SolutionArn: SOLUTION_ARN, ReuseWithinSeconds: 86400 });
    expect(resource.Properties).not.toHaveProperty('MinimumMetrics');
    expect(resource.Properties).not.toHaveProperty('MetricNames');
  });

  it('carries the training mode, prefix, tags and gate it is given', () => {
    const { stack } = trainingStack({
      trainingMode: TrainingMode.UPDATE,
      namePrefix: 'nightly',
      tags: { team: 'recs' },
      minimumMetrics: { precision_at_5: 0.2, coverage: 0.5 },
    });
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(resource.Properties.Job).toEqual({ NamePrefix: 'nightly', SolutionArn: SOLUTION_ARN, TrainingMode: 'UPDATE', Tags: { team: 'recs' }, ReuseWithinSeconds: 86400 });
    expect(resource.Properties.MinimumMetrics).toEqual({ precision_at_5: 0.2, coverage: 0.5 });
  });

  it('waits eight hours by default, polling every minute, relayed by nine links that each carry the training and the first link\'s reference', () => {
    const stack = new Stack(new App(), 'Stack');
    new SolutionVersion(stack, 'Model', { solutionArn: SOLUTION_ARN, minimumMetrics: { coverage: 0.1 } });
    const template = Template.fromStack(stack).toJSON();
    const linkIds = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'Custom::PersonalizeSolutionVersion');
    const links = linkIds.map((id) => template.Resources[id]);
    expect(links).toHaveLength(9);
    expect(links[0].Properties).toMatchObject({ TimeoutSeconds: 28800, PollIntervalSeconds: 60, LinkIndex: 1, LinkCount: 9 });
    expect(links[0].Properties).not.toHaveProperty('Training');
    for (const link of links.slice(1)) {
      expect(link.Properties.Training).toEqual({ Ref: linkIds[0] });
      expect(link.Properties.Job.SolutionArn).toBe(SOLUTION_ARN);
      expect(link.Properties.MinimumMetrics).toEqual({ coverage: 0.1 });
    }
  });

  it('exposes the version\'s attributes from the last link, and names every metric read to the handlers', () => {
    const { stack, version } = trainingStack();
    const resolved = (value: string) => stack.resolve(value);
    expect(resolved(version.solutionVersionArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Model/), 'SolutionVersionArn'] });
    expect(resolved(version.trainingHours)['Fn::GetAtt'][1]).toBe('TrainingHours');
    expect(resolved(version.status)['Fn::GetAtt'][1]).toBe('Status');
    expect(resolved(version.metric('precision_at_5'))['Fn::GetAtt'][1]).toBe('Metric.precision_at_5');
    version.metric('coverage');
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(resource.Properties.MetricNames).toEqual(['coverage', 'precision_at_5']);
  });

  it.each([
    ['solutionVersionArn', 'SolutionVersionArn'],
    ['solutionVersionName', 'Name'],
    ['solutionArn', 'SolutionArn'],
    ['status', 'Status'],
    ['trainingMode', 'TrainingMode'],
    ['trainingType', 'TrainingType'],
    ['trainingHours', 'TrainingHours'],
    ['failureReason', 'FailureReason'],
    ['creationDateTime', 'CreationDateTime'],
    ['lastUpdatedDateTime', 'LastUpdatedDateTime'],
  ] as const)('reads %s from the last link\'s %s attribute', (property, attribute) => {
    const { stack, version } = trainingStack({ timeout: Duration.hours(2) });
    const resolved = stack.resolve(version[property]);
    const template = Template.fromStack(stack).toJSON();
    const lastLink = Object.keys(template.Resources).find((id) => template.Resources[id].Properties?.LinkIndex === 3);
    expect(template.Resources[lastLink!].Properties.LinkCount).toBe(3);
    expect(resolved).toEqual({ 'Fn::GetAtt': [lastLink, attribute] });
  });

  it('leaves an empty gate out', () => {
    const { stack } = trainingStack({ minimumMetrics: {} });
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(resource.Properties).not.toHaveProperty('MinimumMetrics');
  });

  it('lets a batch job take its version from a parameter, its home from the parameter\'s ARN', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    new BatchSegmentJob(stack, 'Segments', {
      solutionVersionArn: new CfnParameter(stack, 'Version').valueAsString,
      input: { bucket, key: 'in.json' },
      output: { bucket, prefix: 'out/' },
    });
    const create = handlerStatements(stack).find((statement) => statement.Action === 'personalize:CreateBatchSegmentJob');
    expect(JSON.stringify(create.Resource)).toContain('{"Ref":"Version"}');
  });

  it('grants training on its solution only: create on the solution, list on "*" (IAM allows ListSolutionVersions on nothing else), the definition tag on its versions; read, metrics and stop on the versions of the account and region, which a rollback after a move to another solution needs', () => {
    const { stack } = trainingStack();
    expect(handlerStatements(stack)).toEqual(
      expect.arrayContaining([
        { Action: 'personalize:CreateSolutionVersion', Effect: 'Allow', Resource: SOLUTION_ARN },
        { Action: 'personalize:ListSolutionVersions', Effect: 'Allow', Resource: '*' },
        { Action: 'personalize:DescribeSolutionVersion', Effect: 'Allow', Resource: EVERY_VERSION },
        { Action: 'personalize:GetSolutionMetrics', Effect: 'Allow', Resource: EVERY_VERSION },
        { Action: 'personalize:StopSolutionVersionCreation', Effect: 'Allow', Resource: EVERY_VERSION },
      ]),
    );
    expect(handlerStatements(stack)).toEqual(
      expect.arrayContaining([
        { Action: 'personalize:TagResource', Effect: 'Allow', Resource: `${SOLUTION_ARN}/*` },
        { Action: 'personalize:ListTagsForResource', Effect: 'Allow', Resource: `${SOLUTION_ARN}/*` },
      ]),
    );
    expect(handlerStatements(stack)).toHaveLength(7);
  });

  it.each([
    [Duration.hours(6), 21600],
    [Duration.seconds(0), 0],
  ])('carries reuseWithin %s as whole seconds', (reuseWithin, seconds) => {
    const { stack } = trainingStack({ reuseWithin });
    expect(resourcesOf(stack, 'Custom::PersonalizeSolutionVersion')[0].Properties.Job.ReuseWithinSeconds).toBe(seconds);
  });

  it.each([
    [Duration.days(31), 'Stack/Model: reuseWithin must be a whole number of seconds from 0 seconds to 30 days; got 31 days.'],
    [Duration.millis(1500), 'Stack/Model: reuseWithin must be a whole number of seconds from 0 seconds to 30 days; got 1.5 seconds.'],
  ])('refuses reuseWithin %s at synth', (reuseWithin, message) => {
    expect(() => trainingStack({ reuseWithin })).toThrow(message);
  });

  it('exposes whether it reused a version, from the link that starts the training', () => {
    const { stack, version } = trainingStack({ timeout: Duration.hours(3) });
    const [first] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    const logicalId = Object.entries(Template.fromStack(stack).findResources('Custom::PersonalizeSolutionVersion')).find(([, resource]) => resource === first)?.[0];
    expect(stack.resolve(version.reused)).toEqual({ 'Fn::GetAtt': [logicalId, 'Reused'] });
  });

  it.each([false, true])('sets the solution\'s automatic training to %s before it trains, allowed to read and update that solution only', (performAutoTraining) => {
    const { stack } = trainingStack({ performAutoTraining });
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(resource.Properties.Job.PerformAutoTraining).toBe(performAutoTraining);
    expect(handlerStatements(stack)).toEqual(
      expect.arrayContaining([
        { Action: 'personalize:DescribeSolution', Effect: 'Allow', Resource: SOLUTION_ARN },
        { Action: 'personalize:UpdateSolution', Effect: 'Allow', Resource: SOLUTION_ARN },
      ]),
    );
    expect(handlerStatements(stack)).toHaveLength(9);
  });

  it('leaves automatic training alone without performAutoTraining: no field, no grant', () => {
    const { stack } = trainingStack();
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(resource.Properties.Job).not.toHaveProperty('PerformAutoTraining');
    expect(handlerStatements(stack).map((statement: { Action: string }) => statement.Action)).not.toContain('personalize:UpdateSolution');
  });

  it('may tag its versions only when it has tags', () => {
    const { stack } = trainingStack({ tags: { team: 'recs' } });
    expect(handlerStatements(stack)).toContainEqual({ Action: 'personalize:TagResource', Effect: 'Allow', Resource: `${SOLUTION_ARN}/*` });
  });

  it('trains a CfnSolution of the same stack after it, and a batch job reads the trained version after the training', () => {
    const stack = new Stack(new App(), 'Stack');
    const solution = new personalize.CfnSolution(stack, 'Solution', { name: 'promo', datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo' });
    const version = new SolutionVersion(stack, 'Model', { solutionArn: solution.attrSolutionArn, timeout: Duration.hours(1) });
    const bucket = new s3.Bucket(stack, 'Data');
    new BatchSegmentJob(stack, 'Segments', {
      solutionVersionArn: version.solutionVersionArn,
      input: { bucket, key: 'in.json' },
      output: { bucket, prefix: 'out/' },
      timeout: Duration.hours(1),
    });
    const [training] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(training.Properties.Job.SolutionArn).toEqual({ 'Fn::GetAtt': ['Solution', 'SolutionArn'] });
    const [job] = resourcesOf(stack, 'Custom::PersonalizeBatchSegmentJob');
    expect(job.Properties.Job.SolutionVersionArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Model/), 'SolutionVersionArn'] });
  });

  it.each([
    [{ solutionArn: 'promo' }, 'solutionArn must be the ARN of a Personalize solution, such as arn:aws:personalize:us-east-1:111122223333:solution/promo'],
    [{ solutionArn: VERSION_ARN }, 'solutionArn must be the ARN of a Personalize solution'],
    [{ namePrefix: 'bad prefix' }, 'namePrefix must be 1 to 50 letters'],
    [{ minimumMetrics: { 'not a name': 0.1 } }, 'a metric name is 1 to 256 letters, digits, _ . and -, such as "precision_at_5"; got "not a name"'],
    [{ minimumMetrics: { coverage: Number.NaN } }, 'minimumMetrics.coverage must be a number, such as 0.2; got null'],
    [{ minimumMetrics: { coverage: '0.2' } }, 'minimumMetrics.coverage must be a number, such as 0.2; got "0.2"'],
    [{ timeout: Duration.hours(13) }, 'timeout must be a whole number of seconds from 1 minute to 12 hours'],
  ])('rejects %j at synth, naming the prop', (props, message) => {
    expect(() => trainingStack(props as Partial<SolutionVersionProps>)).toThrow(message);
  });

  it('accepts tokens at synth, for the handler to check', () => {
    const stack = new Stack(new App(), 'Stack');
    const solutionArn = new CfnParameter(stack, 'SolutionArn').valueAsString;
    const namePrefix = new CfnParameter(stack, 'Prefix').valueAsString;
    new SolutionVersion(stack, 'Model', { solutionArn, namePrefix, timeout: Duration.hours(1) });
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersion');
    expect(resource.Properties.Job).toEqual({ NamePrefix: { Ref: 'Prefix' }, SolutionArn: { Ref: 'SolutionArn' }, ReuseWithinSeconds: 86400 });
  });

  it('refuses a metric name that is a token or not a metric name', () => {
    const { version } = trainingStack();
    expect(() => version.metric(Token.asString({ Ref: 'Metric' }))).toThrow('a metric name must be known at synth time');
    expect(() => version.metric('')).toThrow('a metric name is 1 to 256 letters');
  });
});

describe('SolutionVersionWaiter', () => {
  it('waits for the version it is given, with its gate, and may only read the versions of its account and region and their metrics', () => {
    const stack = new Stack(new App(), 'Stack');
    new SolutionVersionWaiter(stack, 'Nightly', { solutionVersionArn: VERSION_ARN, minimumMetrics: { coverage: 0.3 }, timeout: Duration.minutes(50) });
    const [resource] = resourcesOf(stack, 'Custom::PersonalizeSolutionVersionWaiter');
    expect(resource.Properties).toMatchObject({ SolutionVersionArn: VERSION_ARN, MinimumMetrics: { coverage: 0.3 }, TimeoutSeconds: 3000, PollIntervalSeconds: 60 });
    expect(handlerStatements(stack)).toEqual([
      { Action: 'personalize:DescribeSolutionVersion', Effect: 'Allow', Resource: EVERY_VERSION },
      { Action: 'personalize:GetSolutionMetrics', Effect: 'Allow', Resource: EVERY_VERSION },
    ]);
  });

  it('rejects an ARN that is not a solution version\'s at synth', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new SolutionVersionWaiter(stack, 'Nightly', { solutionVersionArn: SOLUTION_ARN })).toThrow(
      'solutionVersionArn must be the ARN of an Amazon Personalize solution version, such as arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
    );
  });
});
