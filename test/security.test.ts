import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { PipelineStack } from '../bin/pipeline-stack';
import { SegmentsExportStack } from '../bin/segments-export-stack';
import { RecommendationsJobStack } from '../bin/recommendations-job-stack';
import { SegmentsJobStack } from '../bin/segments-job-stack';
import { TrainingStack } from '../bin/training-stack';
import {
  BatchInferenceJob,
  BatchInferenceJobWaiter,
  BatchSegmentJob,
  BatchSegmentJobWaiter,
  DatasetImportJob,
  DatasetImportJobWaiter,
  DatasetImportSource,
  SolutionVersion,
  SolutionVersionWaiter,
} from '../lib';
import { cdkNagUnsupportedReason } from './support/cdk-nag-support';

const JOB_ARN = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo';
const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d';

function waitersOnlyStack(app: App): Stack {
  const stack = new Stack(app, 'Waiters');
  new BatchSegmentJobWaiter(stack, 'Default', { batchSegmentJobArn: JOB_ARN });
  new BatchSegmentJobWaiter(stack, 'Minutely', { batchSegmentJobArn: JOB_ARN, pollInterval: Duration.minutes(1) });
  const arn = new CfnParameter(stack, 'JobArn', { type: 'String' });
  new BatchSegmentJobWaiter(stack, 'FromParameter', { batchSegmentJobArn: arn.valueAsString });
  return stack;
}

const DATASET_GROUP_ARN = 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo';

