// Pairs each TypeScript example of a README with its Python translation.

/**
 * The README with a ```python block right after each ```ts block: jsii-rosetta's translation,
 * from the tablet of the assembly that embeds this very README (snippets are found by the line
 * of their opening fence). An existing Python block in that place is replaced.
 */
export function withPythonExamples(readme, tablet) {
  const translations = new Map();
  for (const snippet of Object.values(tablet.snippets)) {
    const { api, field } = snippet.location;
    if (api.api === 'moduleReadme' && field?.field === 'markdown') {
      translations.set(field.line, snippet.translations.python.source);
    }
  }
  const lines = readme.split('\n');
  const out = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    out.push(line);
    index++;
    if (!/^```(ts|typescript)\s*$/.test(line)) {
      continue;
    }
    const fenceLine = index;
    const closing = lines.indexOf('```', index);
    out.push(...lines.slice(index, closing + 1));
    index = closing + 1;
    const python = translations.get(fenceLine);
    if (python === undefined) {
      throw new Error(`README.md line ${fenceLine}: this TypeScript example has no translation in .jsii.tabl.json; run "npm run build" first`);
    }
    const next = lines.slice(index).findIndex((l) => l.trim() !== '');
    if (next !== -1 && lines[index + next] === '```python') {
      index = lines.indexOf('```', index + next + 1) + 1;
    }
    out.push('', '```python', python.trimEnd(), '```');
  }
  return out.join('\n');
}
