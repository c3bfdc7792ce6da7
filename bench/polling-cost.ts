import * as path from 'path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { BatchSegmentJobWaiter } from '../lib';
import { localDeployment, withLocalPersonalize } from './local-run';
import { jobArn } from './stacks';

export interface PollingCost {
  readonly interval: string;
  readonly job: string;
  readonly outcome: string;
  readonly describeCalls: number;
  /** Custom resources of the relay that CloudFormation created. */
  readonly links: number;
  readonly polls: number;
  readonly lambdaInvocations: number;
  readonly stateTransitions: number;
  /** Seconds from the job's end to the answer; undefined when the job did not end in time. */
  readonly lagSeconds?: number;
}

const JOB_HEAD_START_SECONDS = 13;
/** Long enough for the 1-hour job: the wait is relayed by a chain of links. */
const WAITER_TIMEOUT_HOURS = 2;

function outcomeOf(status: string, reason: string): string {
  if (status === 'SUCCESS') return 'SUCCESS';
  const timedOut = /^Gave up waiting .* after ([^;]+);/.exec(reason);
  if (timedOut) return `FAILED: timed out after ${timedOut[1]}`;
  if (reason.includes('ended CREATE FAILED')) return 'FAILED: job failed';
  if (reason.includes('does not exist')) return 'FAILED: job not found';
  if (reason.startsWith('The BatchSegmentJobArn property')) return 'FAILED: invalid ARN';
  return `FAILED: ${reason.slice(0, 60)}`;
}

const INTERVALS = [
  { name: '5 s (aws-cdk Provider default)', seconds: 5 },
  { name: '30 s (this construct\'s default)', seconds: 30 },
  { name: '60 s (AWS MLOps solution\'s loop)', seconds: 60 },
];

const JOBS = [
  { name: '10-minute job', endsAfter: 600, status: 'ACTIVE' },
  { name: '45-minute job', endsAfter: 2700, status: 'ACTIVE' },
  { name: '1-hour job', endsAfter: 3600, status: 'ACTIVE' },
  { name: 'job failing after 2 minutes', endsAfter: 120, status: 'CREATE FAILED' },
  { name: 'missing job', endsAfter: undefined, status: undefined },
  { name: 'malformed ARN', endsAfter: undefined, status: undefined },
];

/** Calls, invocations, transitions and detection lag per job, at three poll intervals, on the local endpoint in simulated time. */
export async function measurePollingCost(): Promise<PollingCost[]> {
  const outdir = path.join(__dirname, '..', 'cdk.out', 'bench-polling');
  const app = new App({ outdir });
  const stack = new Stack(app, 'Polling');
  // The job comes from a parameter, which the handlers' policy names too (IAM decides every call).
  const job = new CfnParameter(stack, 'JobArn', { type: 'String' });
  for (const interval of INTERVALS) {
    new BatchSegmentJobWaiter(stack, `Every${interval.seconds}s`, {
      batchSegmentJobArn: job.valueAsString,
      pollInterval: Duration.seconds(interval.seconds),
      timeout: Duration.hours(WAITER_TIMEOUT_HOURS),
    });
  }
  app.synth();

  return withLocalPersonalize(async (personalize, clock) => {
    const deployment = localDeployment(outdir, 'Polling', clock, personalize);
    const results: PollingCost[] = [];
    let jobNumber = 1;
    for (const interval of INTERVALS) {
      const links = deployment.chainOf(`Every${interval.seconds}s`, 'Custom::PersonalizeBatchSegmentJobWaiter');
      for (const job of JOBS) {
        const arn = job.name === 'malformed ARN' ? 'segment-job' : jobArn(jobNumber++);
        if (job.endsAfter !== undefined) {
          personalize.addJob({
            batchSegmentJobArn: arn,
            timeline: [{ afterSeconds: 0, status: 'CREATE PENDING' }, { afterSeconds: 60, status: 'CREATE IN_PROGRESS' }, { afterSeconds: job.endsAfter, status: job.status! }],
            // Started a little before the deployment, so that it does not end on a poll.
            createdAt: Date.now() - JOB_HEAD_START_SECONDS * 1000,
          });
        }
        personalize.resetCallsAndFaults();
        // The links one after another, as CloudFormation creates them, until one fails.
        let polls = 0;
        let elapsedSeconds = 0;
        let response = undefined as unknown as Awaited<ReturnType<typeof deployment.deploy>>['response'];
        for (const logicalId of links) {
          const link = await deployment.deploy({ requestType: 'Create', logicalId, parameters: { JobArn: arn } });
          ({ response } = link);
          polls += link.polls;
          elapsedSeconds += link.elapsedSeconds;
          if (response.Status === 'FAILED') {
            break;
          }
        }
        const linksCreated = links.indexOf(response.LogicalResourceId) + 1;
        const ended = job.endsAfter !== undefined && !response.Reason.startsWith('Gave up');
        results.push({
          interval: interval.name,
          job: job.name,
          outcome: outcomeOf(response.Status, response.Reason),
          describeCalls: personalize.callsTo('DescribeBatchSegmentJob').length,
          polls,
          links: linksCreated,
          lambdaInvocations: 2 * linksCreated + 2 * polls,
          stateTransitions: polls,
          lagSeconds: ended ? elapsedSeconds - (job.endsAfter! - JOB_HEAD_START_SECONDS) : undefined,
        });
      }
    }
    return results;
  });
}
