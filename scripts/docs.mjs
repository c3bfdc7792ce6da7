// Keeps the generated documentation current: API.md (jsii-docgen, from the .jsii assembly) and
// the Python twin that follows each TypeScript example of the README (jsii-rosetta's translation
// of it, from .jsii.tabl.json). Run after `npm run build`.
//
//   node scripts/docs.mjs            checks both, and fails naming what is stale
//   node scripts/docs.mjs --update   rewrites them (then build again: the assembly embeds the README)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, root, run } from './tool.mjs';
import { withPythonExamples } from './readme-examples.mjs';

const update = process.argv.includes('--update');
const readmePath = join(root, 'README.md');
const apiPath = join(root, 'API.md');

await main(async () => {
  const readme = readFileSync(readmePath, 'utf8');
  const tablet = JSON.parse(readFileSync(join(root, '.jsii.tabl.json'), 'utf8'));
  const expectedReadme = withPythonExamples(readme, tablet);
  const expectedApi = generatedApiReference();
  if (update) {
    writeFileSync(readmePath, expectedReadme);
    writeFileSync(apiPath, expectedApi);
    console.log('docs: wrote API.md and the README\'s Python examples; run "npm run build" again before testing');
    return;
  }
  const stale = [];
  if (expectedReadme !== readme) {
    stale.push("README.md's Python examples are not jsii-rosetta's translations of the TypeScript examples before them");
  }
  if (readFileSync(apiPath, 'utf8') !== expectedApi) {
    stale.push('API.md is not what jsii-docgen generates from the current assembly');
  }
  if (stale.length > 0) {
    throw new Error(`${stale.join('; ')}. Run "npm run docs" (after "npm run build"), review the change and commit it.`);
  }
  compilePythonExamples(expectedReadme);
  console.log('docs: API.md is current; each README example has its Python translation, and they byte-compile');
});

function generatedApiReference() {
  const outdir = mkdtempSync(join(tmpdir(), 'docgen-'));
  try {
    run('jsii-docgen', ['--output', join(outdir, 'API.md')]);
    return readFileSync(join(outdir, 'API.md'), 'utf8');
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function compilePythonExamples(readme) {
  const outdir = mkdtempSync(join(tmpdir(), 'readme-python-'));
  try {
    const files = [...readme.matchAll(/^```python\n([\s\S]*?)^```$/gm)].map(([, code], index) => {
      const file = join(outdir, `example_${index + 1}.py`);
      writeFileSync(file, code);
      return file;
    });
    if (files.length > 0) {
      run('python3', ['-m', 'py_compile', ...files], { bin: false });
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
