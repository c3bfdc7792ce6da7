// Runs the project's own command-line tools (node_modules/.bin) for the build and check scripts.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// jsii's tools print a page-wide banner on every run under Node.js 20, which this project still
// supports for development; it says nothing about the code.
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0] };

/** Runs `command` (a node_modules/.bin tool or a program on PATH); answers what it printed, throws with that on failure. */
export function run(command, args, { cwd = root, bin = true } = {}) {
  const executable = bin ? join(root, 'node_modules', '.bin', command) : command;
  const result = spawnSync(executable, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined) {
    throw new Error(`${command} could not be started: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${output}`);
  }
  return `${result.stdout}${result.stderr}`;
}

/** Runs `main`, printing a failure as one message and exiting non-zero. */
export async function main(body) {
  try {
    await body();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
