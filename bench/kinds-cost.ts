import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BatchInferenceJob, BatchInferenceJobWaiter, BatchSegmentJob, BatchSegmentJobWaiter } from '../lib';
import { localDeployment, withLocalPersonalize } from './local-run';
import { tempDir } from './stacks';

const SOLUTION_VERSION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/movies/1a2b3c4d';
const segmentJobArn = (i: number) => `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/segments-${i}`;
const inferenceJobArn = (i: number) => `arn:aws:personalize:us-east-1:111122223333:batch-inference-job/recommendations-${i}`;

type Construction = 'BatchSegmentJobWaiter' | 'BatchInferenceJobWaiter' | 'BatchSegmentJob' | 'BatchInferenceJob';
const CONSTRUCTS: readonly Construction[] = ['BatchSegmentJobWaiter', 'BatchInferenceJobWaiter', 'BatchSegmentJob', 'BatchInferenceJob'];

function add(stack: Stack, bucket: s3.IBucket, what: Construction, i: number): void {
  const job = { solutionVersionArn: SOLUTION_VERSION_ARN, input: { bucket, key: `in/${i}.json` }, output: { bucket, prefix: `out/${i}/` } };
  switch (what) {
    case 'BatchSegmentJobWaiter':
      new BatchSegmentJobWaiter(stack, `${what}${i}`, { batchSegmentJobArn: segmentJobArn(i) });
      break;
    case 'BatchInferenceJobWaiter':
      new BatchInferenceJobWaiter(stack, `${what}${i}`, { batchInferenceJobArn: inferenceJobArn(i) });
      break;
    case 'BatchSegmentJob':
      new BatchSegmentJob(stack, `${what}${i}`, job);
      break;
    case 'BatchInferenceJob':
      new BatchInferenceJob(stack, `${what}${i}`, job);
      break;
  }
}

/** A stack with one of each construct, plus `extra` more of one of them. */
function mixedStack(extra?: Construction, outdir = tempDir()): Stack {
  const stack = new Stack(new App({ outdir }), 'Mixed');
  const bucket = new s3.Bucket(stack, 'Data');
  CONSTRUCTS.forEach((what) => add(stack, bucket, what, 0));
  if (extra !== undefined) {
    add(stack, bucket, extra, 1);
  }
  return stack;
}

export interface KindCost {
  readonly construct: Construction;
  readonly extraResources: number;
  readonly extraBytes: number;
}

/** What one more construct of each kind adds to a stack that already holds one of each. */
export function measureKindCost(): { readonly base: { resources: number; bytes: number }; readonly rows: KindCost[] } {
  const measure = (stack: Stack) => {
    const template = Template.fromStack(stack).toJSON();
    const resources = Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type !== 'AWS::CDK::Metadata').length;
    return { resources, bytes: Buffer.byteLength(JSON.stringify(template)) };
  };
  const base = measure(mixedStack());
  return {
    base,
    rows: CONSTRUCTS.map((construct) => {
      const grown = measure(mixedStack(construct));
      return { construct, extraResources: grown.resources - base.resources, extraBytes: grown.bytes - base.bytes };
    }),
  };
}

export interface MixedDeployment {
  readonly construct: Construction;
  readonly outcome: string;
  readonly elapsedSeconds: number;
  readonly polls: number;
}

/**
 * The mixed stack's four custom resources created together, as CloudFormation would: waiters on
 * jobs that end after 14 minutes, jobs created then, ending 10 minutes later. Answers each
 * resource's outcome and the Personalize calls of the whole deployment, by operation.
 */
export async function measureMixedDeployment(): Promise<{ readonly rows: MixedDeployment[]; readonly calls: Record<string, number> }> {
  const outdir = path.join(__dirname, '..', 'cdk.out', 'bench-mixed');
  mixedStack(undefined, outdir).node.root.synth();
  return withLocalPersonalize(async (personalize, clock) => {
    const deployment = localDeployment(outdir, 'Mixed', clock, personalize);
    personalize.addSolutionVersion(SOLUTION_VERSION_ARN);
    const timeline = [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: 14 * 60, status: 'ACTIVE' }];
    personalize.addJob({ batchSegmentJobArn: segmentJobArn(0), timeline });
    personalize.addJob({ batchInferenceJobArn: inferenceJobArn(0), timeline });
    const typeOf: Record<Construction, string> = {
      BatchSegmentJobWaiter: 'Custom::PersonalizeBatchSegmentJobWaiter',
      BatchInferenceJobWaiter: 'Custom::PersonalizeBatchInferenceJobWaiter',
      BatchSegmentJob: 'Custom::PersonalizeBatchSegmentJob',
      BatchInferenceJob: 'Custom::PersonalizeBatchInferenceJob',
    };
    const logicalIds = CONSTRUCTS.map((construct) => deployment.logicalIdsOf(typeOf[construct])[0]);
    const results = await deployment.deployTogether(logicalIds.map((logicalId) => ({ requestType: 'Create', logicalId })));
    const calls: Record<string, number> = {};
    for (const call of personalize.calls) {
      calls[call.operation] = (calls[call.operation] ?? 0) + 1;
    }
    return {
      rows: results.map((result, i) => ({
        construct: CONSTRUCTS[i],
        outcome: result.response.Status,
        elapsedSeconds: result.elapsedSeconds,
        polls: result.polls,
      })),
      calls,
    };
  });
}
