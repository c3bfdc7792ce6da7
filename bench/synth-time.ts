import { execFileSync } from 'child_process';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { waiterStack } from './stacks';

export interface SynthTime {
  readonly waiters: number;
  /** A fresh process that loads the app and synthesizes it, as `cdk synth` does. */
  readonly processMedianMs: number;
  /** The synthesis alone, in a process that has already loaded aws-cdk-lib. */
  readonly inProcessMedianMs: number;
  readonly runs: number;
}

const TSX_CLI = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

/** Median wall times of synthesizing stacks of waiters, in fresh processes and in this one, interleaved. */
export function measureSynthTime(counts: readonly number[], runs: number): SynthTime[] {
  synthOnce(1);
  const inProcess = new Map<number, number[]>(counts.map((count) => [count, []]));
  const processes = new Map<number, number[]>(counts.map((count) => [count, []]));
  // Interleaved, so that a slow moment of the machine falls on every size alike.
  for (let run = 0; run < runs; run++) {
    for (const count of counts) {
      inProcess.get(count)!.push(synthOnce(count));
      processes.get(count)!.push(synthInFreshProcess(count));
    }
  }
  return counts.map((waiters) => ({
    waiters,
    processMedianMs: median(processes.get(waiters)!),
    inProcessMedianMs: median(inProcess.get(waiters)!),
    runs,
  }));
}

function synthInFreshProcess(count: number): number {
  const start = performance.now();
  execFileSync(process.execPath, [TSX_CLI, path.join(__dirname, 'synth-app.ts'), String(count)], { stdio: 'ignore' });
  return performance.now() - start;
}

function synthOnce(count: number): number {
  const start = performance.now();
  const stack = waiterStack(count);
  (stack.node.root as import('aws-cdk-lib').App).synth();
  return performance.now() - start;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
