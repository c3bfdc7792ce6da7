import * as fs from 'fs';
import * as path from 'path';
import { formatDuration } from '../lib/engine/wait-timing';
import { iamSummary } from './iam/iam-summary';
import type { LocalDeployment } from './local-deployment';
import type { LocalPersonalize } from './personalize-endpoint';

/** The demo's training stack (bin/training-stack.ts), deployed in CloudFormation's order. */
export interface TrainingDemo {
  readonly assemblyDir: string;
  readonly stackName: string;
  /** The NDCG the stack's quality gate asks for. */
  readonly minimumNdcg: number;
}

const SOLUTION_VERSION_TYPE = 'Custom::PersonalizeSolutionVersion';
const SEGMENT_JOB_TYPE = 'Custom::PersonalizeBatchSegmentJob';
const NDCG = 'normalized_discounted_cumulative_gain_at_10';

/**
 * Trains the stack's model on the local endpoint (the solution turns ACTIVE 10 minutes after the
 * deployment starts, training takes 1h 45m) with a model whose NDCG is `ndcg`, then makes the
 * segments from it if it passes the gate; says what happened at each step.
 */
export async function runTrainingScenario(
  demo: TrainingDemo,
  ndcg: number,
  personalize: LocalPersonalize,
  newDeployment: (statusNow: () => string) => LocalDeployment,
  say: (line?: string) => void,
): Promise<void> {
  const template = JSON.parse(fs.readFileSync(path.join(demo.assemblyDir, `${demo.stackName}.template.json`), 'utf8'));
  const solution = template.Resources.Solution.Properties;
  const solutionArn = `arn:aws:personalize:us-east-1:111122223333:solution/${solution.Name}`;
  personalize.trainings.removeAll();
  personalize.trainings.addSolution(solutionArn, {
    activeAfterSeconds: 600,
    timeline: [
      { afterSeconds: 0, status: 'CREATE PENDING' },
      { afterSeconds: 300, status: 'CREATE IN_PROGRESS' },
      { afterSeconds: 6300, status: 'ACTIVE' },
    ],
    metrics: { coverage: 0.41, [NDCG]: ndcg, precision_at_5: 0.12 },
  });
  say(`  solution ${solutionArn} becomes ACTIVE after 10m; a training takes 1h 45m; the model's NDCG@10 will be ${ndcg} (gate: ≥ ${demo.minimumNdcg})`);

  const statusNow = () => {
    const [version] = personalize.trainings.versionArns();
    const segments = personalize.jobArns()[0];
    if (segments !== undefined) {
      return `segments job ${personalize.statusOf(segments)}`;
    }
    return version === undefined ? 'no training yet (solution not ACTIVE)' : `training ${personalize.trainings.statusOf(version)}`;
  };
  const deployment = newDeployment(statusNow);
  const order = [...deployment.chainOf('Model', SOLUTION_VERSION_TYPE), ...deployment.chainOf('Segments', SEGMENT_JOB_TYPE)];
  say(`  CREATE_IN_PROGRESS  ${order.length} custom resources in order: the training's ${order.length - 1} links, then the segment job`);
  const started = Date.now();
  const decidedBefore = personalize.iam?.decisions.length ?? 0;
  const { created, failed, rolledBack } = await deployment.deployStack(order);
  const elapsed = formatDuration((Date.now() - started) / 1000);
  const trainings = personalize.trainings.versionArns();
  const creates = personalize.callsTo('CreateSolutionVersion').length;
  const segmentJobs = personalize.callsTo('CreateBatchSegmentJob').length;
  say(
    `  after ${elapsed} of simulated time: ${trainings.length} training (${creates} CreateSolutionVersion calls, ${creates - trainings.length} refused ` +
      `while the solution was not ACTIVE), ${segmentJobs} batch segment job created`,
  );
  if (personalize.iam !== undefined) {
    say(`  ${iamSummary(personalize.iam, decidedBefore)}`);
  }
  if (failed === undefined) {
    const trained = created[created.length - 2].response.Data ?? {};
    say(`  ✔ CREATE_COMPLETE  model ${trained.SolutionVersionArn}: NDCG@10 ${trained[`Metric.${NDCG}`]}, ${trained.TrainingHours} training hours`);
    say(`    segments written to ${created[created.length - 1].response.Data?.OutputPath}`);
    return;
  }
  say(`  ✘ CREATE_FAILED  ${failed.response.LogicalResourceId}  — what CloudFormation shows as the reason:`);
  say(`    ${failed.response.Reason.trim()}`);
  const running = trainings.filter((arn) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(personalize.trainings.statusOf(arn)!));
  const deleted = rolledBack.filter((deletion) => deletion.response.Status === 'SUCCESS').length;
  say(
    `  ROLLBACK: ${deleted} of ${rolledBack.length} Deletes DELETE_COMPLETE; ${personalize.callsTo('StopSolutionVersionCreation').length} StopSolutionVersionCreation calls; ` +
      `${running.length} trainings left running`,
  );
}
