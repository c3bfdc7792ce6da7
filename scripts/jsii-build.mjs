// Compiles lib/ into dist/ and the .jsii assembly with jsii, warnings as errors, so that a change
// that the other CDK languages cannot take fails here; then compiles every TypeScript example of
// the README (embedded in the assembly) with jsii-rosetta --strict, so that each translates.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main, root, run } from './tool.mjs';

await main(async () => {
  const output = run('jsii', ['--fail-on-warnings']);
  const { unexpected, floorNotes } = classifyWarnings(output);
  if (unexpected.length > 0) {
    throw new Error(`jsii warned; every warning counts as an error here:\n${unexpected.join('\n')}`);
  }
  console.log(`jsii: compiled lib/ into dist/ and .jsii${floorNotes > 0 ? ` (${floorNotes} notes that the devDependencies are newer than the peer floor: npm run test:floor compiles against the floor itself)` : ''}`);
  // A tablet left from an earlier build keeps each unchanged snippet's old README line.
  rmSync(join(root, '.jsii.tabl.json'), { force: true });
  run('jsii-rosetta', ['extract', '--strict']);
  console.log('jsii-rosetta: every README example compiles and translates (.jsii.tabl.json)');
});

/**
 * jsii's --fail-on-warnings covers the compiler's diagnostics, not those about package.json. One of
 * those is expected: JSII6 says that a peer dependency's floor should be the devDependency. Here
 * the devDependencies are the newest aws-cdk-lib and constructs on purpose (the tests and cdk-nag
 * run against them), and scripts/test-floor.mjs compiles and tests against the floor, where this
 * warning cannot arise. Any other warning fails the build.
 */
function classifyWarnings(output) {
  const peers = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).peerDependencies ?? {});
  const warnings = output.split('\n').filter((line) => /^warning JSII\d+:/.test(line));
  const isFloorNote = (line) => line.startsWith('warning JSII6: ') && peers.some((peer) => line.includes(`peerDependency" on "${peer}"`));
  return { unexpected: warnings.filter((line) => !isFloorNote(line)), floorNotes: warnings.filter(isFloorNote).length };
}
