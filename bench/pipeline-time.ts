import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PIPELINE_SAMPLE_DIR, PIPELINE_STEPS, PipelineStack } from '../bin/pipeline-stack';
import { ImportField } from '../lib/kinds/dataset-import-job/contract';
import { TrainingField } from '../lib/kinds/solution-version/contract';
import { WaiterProperty } from '../lib/engine/wait-contract';
import { LIVE_IMPORT_TIMELINE } from '../local/kinds/dataset-import-job';
import { LIVE_TRAINING_TIMELINE } from '../local/kinds/solution-version';
import type { LocalDeployment } from '../local/local-deployment';
import { LIVE_SERVICE_TIMELINE, LocalPersonalize } from '../local/personalize-endpoint';
import { localDeployment, withLocalPersonalize } from './local-run';

const DATASET_ACTIVE_AFTER_SECONDS = 300;
const SOLUTION_ACTIVE_AFTER_SECONDS = 600;
const endOf = (timeline: readonly { readonly afterSeconds: number }[]) => timeline[timeline.length - 1].afterSeconds;

export interface PipelineTime {
  readonly deployment: string;
  /** Simulated seconds the deployment took. */
  readonly seconds: number;
  /** What Personalize itself takes along the longest chain: dataset, import, training, job. */
  readonly criticalPathSeconds: number;
  /** One poll interval of each step along that chain: the goal for the excess. */
  readonly allowedExcessSeconds: number;
  /** The same deployment with one resource at a time, as the local deployment ran it before. */
  readonly oneAtATimeSeconds: number;
}

/**
 * The example pipeline deployed on the local endpoint in simulated time, as CloudFormation runs
 * it (side by side), and one resource at a time for comparison: the first deployment, and an
 * update after the interactions changed.
 */
export async function measurePipelineTime(): Promise<PipelineTime[]> {
  const dir = path.join(__dirname, '..', 'cdk.out', 'bench-pipeline');
  const changedData = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-'));
  try {
    fs.cpSync(PIPELINE_SAMPLE_DIR, changedData, { recursive: true });
    fs.appendFileSync(path.join(changedData, 'interactions.csv'), 'user-001,item-05,1767225600\n');
    const shipped = synthesize(path.join(dir, 'shipped'), PIPELINE_SAMPLE_DIR);
    const changed = synthesize(path.join(dir, 'changed'), changedData);
    const sideBySide = await deployTwice(shipped, changed, false);
    const oneAtATime = await deployTwice(shipped, changed, true);
    const pathOf = (withDataset: boolean) => (withDataset ? DATASET_ACTIVE_AFTER_SECONDS : 0) + endOf(LIVE_IMPORT_TIMELINE) + endOf(LIVE_TRAINING_TIMELINE) + endOf(LIVE_SERVICE_TIMELINE);
    return [
      { deployment: 'first deployment', seconds: sideBySide.first, criticalPathSeconds: pathOf(true), allowedExcessSeconds: sideBySide.pollsAlongPath, oneAtATimeSeconds: oneAtATime.first },
      { deployment: 'update after interactions.csv changed', seconds: sideBySide.update, criticalPathSeconds: pathOf(false), allowedExcessSeconds: sideBySide.pollsAlongPath, oneAtATimeSeconds: oneAtATime.update },
    ];
  } finally {
    fs.rmSync(changedData, { recursive: true, force: true });
  }
}

function synthesize(outdir: string, dataDir: string): string {
  const app = new App({ outdir });
  new PipelineStack(app, 'Pipeline', { dataDir });
  app.synth();
  return outdir;
}

async function deployTwice(shipped: string, changed: string, oneAtATime: boolean) {
  return withLocalPersonalize(async (personalize, clock) => {
    const deployment = localDeployment(shipped, 'Pipeline', clock, personalize);
    const order = PIPELINE_STEPS.flatMap(([id, type]) => deployment.chainOf(id, type));
    scriptPersonalize(deployment, personalize);
    const pollsAlongPath = ['ImportInteractions', 'SegmentsModel', 'Segments']
      .map((id) => Number(deployment.requestPropertiesOf(order.find((logicalId) => logicalId.startsWith(id))!)[WaiterProperty.POLL_INTERVAL_SECONDS]))
      .reduce((sum, seconds) => sum + seconds, 0);
    let started = Date.now();
    if (oneAtATime) {
      for (const logicalId of order) {
        await deployment.deployStack([logicalId]);
      }
    } else {
      await deployment.deployStack(order);
    }
    const first = (Date.now() - started) / 1000;
    started = Date.now();
    if (oneAtATime) {
      for (const logicalId of order) {
        await deployment.redeployStack(changed, 'Pipeline', [logicalId]);
      }
    } else {
      await deployment.redeployStack(changed, 'Pipeline', order);
    }
    return { first, update: (Date.now() - started) / 1000, pollsAlongPath };
  });
}

/** The datasets and solutions the stack's L1 resources would make, as the demo scripts them. */
function scriptPersonalize(deployment: LocalDeployment, personalize: LocalPersonalize): void {
  const named = (type: string, field: string) => [...new Set(deployment.logicalIdsOf(type).map((id) => String(deployment.requestPropertiesOf(id)[WaiterProperty.JOB][field])))];
  named('Custom::PersonalizeDatasetImportJob', ImportField.DATASET_ARN).forEach((arn) => personalize.imports.addDataset(arn, { activeAfterSeconds: DATASET_ACTIVE_AFTER_SECONDS }));
  named('Custom::PersonalizeSolutionVersion', TrainingField.SOLUTION_ARN).forEach((arn) => personalize.trainings.addSolution(arn, { activeAfterSeconds: SOLUTION_ACTIVE_AFTER_SECONDS }));
}
