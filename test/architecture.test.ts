/**
 * The folder table of the design holds: each folder imports only the folders it may, and no
 * module imports itself through a cycle. Reads the sources as text; runs nothing.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Folder → folders it may import (besides itself). `config` is a leaf of validated values. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  config: ['core'],
  dag: ['core'],
  db: ['core', 'config'],
  orchestrator: ['core', 'config', 'dag', 'db'],
  elt: ['core', 'config', 'db'],
  features: ['core', 'config', 'db'],
  model: ['core', 'db'],
  ranking: ['core', 'config', 'db', 'model', 'features'],
  monitoring: ['core', 'config', 'db', 'model'],
  synth: ['core'],
  pipeline: ['core', 'config', 'db', 'dag', 'elt', 'features', 'model', 'ranking', 'monitoring'],
  api: ['core', 'config', 'db', 'dag', 'orchestrator', 'elt', 'features', 'model', 'ranking', 'monitoring', 'pipeline'],
  cli: ['core', 'config', 'db', 'dag', 'orchestrator', 'elt', 'features', 'model', 'ranking', 'monitoring', 'pipeline', 'api', 'synth'],
  dags: ['core', 'dag', 'pipeline'],
};

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function folderOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep);
  return rel[0] === 'src' ? (rel[1] as string) : (rel[0] as string);
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base + '.ts', path.join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const resolved = resolveImport(file, (m[1] ?? m[2] ?? m[3]) as string);
    if (resolved) out.push(resolved);
  }
  return out;
}

const files = [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'dags'))];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('architecture', () => {
  test('every source folder is in the table', () => {
    const unknown = [...new Set(files.map(folderOf))].filter((f) => !(f in ALLOWED));
    expect(unknown).toEqual([]);
  });

  test('folders import only what the design allows', () => {
    const violations: string[] = [];
    for (const [file, deps] of graph) {
      const from = folderOf(file);
      for (const dep of deps) {
        const to = folderOf(dep);
        if (to !== from && !(ALLOWED[from] ?? []).includes(to)) violations.push(`${path.relative(ROOT, file)} → ${path.relative(ROOT, dep)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('no import cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(ROOT, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const dep of graph.get(file) ?? []) visit(dep, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  test('the checker sees real imports (guards against a scanner that finds nothing)', () => {
    const dbIndex = path.join(ROOT, 'src', 'db', 'index.ts');
    expect(graph.get(dbIndex)?.map((f) => path.relative(ROOT, f))).toContain(path.join('src', 'db', 'open-database.ts'));
  });
});