/** All eight constructs, every kind, in one stack, on one enforced-SSL bucket, with an import of a file asset copied into it. */
function mixedKindsStack(app: App): Stack {
  const stack = new Stack(app, 'Mixed');
  const data = new s3.Bucket(stack, 'Data', { enforceSSL: true });
  new BatchSegmentJobWaiter(stack, 'SegmentsWaiter', { batchSegmentJobArn: JOB_ARN });
  new BatchInferenceJobWaiter(stack, 'RecommendationsWaiter', {
    batchInferenceJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly',
  });
  new BatchSegmentJob(stack, 'Segments', { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket: data, key: 'segments/in.json' }, output: { bucket: data, prefix: 'segments/out/' } });
  new BatchInferenceJob(stack, 'Recommendations', {
    solutionVersionArn: SOLUTION_VERSION_ARN,
    input: { bucket: data, key: 'batch/users.json' },
    output: { bucket: data, prefix: 'batch/out/' },
    batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3' } },
  });
  const imported = new DatasetImportJob(stack, 'Import', {
    datasetArn: 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS',
    source: DatasetImportSource.fromBucket(data, 'data/interactions.csv', { dataVersion: '1' }),
  });
  new DatasetImportJob(stack, 'ImportSample', {
    datasetArn: 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/ITEMS',
    source: DatasetImportSource.fromAsset(new s3assets.Asset(stack, 'Sample', { path: path.join(__dirname, '..', 'bin', 'pipeline-data', 'items.csv') }), { copyTo: data }),
  });
  new DatasetImportJobWaiter(stack, 'ImportWaiter', { datasetImportJobArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-import-job/nightly' });
  new SolutionVersion(stack, 'Model', {
    solutionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo',
    minimumMetrics: { coverage: 0.2 },
    tags: { team: 'recs' },
    datasetImportJobs: [imported],
  });
  new SolutionVersionWaiter(stack, 'Nightly', { solutionVersionArn: SOLUTION_VERSION_ARN });
  return stack;
}

function validationReport(outdir: string): { pluginReports: Array<{ violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }> } {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
}

const cdkNagSkipped = cdkNagUnsupportedReason();
const describeCdkNag = cdkNagSkipped === undefined ? describe : describe.skip;

describeCdkNag(`cdk-nag AwsSolutions${cdkNagSkipped === undefined ? '' : ` (skipped: ${cdkNagSkipped})`}`, () => {
  it('reports nothing for a stack that holds only waiters', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const app = new App({ outdir });
    waitersOnlyStack(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app) as never);

    expect(() => app.synth()).not.toThrow();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("still reports the consumer's own findings: the acknowledgements cover the waiter's resources only", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const app = new App({ outdir });
    const stack = waitersOnlyStack(app);
    new sns.Topic(stack, 'ConsumerTopic');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app) as never);

    expect(() => app.synth()).toThrow();
    const violations = validationReport(outdir).pluginReports.flatMap((report) => report.violations);
    const paths = violations.flatMap((violation) => violation.violatingConstructs.map((construct) => construct.constructPath));
    expect(violations.map((violation) => violation.ruleName).sort()).toEqual(['AwsSolutions-SNS3']);
    expect(paths).toEqual(['Waiters/ConsumerTopic/Resource']);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('reports nothing for a stack with waiters, jobs and trainings of every kind but its own bucket\'s missing access logs', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const app = new App({ outdir });
    mixedKindsStack(app);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app) as never);

    expect(() => app.synth()).toThrow();
    const violations = validationReport(outdir).pluginReports.flatMap((report) => report.violations);
    expect(violations.map((violation) => violation.ruleName)).toEqual(['AwsSolutions-S1']);
    expect(violations[0].violatingConstructs.map((construct) => construct.constructPath)).toEqual(['Mixed/Data/Resource']);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('reports nothing of a BatchSegmentJob\'s: in the example job stack only its own bucket\'s missing access logs', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const app = new App({ outdir });
    new SegmentsJobStack(app, 'Jobs', { solutionVersionArn: SOLUTION_VERSION_ARN });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app) as never);

    expect(() => app.synth()).toThrow();
    const violations = validationReport(outdir).pluginReports.flatMap((report) => report.violations);
    expect(violations.map((violation) => violation.ruleName)).toEqual(['AwsSolutions-S1']);
    expect(violations[0].violatingConstructs.map((construct) => construct.constructPath)).toEqual(['Jobs/Data/Resource']);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('reports nothing of a SolutionVersion\'s: in the example training stack only its own bucket\'s missing access logs', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const app = new App({ outdir });
    new TrainingStack(app, 'Training', { datasetGroupArn: DATASET_GROUP_ARN, minimumNdcg: 0.2 });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app) as never);

    expect(() => app.synth()).toThrow();
    const violations = validationReport(outdir).pluginReports.flatMap((report) => report.violations);
    expect(violations.map((violation) => violation.ruleName)).toEqual(['AwsSolutions-S1']);
    expect(violations[0].violatingConstructs.map((construct) => construct.constructPath)).toEqual(['Training/Data/Resource']);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('reports nothing for the example pipeline: the finding on aws-cdk-lib\'s SDK-call function acknowledged on it alone', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
    const app = new App({ outdir });
    new PipelineStack(app, 'Pipeline');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app) as never);

    app.synth();
    expect(validationReport(outdir).pluginReports.flatMap((report) => report.violations)).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('IAM', () => {
  /** Every statement of every policy in the stack, as "role: action on resource" with hashes dropped. */
  function grants(stack: Stack): string[] {
    const template = Template.fromStack(stack).toJSON();
    const logicalId = (id: string) => id.replace(/[0-9A-F]{8}$/, '').replace(/^PersonalizeJobHandlers/, '');
    const name = (value: Json): string => {
      if (typeof value === 'string') return value;
      if (Array.isArray(value)) return value.map(name).join(', ');
      if ('Ref' in value) return logicalId(value.Ref);
      if ('Fn::GetAtt' in value) return `${logicalId(value['Fn::GetAtt'][0])}.${value['Fn::GetAtt'][1]}`;
      if ('Fn::Join' in value) return value['Fn::Join'][1].map(name).join(value['Fn::Join'][0]);
      return JSON.stringify(value);
    };
    return Object.values(template.Resources as Record<string, { Type: string; Properties: Json }>)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap((policy) =>
        policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[]; Resource: unknown; Effect: string }) =>
          [statement.Action].flat().map((action) => `${name(policy.Properties.Roles)}: ${statement.Effect} ${action} on ${name(statement.Resource)}`),
        ),
      )
      .sort();
  }

  it('grants exactly these permissions, on exactly these resources', () => {
    const stack = new Stack(new App(), 'Stack');
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN });

    expect(grants(stack)).toEqual([
      'Provider30sCompleteRole: Allow lambda:GetFunction on IsComplete.Arn',
      'Provider30sCompleteRole: Allow lambda:GetFunction on OnEvent.Arn',
      'Provider30sCompleteRole: Allow lambda:InvokeFunction on IsComplete.Arn, IsComplete.Arn:*',
      'Provider30sCompleteRole: Allow lambda:InvokeFunction on OnEvent.Arn, OnEvent.Arn:*',
      'Provider30sCompleteRole: Allow logs:CreateLogStream on Provider30sLogs.Arn',
      'Provider30sCompleteRole: Allow logs:PutLogEvents on Provider30sLogs.Arn',
      'Provider30sOnEventRole: Allow lambda:GetFunction on IsComplete.Arn',
      'Provider30sOnEventRole: Allow lambda:GetFunction on OnEvent.Arn',
      'Provider30sOnEventRole: Allow lambda:InvokeFunction on IsComplete.Arn, IsComplete.Arn:*',
      'Provider30sOnEventRole: Allow lambda:InvokeFunction on OnEvent.Arn, OnEvent.Arn:*',
      'Provider30sOnEventRole: Allow logs:CreateLogStream on Provider30sLogs.Arn',
      'Provider30sOnEventRole: Allow logs:PutLogEvents on Provider30sLogs.Arn',
      'Provider30sOnEventRole: Allow states:StartExecution on Provider30swaiterstatemachine',
      'Provider30swaiterstatemachineRole: Allow lambda:InvokeFunction on Provider30sframeworkisComplete.Arn, Provider30sframeworkisComplete.Arn:*',
      'Provider30swaiterstatemachineRole: Allow lambda:InvokeFunction on Provider30sframeworkonTimeout.Arn, Provider30sframeworkonTimeout.Arn:*',
      `Role: Allow logs:CreateLogStream on Logs.Arn`,
      `Role: Allow logs:PutLogEvents on Logs.Arn`,
      `Role: Allow personalize:DescribeBatchSegmentJob on arn:aws:personalize:us-east-1:111122223333:batch-segment-job/*`,
    ]);
  });

  it('grants a BatchSegmentJob exactly these permissions beyond the waiter\'s, on exactly these resources', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Data');
    new BatchSegmentJob(stack, 'Job', {
      solutionVersionArn: SOLUTION_VERSION_ARN,
      jobNamePrefix: 'spring-promo',
      input: { bucket, key: 'segments/queries.json' },
      output: { bucket, prefix: 'segments/out/' },
      tags: { team: 'promo' },
    });

    const jobs = 'arn:aws:personalize:us-east-1:111122223333:batch-segment-job/spring-promo-????????????';
    expect(grants(stack).filter((grant) => !grant.startsWith('Provider30s'))).toEqual([
      'JobRole: Allow s3:GetObject on Data.Arn/segments/queries.json',
      'JobRole: Allow s3:ListBucket on Data.Arn',
      'JobRole: Allow s3:PutObject on Data.Arn/segments/out/*',
      `Role: Allow iam:PassRole on JobRole.Arn`,
      `Role: Allow logs:CreateLogStream on Logs.Arn`,
      `Role: Allow logs:PutLogEvents on Logs.Arn`,
      `Role: Allow personalize:CreateBatchSegmentJob on ${jobs}`,
      `Role: Allow personalize:DescribeBatchSegmentJob on arn:aws:personalize:us-east-1:111122223333:batch-segment-job/*`,
      `Role: Allow personalize:TagResource on ${jobs}`,
    ]);
  });

  it('attaches no managed policy to any role', () => {
    const stack = new Stack(new App(), 'Stack');
    new BatchSegmentJobWaiter(stack, 'Waiter', { batchSegmentJobArn: JOB_ARN });
    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(4);
    expect(roles.every((role) => role.Properties.ManagedPolicyArns === undefined)).toBe(true);
  });
});

