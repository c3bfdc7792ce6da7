import * as path from 'path';
import { App, FileSystem } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PIPELINE_SAMPLE_DIR, PipelineStack } from '../bin/pipeline-stack';

/*
 * The example pipeline's order and wiring that the local deployment cannot show: it does not run
 * the L1 Personalize resources, the copies of the sample files or the calls that turn automatic
 * training off.
 */

// Templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const template = Template.fromStack(new PipelineStack(new App(), 'Pipeline'));
const resources: Record<string, Json> = template.toJSON().Resources;
const idsOf = (type: string) => Object.keys(resources).filter((id) => resources[id].Type === type);
const firstLinks = (type: string) => idsOf(type).filter((id) => (resources[id].Properties.LinkIndex ?? 1) === 1);

/** The S3 object the `Custom::AWS` resource `id` copies its sample file to, by the copy call its Create makes. */
function copyCallOf(id: string): { readonly text: string; readonly bucket: Json } {
  const parts: Json[] = resources[id].Properties.Create['Fn::Join'][1];
  return { text: parts.filter((part) => typeof part === 'string').join(''), bucket: parts.find((part) => part.Ref !== undefined) };
}

/** The sample copies a resource waits for, by the key they copy to. */
function copiesBefore(id: string): string[] {
  return resources[id].DependsOn.filter((dependency: string) => resources[dependency].Type === 'Custom::AWS')
    .map((copy: string) => copyCallOf(copy).text)
    .filter((call: string) => call.includes('"action":"copyObject"'))
    .map((call: string) => /"Key":"([^"]+)"/.exec(call)![1]);
}

const copyKeyOf = (file: string) => `imports/${FileSystem.fingerprint(path.join(PIPELINE_SAMPLE_DIR, file))}.csv`;

it('imports each sample file, and runs each batch job, only once the file is copied to the stack bucket the job reads', () => {
  const [bucket] = idsOf('AWS::S3::Bucket');
  const imports = firstLinks('Custom::PersonalizeDatasetImportJob');
  expect(imports.map(copiesBefore)).toEqual([[copyKeyOf('interactions.csv')], [copyKeyOf('items.csv')]]);
  expect(imports.map((id) => resources[id].Properties.Job.DataLocation)).toEqual([
    { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/${copyKeyOf('interactions.csv')}`]] },
    { 'Fn::Join': ['', ['s3://', { Ref: bucket }, `/${copyKeyOf('items.csv')}`]] },
  ]);
  const [segments] = idsOf('Custom::PersonalizeBatchSegmentJob');
  const [recommendations] = idsOf('Custom::PersonalizeBatchInferenceJob');
  expect(copiesBefore(segments)).toEqual(['sample/segment-items.json']);
  expect(copiesBefore(recommendations)).toEqual(['sample/users.json']);
  expect(resources[segments].Properties.Job.InputPath).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: bucket }, '/sample/segment-items.json']] });
});

it("copies each sample file from its asset into the stack bucket, allowed to read that one asset and write that one key only", () => {
  const [bucket] = idsOf('AWS::S3::Bucket');
  const copies = idsOf('Custom::AWS').filter((id) => copyCallOf(id).text.includes('"action":"copyObject"'));
  expect(copies).toHaveLength(4);
  for (const copy of copies) {
    const { text, bucket: target } = copyCallOf(copy);
    expect(target).toEqual({ Ref: bucket });
    const [, assetKey, key] = /"CopySource":"\/([0-9a-f]{64}\.\w+)","Bucket":"","Key":"([^"]+)"/.exec(text)!;
    const [policy] = resources[copy].DependsOn.filter((id: string) => resources[id].Type === 'AWS::IAM::Policy');
    const statements = resources[policy].Properties.PolicyDocument.Statement;
    expect(statements.map((statement: Json) => statement.Action)).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(statements[0].Resource)).toContain(`/${assetKey}"`);
    expect(statements[1].Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/${key}`]] });
  }
});

it("versions each import's data by its own file's content, so that only a changed file is imported again", () => {
  const versions = firstLinks('Custom::PersonalizeDatasetImportJob').map((id) => resources[id].Properties.Job.DataVersion);
  expect(versions).toEqual(['interactions.csv', 'items.csv'].map((file) => FileSystem.fingerprint(path.join(PIPELINE_SAMPLE_DIR, file))));
});

it("has each training turn its solution's automatic training off, and train after both imports", () => {
  const models = firstLinks('Custom::PersonalizeSolutionVersion');
  expect(models).toHaveLength(2);
  const imports = firstLinks('Custom::PersonalizeDatasetImportJob');
  for (const model of models) {
    const { AfterImports: afterImports, PerformAutoTraining: performAutoTraining } = resources[model].Properties.Job;
    expect(afterImports).toHaveLength(2);
    expect(JSON.stringify(afterImports)).toMatch(/imports\/[0-9a-f]{64}\.csv\|FULL\|[0-9a-f]{64}/);
    expect(resources[model].DependsOn).toEqual(expect.arrayContaining(imports));
    expect(performAutoTraining).toBe(false);
  }
  expect(idsOf('Custom::AWS')).toHaveLength(4);
});

it('runs the segment job on the Item-Affinity model and the inference job on the gated model, and outputs where each wrote', () => {
  const solutionOf = (model: string) => resources[resources[model].Properties.Job.SolutionArn['Fn::GetAtt'][0]].Properties.RecipeArn;
  const [segments] = idsOf('Custom::PersonalizeBatchSegmentJob');
  const [recommendations] = idsOf('Custom::PersonalizeBatchInferenceJob');
  const modelOf = (job: string) => resources[job].Properties.Job.SolutionVersionArn['Fn::GetAtt'][0];
  expect(solutionOf(firstLinkOf(modelOf(segments)))).toBe('arn:aws:personalize:::recipe/aws-item-affinity');
  expect(solutionOf(firstLinkOf(modelOf(recommendations)))).toBe('arn:aws:personalize:::recipe/aws-user-personalization-v2');
  expect(resources[firstLinkOf(modelOf(recommendations))].Properties.MinimumMetrics).toEqual({ normalized_discounted_cumulative_gain_at_10: 0.2 });
  expect(resources[firstLinkOf(modelOf(segments))].Properties.MinimumMetrics).toBeUndefined();
  template.hasOutput('SegmentsPath', { Value: { 'Fn::GetAtt': [segments, 'OutputPath'] } });
  template.hasOutput('RecommendationsPath', { Value: { 'Fn::GetAtt': [recommendations, 'OutputPath'] } });
});

/** The first link of the training whose last link is `lastLink`. */
function firstLinkOf(lastLink: string): string {
  return firstLinks('Custom::PersonalizeSolutionVersion').find((id) => lastLink.startsWith(id.replace(/[0-9A-F]{8}$/, '')))!;
}
