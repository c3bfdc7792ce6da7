import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { BatchSegmentJobWaiter } from '../lib';

export const jobArn = (i: number) => `arn:aws:personalize:us-east-1:111122223333:batch-segment-job/segment-job-${i}`;
const HANDLER_ASSET = path.join(__dirname, '..', 'assets', 'job-handlers');

/** A stack of `count` waiters, as a consumer writes it. */
export function waiterStack(count: number): Stack {
  const stack = new Stack(new App({ outdir: tempDir() }), 'Waiters');
  for (let i = 0; i < count; i++) {
    new BatchSegmentJobWaiter(stack, `Waiter${i}`, { batchSegmentJobArn: jobArn(i) });
  }
  return stack;
}

/**
 * The naive design, for comparison: each waiter brings its own handler functions and its own
 * Provider (three framework functions, a state machine and their roles), with the same code.
 */
export function naiveWaiterStack(count: number): Stack {
  const stack = new Stack(new App({ outdir: tempDir() }), 'NaiveWaiters');
  const code = lambda.Code.fromAsset(HANDLER_ASSET);
  for (let i = 0; i < count; i++) {
    const scope = new Construct(stack, `Waiter${i}`);
    const handler = (id: string, name: string) =>
      new lambda.Function(scope, id, { code, handler: `index.${name}`, runtime: lambda.Runtime.NODEJS_24_X, timeout: Duration.minutes(1) });
    const onEvent = handler('OnEvent', 'onEvent');
    const isComplete = handler('IsComplete', 'isComplete');
    for (const fn of [onEvent, isComplete]) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['personalize:DescribeBatchSegmentJob'], resources: [jobArn(i)] }));
    }
    const provider = new cr.Provider(scope, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.minutes(59),
    });
    new CustomResource(scope, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::PersonalizeBatchSegmentJobWaiter',
      properties: { BatchSegmentJobArn: jobArn(i), TimeoutSeconds: 3600, PollIntervalSeconds: 30, FailOnJobFailure: true, LogLevel: 'INFO' },
    });
  }
  return stack;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'waiter-bench-'));
}