describe('cfn-lint', () => {
  it('finds nothing in the example app or a stack of every kind but the DependsOn that CDK adds to roles (W3005)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
    const app = new App({ outdir });
    new SegmentsExportStack(app, 'PersonalizeSegmentsExample', { batchSegmentJobArn: JOB_ARN });
    new SegmentsJobStack(app, 'PersonalizeSegmentsJobExample', { solutionVersionArn: SOLUTION_VERSION_ARN });
    new RecommendationsJobStack(app, 'PersonalizeRecommendationsJobExample', { solutionVersionArn: SOLUTION_VERSION_ARN });
    new TrainingStack(app, 'PersonalizeTrainingExample', { datasetGroupArn: DATASET_GROUP_ARN, minimumNdcg: 0.2 });
    new PipelineStack(app, 'PersonalizePipelineExample');
    new PipelineStack(app, 'PersonalizeRegulatedPipelineExample', { regulated: true });
    new PipelineStack(app, 'PersonalizeScheduledPipelineExample', { scheduled: true });
    mixedKindsStack(app);
    app.synth();

    const stacks = ['PersonalizeSegmentsExample', 'PersonalizeSegmentsJobExample', 'PersonalizeRecommendationsJobExample', 'PersonalizeTrainingExample', 'PersonalizePipelineExample', 'PersonalizeRegulatedPipelineExample', 'PersonalizeScheduledPipelineExample', 'Mixed'];
    const output = stacks
      .map((stackName) => runCfnLint(path.join(outdir, `${stackName}.template.json`)))
      .join('\n');
    const findings = output.split('\n').filter((line) => /^[EWI]\d{4} /.test(line));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((line) => !line.startsWith('W3005 '))).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

/** cfn-lint's findings; it exits non-zero whenever it finds something, warnings included. */
function runCfnLint(template: string): string {
  try {
    return execFileSync('cfn-lint', [template], { encoding: 'utf8' });
  } catch (error) {
    const failure = error as { code?: string; stdout?: string };
    if (failure.code === 'ENOENT') {
      throw new Error('cfn-lint is not on PATH: this project\'s machines ship it (pip cfn-lint 1.51.0); install it with "pip install cfn-lint==1.51.0".', { cause: error });
    }
    return String(failure.stdout);
  }
}
