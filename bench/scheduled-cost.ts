import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PipelineStack } from '../bin/pipeline-stack';
import { type Night, runScheduledWeek, swappingNightTimers } from '../local/scheduled-week';
import { withLocalPersonalize } from './local-run';

/**
 * A week of the scheduled example's nights (bin/scheduled-runs.ts), deployed and run on this
 * machine: each night's state transitions, its work and training hours, and the interval within
 * which it noticed each piece of work end.
 */
export async function measureScheduledWeek(): Promise<Night[]> {
  const outdir = path.join(__dirname, '..', 'cdk.out', 'bench-scheduled');
  const app = new App({ outdir });
  new PipelineStack(app, 'Scheduled', { scheduled: true });
  app.synth();
  return withLocalPersonalize(async (personalize, _clock, swap) => {
    return runScheduledWeek(
      {
        assemblyDir: outdir,
        stackName: 'Scheduled',
        clock: { now: () => Date.now(), set: (epochMs) => swap.current().setSystemTime(epochMs) },
        virtualTimers: swappingNightTimers(swap),
      },
      personalize,
      () => undefined,
    );
  });
}
