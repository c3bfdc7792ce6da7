// Generates the Python package's code from the .jsii assembly, as a release would, and
// byte-compiles every file of it. The wheel itself needs PyPI, which these machines cannot reach.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, run } from './tool.mjs';

await main(async () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pacmak-'));
  try {
    // The package is already built (npm run build); packing it again would rebuild it.
    run('jsii-pacmak', ['--targets', 'python', '--code-only', '--outdir', outdir, '--pack-command', 'npm pack --ignore-scripts']);
    const sources = readdirSync(join(outdir, 'python'), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.py'))
      .map((file) => join(outdir, 'python', file));
    if (sources.length === 0) {
      throw new Error(`jsii-pacmak generated no Python files in ${outdir}`);
    }
    run('python3', ['-m', 'py_compile', ...sources], { bin: false });
    console.log(`jsii-pacmak: generated the Python package's code; python3 byte-compiled its ${sources.length} files`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
