// Tests the library against the oldest aws-cdk-lib and constructs that package.json's
// peerDependencies accept (the floor), as CI does after `npm test` has tested the newest:
//
// 1. In a copy of this checkout with the floor installed over the lockfile (npm nests the
//    @aws-cdk/cloud-assembly-schema that release needs), jsii compiles lib/ and rosetta the README
//    examples against the floor's types, every warning an error, and jest runs the construct,
//    template and end-to-end tests. cdk-nag needs a newer aws-cdk-lib: its tests say they skip.
// 2. The package, packed as it would be published, is installed into a TypeScript app whose
//    package.json pins the floor; npm must find no peer-dependency conflict, tsc must compile the
//    app against the package's declarations, and the app must synthesize every construct.
//
// Needs the npm registry (for the floor releases), as `npm ci` does.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, root, run } from './tool.mjs';

const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const floor = Object.fromEntries(Object.entries(packageJson.peerDependencies).map(([name, range]) => [name, floorOf(name, range)]));
const floorSpecs = Object.entries(floor).map(([name, version]) => `${name}@${version}`);
const keep = process.argv.includes('--keep');

await main(async () => {
  const work = mkdtempSync(join(tmpdir(), 'floor-'));
  try {
    console.log(`floor: ${floorSpecs.join(', ')}`);
    testCheckoutAtFloor(join(work, 'checkout'));
    synthesizeConsumerAtFloor(join(work, 'consumer'));
  } finally {
    if (keep) {
      console.log(`kept ${work}`);
    } else {
      rmSync(work, { recursive: true, force: true });
    }
  }
});

function testCheckoutAtFloor(checkout) {
  const files = run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { bin: false }).split('\0').filter(Boolean);
  for (const file of files) {
    cpSync(join(root, file), join(checkout, file), { recursive: true });
  }
  cpSync(join(root, 'node_modules'), join(checkout, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', ...floorSpecs], { cwd: checkout, bin: false });
  // jsii checks that each peer's floor is the devDependency; in this copy it is.
  const copyJson = join(checkout, 'package.json');
  const copy = JSON.parse(readFileSync(copyJson, 'utf8'));
  Object.assign(copy.devDependencies, floor);
  writeFileSync(copyJson, `${JSON.stringify(copy, null, 2)}\n`);
  const installed = Object.keys(floor).map((name) => `${name}@${JSON.parse(readFileSync(join(checkout, 'node_modules', name, 'package.json'), 'utf8')).version}`);
  console.log(`installed ${installed.join(', ')} into a copy of the checkout`);

  const build = run('npm', ['run', '--silent', 'build'], { cwd: checkout, bin: false });
  if (build.includes('newer than the peer floor')) {
    throw new Error(`jsii still saw devDependencies newer than the floor in the copy:\n${build}`);
  }
  console.log(`at the floor, ${build.trim().split('\n').filter((line) => line.startsWith('jsii')).join('; ')}`);
  const jest = run('npx', ['jest', '--ci', '--verbose'], { cwd: checkout, bin: false });
  const lines = jest.split('\n').map((line) => line.trim());
  console.log(`jest at the floor: ${lines.filter((line) => /^(Tests|Test Suites):/.test(line)).join('; ')}`);
  // The skipped groups name themselves "... (skipped: why)".
  for (const group of new Set(lines.filter((line) => line.includes('(skipped: ')))) {
    console.log(`  ${group}`);
  }
}

function synthesizeConsumerAtFloor(consumer) {
  cpSync(join(root, 'scripts', 'floor-consumer'), consumer, { recursive: true });
  // Built as `npm pack` would (prepack), then packed without running the build twice.
  run('npm', ['run', '--silent', 'build'], { bin: false });
  const [{ filename }] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', consumer], { bin: false }));
  const tarball = join(consumer, filename);
  const consumerJson = join(consumer, 'package.json');
  const app = JSON.parse(readFileSync(consumerJson, 'utf8'));
  app.dependencies = { ...floor, 'cdk-personalize-batch-jobs': `file:${tarball}` };
  writeFileSync(consumerJson, `${JSON.stringify(app, null, 2)}\n`);
  // No --legacy-peer-deps or --force: a peer range that excluded the floor fails here.
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: consumer, bin: false });
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
      files: ['app.ts'],
    }),
  );
  run('tsc', ['-p', consumer]);
  const output = run('node', [join(consumer, 'app.js')], { cwd: consumer, bin: false });
  console.log(`consumer pinned at the floor: installed ${filename} with no peer conflict; tsc compiled it; ${output.trim()}`);
}

/** The lowest version a peer range accepts; the ranges are written `^x.y.z`. */
function floorOf(name, range) {
  const version = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (version === undefined) {
    throw new Error(`peerDependencies.${name} is ${JSON.stringify(range)}; this script reads floors from ranges written ^x.y.z`);
  }
  return version;
}
