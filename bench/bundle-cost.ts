import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { median } from './synth-time';
import { tempDir } from './stacks';

export interface BundleCost {
  readonly variant: string;
  readonly bytes: number;
  readonly coldStartMs: number;
  readonly bytesByPackage?: Record<string, number>;
}

const ROOT = path.join(__dirname, '..');
/** What a fresh Lambda sandbox does before the first event: load the bundle, make the client. */
const INIT_SCRIPT = `
const start = process.hrtime.bigint();
require(process.argv[1]);
const { PersonalizeClient } = require('@aws-sdk/client-personalize');
new PersonalizeClient({ region: 'us-east-1' });
process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));
`;

/** Bytes of the handler bundle with and without the AWS SDK, and the median init time of fresh processes. */
export async function measureBundleCost(processes: number): Promise<BundleCost[]> {
  const { bundleWaiterHandler } = await import('../scripts/bundle-handlers.mjs');
  const shippedDir = tempDir();
  const shippedBuild = await bundleWaiterHandler({ outdir: shippedDir });
  const shipped = path.join(shippedDir, 'index.js');
  const withSdkDir = tempDir();
  await bundleWaiterHandler({ outdir: withSdkDir, bundleAwsSdk: true });
  const empty = path.join(withSdkDir, 'empty.js');
  fs.writeFileSync(empty, '');
  const variants = [
    { variant: 'shipped: @aws-sdk/* left to the Lambda runtime', file: shipped },
    { variant: 'alternative: AWS SDK bundled in', file: path.join(withSdkDir, 'index.js') },
    { variant: 'baseline: no handler, the AWS SDK client alone', file: empty },
  ];
  return variants.map(({ variant, file }) => ({
    variant,
    ...(file === shipped ? { bytesByPackage: shippedBuild.bytesByPackage } : {}),
    bytes: fs.statSync(file).size,
    coldStartMs: median(Array.from({ length: processes }, () => initTime(file))),
  }));
}

/** Bytes of the provider framework's own handler asset, which every stack with a waiter also deploys. */
export function frameworkAssetBytes(): number {
  const dir = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'custom-resources', 'lib', 'provider-framework', 'runtime');
  return fs.readdirSync(dir).filter((file) => file.endsWith('.js')).reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0);
}

function initTime(bundle: string): number {
  const output = execFileSync(process.execPath, ['-e', INIT_SCRIPT, bundle], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return Number(output);
}
