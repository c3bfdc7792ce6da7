// A consumer's CDK app on the oldest aws-cdk-lib the package supports: every construct, built from
// the packed package, synthesized; prints what it made.
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchSegmentJob, BatchSegmentJobWaiter } from 'cdk-personalize-batch-jobs';

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

const assembly = app.synth();
const template = assembly.getStackByName('FloorConsumer').template as { Resources: Record<string, { Type: string }> };
const count = (type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type).length;
const links = count('Custom::PersonalizeBatchSegmentJob');
const waiters = count('Custom::PersonalizeBatchSegmentJobWaiter');
const handlerAssets = fs.readdirSync(assembly.directory).filter((entry) => fs.existsSync(path.join(assembly.directory, entry, 'index.js')));
if (links !== 4 || waiters !== 1 || handlerAssets.length === 0) {
  throw new Error(`expected 4 job links (3 hours), 1 waiter and the handlers' bundle; got ${links}, ${waiters} and ${handlerAssets.length} assets`);
}
console.log(`synthesized ${Object.keys(template.Resources).length} resources: ${links} BatchSegmentJob links, ${waiters} waiter, the handlers' bundle`);
