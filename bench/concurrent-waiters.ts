import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { BatchSegmentJobWaiter } from '../lib';
import { localDeployment, withLocalPersonalize } from './local-run';
import { jobArn } from './stacks';

export interface ConcurrentRun {
  readonly scenario: string;
  readonly waiters: number;
  readonly succeeded: number;
  /** Describe requests reaching the endpoint in its busiest second, retries and throttled ones included. */
  readonly peakDescribesPerSecond: number;
  /** Describe requests answered with a job in the busiest second. */
  readonly peakAnsweredPerSecond: number;
  readonly describeCalls: number;
  readonly throttledCalls: number;
  readonly maxLagSeconds: number;
}

const WAITERS = 20;

/**
 * Twenty waiters in one stack, created together as CloudFormation creates independent resources,
 * waiting for jobs that end between 5 and 24 minutes: the peak rate of Describe calls they send
 * to one region, without and with a service rate limit.
 */
export async function measureConcurrentWaiters(rateLimits: ReadonlyArray<number | undefined>): Promise<ConcurrentRun[]> {
  const outdir = path.join(__dirname, '..', 'cdk.out', 'bench-concurrent');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Concurrent');
  for (let i = 0; i < WAITERS; i++) {
    new BatchSegmentJobWaiter(stack, `Waiter${i}`, { batchSegmentJobArn: jobArn(i) });
  }
  app.synth();

  const runs: ConcurrentRun[] = [];
  for (const rateLimit of rateLimits) {
    runs.push(
      await withLocalPersonalize(async (personalize, clock) => {
        const deployment = localDeployment(outdir, 'Concurrent', clock, personalize);
        const ids = deployment.logicalIdsOf('Custom::PersonalizeBatchSegmentJobWaiter');
        const endsAfter = (i: number) => 5 * 60 + i * 60 - 13;
        ids.forEach((_, i) =>
          personalize.addJob({ batchSegmentJobArn: jobArn(i), timeline: [{ afterSeconds: 0, status: 'CREATE IN_PROGRESS' }, { afterSeconds: endsAfter(i), status: 'ACTIVE' }] }),
        );
        personalize.limitDescribeRate(rateLimit);
        const results = await deployment.deployTogether(ids.map((logicalId) => ({ requestType: 'Create', logicalId })));
        const describes = personalize.callsTo('DescribeBatchSegmentJob');
        const peakPerSecond = (calls: typeof describes) => {
          const perSecond = new Map<number, number>();
          calls.forEach((call) => perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1));
          return Math.max(...perSecond.values());
        };
        return {
          scenario: rateLimit === undefined ? 'no rate limit' : `Describe throttled above ${rateLimit} calls/s`,
          waiters: ids.length,
          succeeded: results.filter((result) => result.response.Status === 'SUCCESS').length,
          peakDescribesPerSecond: peakPerSecond(describes),
          peakAnsweredPerSecond: peakPerSecond(describes.filter((call) => call.fault === undefined)),
          describeCalls: describes.length,
          throttledCalls: describes.filter((call) => call.fault === 'throttling').length,
          maxLagSeconds: Math.max(...results.map((result, i) => result.elapsedSeconds - endsAfter(i))),
        };
      }),
    );
  }
  return runs;
}
