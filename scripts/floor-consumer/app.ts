// A consumer's CDK app on the oldest aws-cdk-lib the package supports: every construct, built from
// the packed package, synthesized; prints what it made.
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as personalize from 'aws-cdk-lib/aws-personalize';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import {
  BatchInferenceJob,
  BatchInferenceJobWaiter,
  BatchSegmentJob,
  BatchSegmentJobWaiter,
  DatasetImportJob,
  DatasetImportSource,
  SolutionVersion,
  SolutionVersionWaiter,
} from 'cdk-personalize-batch-jobs';

const app = new App({ outdir: path.join(__dirname, 'cdk.out') });
const stack = new Stack(app, 'FloorConsumer');
const data = new s3.Bucket(stack, 'Data', { enforceSSL: true });
const job = new BatchSegmentJob(stack, 'Job', {
  solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
  input: { bucket: data, key: 'segments/users.json' },
  output: { bucket: data, prefix: 'segments/out/' },
  numResults: 1000,
  timeout: Duration.hours(3),
});
new BatchSegmentJobWaiter(stack, 'Waiter', {
  batchSegmentJobArn: new CfnParameter(stack, 'JobArn').valueAsString,
  pollInterval: Duration.minutes(1),
});
new s3.Bucket(stack, 'AfterTheJob').node.addDependency(job);
new BatchInferenceJob(stack, 'Recommendations', {
  solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d',
  input: { bucket: data, key: 'batch/users.json' },
  output: { bucket: data, prefix: 'batch/out/' },
  batchInferenceJobConfig: { rankingInfluence: { popularity: 0.2 } },
});
new BatchInferenceJobWaiter(stack, 'RecommendationsWaiter', {
  batchInferenceJobArn: 'arn:aws:personalize:us-east-1:111122223333:batch-inference-job/nightly',
});

const solution = new personalize.CfnSolution(stack, 'Solution', { name: 'promo', datasetGroupArn: 'arn:aws:personalize:us-east-1:111122223333:dataset-group/promo' });
const imported = new DatasetImportJob(stack, 'Import', {
  datasetArn: 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/INTERACTIONS',
  source: DatasetImportSource.fromBucket(data, 'interactions.csv', { dataVersion: '1' }),
});
const items = new DatasetImportJob(stack, 'ImportItems', {
  datasetArn: 'arn:aws:personalize:us-east-1:111122223333:dataset/promo/ITEMS',
  source: DatasetImportSource.fromAsset(new s3assets.Asset(stack, 'Items', { path: path.join(__dirname, 'package.json') }), { copyTo: data }),
});
const model = new SolutionVersion(stack, 'Model', {
  solutionArn: solution.attrSolutionArn,
  minimumMetrics: { coverage: 0.2 },
  timeout: Duration.hours(2),
  datasetImportJobs: [imported, items],
});
new BatchSegmentJob(stack, 'FromModel', {
  solutionVersionArn: model.solutionVersionArn,
  input: { bucket: data, key: 'segments/items.json' },
  output: { bucket: data, prefix: 'segments/model/' },
});
new SolutionVersionWaiter(stack, 'ModelWaiter', { solutionVersionArn: 'arn:aws:personalize:us-east-1:111122223333:solution/promo/1a2b3c4d' });

const assembly = app.synth();
const template = assembly.getStackByName('FloorConsumer').template as { Resources: Record<string, { Type: string }> };
const count = (type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type).length;
const links = count('Custom::PersonalizeBatchSegmentJob');
const waiters = count('Custom::PersonalizeBatchSegmentJobWaiter');
const inferenceJobs = count('Custom::PersonalizeBatchInferenceJob');
const inferenceWaiters = count('Custom::PersonalizeBatchInferenceJobWaiter');
const trainingLinks = count('Custom::PersonalizeSolutionVersion');
const versionWaiters = count('Custom::PersonalizeSolutionVersionWaiter');
const imports = count('Custom::PersonalizeDatasetImportJob');
const copies = count('Custom::AWS');
const handlers = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function' && /^index\.(onEvent|isComplete)$/.test((resource as { Properties?: { Handler?: string } }).Properties?.Handler ?? '')).length;
const handlerAssets = fs.readdirSync(assembly.directory).filter((entry) => fs.existsSync(path.join(assembly.directory, entry, 'index.js')));
const expected = [links === 5, waiters === 1, inferenceJobs === 1, inferenceWaiters === 1, trainingLinks === 3, versionWaiters === 9, imports === 2, copies === 1, handlers === 2, handlerAssets.length > 0];
if (expected.includes(false)) {
  throw new Error(
    `expected 5 segment job links (3 hours, and 1 from the model), 1 segment waiter, 1 inference job, 1 inference waiter, 3 training links (2 hours), ` +
      `9 version waiter links (8 hours, the default), 2 imports, 1 asset copy, 2 handlers and their bundle; got ${links}, ${waiters}, ${inferenceJobs}, ${inferenceWaiters}, ${trainingLinks}, ` +
      `${versionWaiters}, ${imports}, ${copies}, ${handlers} and ${handlerAssets.length} assets`,
  );
}
console.log(
  `synthesized ${Object.keys(template.Resources).length} resources: ${links} BatchSegmentJob links, ${waiters} segment waiter, ` +
    `${inferenceJobs} BatchInferenceJob, ${inferenceWaiters} inference waiter, ${trainingLinks} SolutionVersion links, ${versionWaiters} SolutionVersionWaiter links, ${imports} DatasetImportJobs (one from an asset, ${copies} copy), ` +
    `one onEvent and one isComplete for all, the handlers' bundle`,
);
