// Bundles the waiter's Lambda handlers into assets/, once, when the library is built or installed,
// so that the construct ships ready-made code and consumers need neither esbuild nor Docker.
//
// @aws-sdk/* is left to the Lambda runtime, which ships SDK v3 with every Node.js runtime: the
// bundle is a tenth of the size and loads faster (`npm run bench` measures both; BENCHMARKS.md).
// Set BUNDLE_AWS_SDK=1 to build the variant with the SDK inside.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The handlers use only the SDK's error classification from @smithy/core/retry, whose index also
// pulls in every retry strategy (12 KB); its own module is taken directly.
const smithyCore = dirname(createRequire(import.meta.url).resolve('@smithy/core/package.json'));
const errorClassification = join(smithyCore, 'dist-es', 'submodules', 'retry', 'service-error-classification', 'service-error-classification.js');

/** Bundles lambda/index.ts into `outdir`/index.js; answers its size in bytes, in all and by package. */
export async function bundleWaiterHandler({ outdir = join(root, 'assets', 'job-handlers'), bundleAwsSdk = false } = {}) {
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
    // With the SDK bundled in, the SDK needs the whole module anyway.
    alias: bundleAwsSdk ? {} : { '@smithy/core/retry': errorClassification },
    metafile: true,
    logLevel: 'warning',
  });
  const [output] = Object.values(result.metafile.outputs);
  const bytesByPackage = {};
  for (const [file, input] of Object.entries(output.inputs)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? '(this project)';
    bytesByPackage[name] = (bytesByPackage[name] ?? 0) + input.bytesInOutput;
  }
  return { bytes: output.bytes, bytesByPackage };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundleAwsSdk = process.env.BUNDLE_AWS_SDK === '1';
  const { bytes } = await bundleWaiterHandler({ bundleAwsSdk });
  console.log(`bundled the job handlers: ${bytes} bytes${bundleAwsSdk ? ' (AWS SDK included)' : ''}`);
}
