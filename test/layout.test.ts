import * as fs from 'fs';
import * as path from 'path';
import { HANDLER_KINDS } from '../lambda/kinds';
import { JOB_KINDS } from '../lib/kinds';

/*
 * The layout CONTRIBUTING.md describes, kept true: every registered kind has the files it lists
 * and is in every registry; the engine names no kind; no module imports itself through others.
 */

const ROOT = path.join(__dirname, '..');
const kebab = (id: string) => id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

function kindFiles(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  const block = /<!-- kind-files -->([\s\S]*?)<!-- \/kind-files -->/.exec(text)![1];
  return [...block.matchAll(/^- `([^`]+)`/gm)].map((match) => match[1]);
}

function sourceFiles(...dirs: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (full.endsWith('.ts') && !full.endsWith('.d.ts')) {
        files.push(full);
      }
    }
  };
  dirs.forEach((dir) => walk(path.join(ROOT, dir)));
  return files;
}

/** The modules of this repository a file imports (or re-exports), as absolute paths. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g)]
    .map((match) => path.resolve(path.dirname(file), match[1]))
    .map((target) => (fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts')))
    .filter((target) => fs.existsSync(target));
}

describe('the layout of CONTRIBUTING.md', () => {
  it('lists the files of a kind, and every registered kind has each of them', () => {
    expect(kindFiles().length).toBeGreaterThanOrEqual(6);
    const missing = JOB_KINDS.flatMap((kind) => kindFiles().map((file) => file.replace(/<kind>/g, kebab(kind.id)))).filter((file) => !fs.existsSync(path.join(ROOT, file)));
    expect(missing).toEqual([]);
  });

  it('has every kind in each registry: the constructs\', the handlers\', the local endpoint\'s and the exports', () => {
    expect(HANDLER_KINDS.map(({ kind }) => kind)).toEqual(JOB_KINDS);
    const endpoint = fs.readFileSync(path.join(ROOT, 'local', 'personalize-endpoint.ts'), 'utf8');
    const exports = fs.readFileSync(path.join(ROOT, 'lib', 'index.ts'), 'utf8');
    for (const kind of JOB_KINDS) {
      expect(endpoint).toContain(`from './kinds/${kebab(kind.id)}'`);
      expect(exports).toContain(`from './kinds/${kebab(kind.id)}/${kebab(kind.id)}'`);
    }
  });

  it('keeps the kinds out of the engine: no engine module imports a kind\'s folder', () => {
    const kindFolders = JOB_KINDS.flatMap((kind) => [path.join(ROOT, 'lib', 'kinds', kebab(kind.id)), path.join(ROOT, 'lambda', 'kinds', kebab(kind.id))]);
    const offending = sourceFiles('lib/engine', 'lambda/engine').flatMap((file) =>
      importsOf(file)
        .filter((target) => kindFolders.some((folder) => target.startsWith(`${folder}${path.sep}`)))
        .map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it('points the constructs\' layers one way: lib/engine and lib/batch-jobs import neither a kind nor the kinds\' registry', () => {
    const kindsFolder = path.join(ROOT, 'lib', 'kinds');
    const offending = sourceFiles('lib/engine', 'lib/batch-jobs').flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(`${kindsFolder}${path.sep}`))
        .map((target) => `${path.relative(ROOT, file)} -> ${path.relative(ROOT, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it('has no import cycle in lib/, lambda/ or local/', () => {
    const files = sourceFiles('lib', 'lambda', 'local');
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'visiting') {
          cycles.push([...stack.slice(stack.indexOf(target)), target].map((entry) => path.relative(ROOT, entry)).join(' -> '));
        } else if (!state.has(target)) {
          visit(target);
        }
      }
      stack.pop();
      state.set(file, 'done');
    };
    files.filter((file) => !state.has(file)).forEach(visit);
    expect(cycles).toEqual([]);
  });
});

describe('licenses', () => {
  it('keeps the AGPL-3.0 IAM simulator out of the package and the handler bundle: a devDependency that lib/ and lambda/ never import', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const simulator = '@cloud-copilot/iam-simulate';
    expect(pkg.devDependencies[simulator]).toBeDefined();
    expect(Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.bundledDependencies })).not.toContain(simulator);
    const importing = sourceFiles('lib', 'lambda').filter((file) => fs.readFileSync(file, 'utf8').includes("'@cloud-copilot/"));
    expect(importing).toEqual([]);
    const bundle = fs.readFileSync(path.join(ROOT, 'assets', 'job-handlers', 'index.js'), 'utf8');
    expect(bundle).toContain('DescribeBatchSegmentJob');
    expect(bundle).not.toMatch(/iam-simulate|cloud-copilot/);
  });
});
