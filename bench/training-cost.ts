import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { SolutionVersion, SolutionVersionWaiter } from '../lib';
import { localDeployment, withLocalPersonalize } from './local-run';

const SOLUTION_ARN = 'arn:aws:personalize:us-east-1:111122223333:solution/promo';
const SIX_HOURS = [
  { afterSeconds: 0, status: 'CREATE PENDING' },
  { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
  { afterSeconds: 6 * 3600, status: 'ACTIVE' },
];
const INTERVALS = [Duration.minutes(1), Duration.minutes(5)];

export interface TrainingCost {
  readonly construct: 'SolutionVersion' | 'SolutionVersionWaiter';
  readonly interval: string;
  readonly outcome: string;
  readonly links: number;
  readonly polls: number;
  /** Personalize calls by operation. */
  readonly calls: Readonly<Record<string, number>>;
  readonly lambdaInvocations: number;
  readonly stateTransitions: number;
  /** Seconds from the training's end to the answer. */
  readonly lagSeconds: number;
}

/**
 * A six-hour training waited for with the training defaults (an 8-hour timeout, relayed by
 * links), at the default and the longest poll interval: by the SolutionVersion that starts it,
 * and by a SolutionVersionWaiter on a training started elsewhere. Each deployment creates the
 * links in order on the local endpoint, in simulated time.
 */
export async function measureTrainingCost(): Promise<TrainingCost[]> {
  const rows: TrainingCost[] = [];
  for (const construct of ['SolutionVersion', 'SolutionVersionWaiter'] as const) {
    for (const pollInterval of INTERVALS) {
      rows.push(await measureOne(construct, pollInterval));
    }
  }
  return rows;
}

async function measureOne(construct: TrainingCost['construct'], pollInterval: Duration): Promise<TrainingCost> {
  // Inside the repository: the handlers' bundle finds the AWS SDK in node_modules, as in Lambda's runtime.
  const outdir = path.join(__dirname, '..', 'cdk.out', `bench-training-${construct}-${pollInterval.toSeconds()}`);
  const app = new App({ outdir });
  const stack = new Stack(app, 'Training');
  const gate = { minimumMetrics: { precision_at_5: 0.05 } };
  return withLocalPersonalize(async (personalize, clock) => {
    personalize.trainings.addSolution(SOLUTION_ARN, { timeline: SIX_HOURS });
    if (construct === 'SolutionVersion') {
      new SolutionVersion(stack, 'Model', { solutionArn: SOLUTION_ARN, pollInterval, ...gate });
    } else {
      const elsewhere = personalize.trainings.startTraining(SOLUTION_ARN, 'elsewhere');
      new SolutionVersionWaiter(stack, 'Model', { solutionVersionArn: elsewhere, pollInterval, ...gate });
    }
    app.synth();
    const deployment = localDeployment(outdir, 'Training', clock, personalize);
    const type = construct === 'SolutionVersion' ? 'Custom::PersonalizeSolutionVersion' : 'Custom::PersonalizeSolutionVersionWaiter';
    const started = Date.now();
    const result = await deployment.deployStack(deployment.chainOf('Model', type));
    const [version] = personalize.trainings.versionArns();
    const endedAt = started + 6 * 3600 * 1000;
    const calls: Record<string, number> = {};
    for (const call of personalize.calls) {
      calls[call.operation] = (calls[call.operation] ?? 0) + 1;
    }
    const polls = result.created.reduce((sum, link) => sum + link.polls, 0);
    return {
      construct,
      interval: pollInterval.toHumanString(),
      outcome: result.failed === undefined ? `${personalize.trainings.statusOf(version)}, gate passed` : `FAILED: ${result.failed.response.Reason}`,
      links: result.created.length,
      polls,
      calls,
      lambdaInvocations: 2 * result.created.length + 2 * polls,
      stateTransitions: polls,
      lagSeconds: Math.round((Date.now() - endedAt) / 1000),
    };
  });
}
