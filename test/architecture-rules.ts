/**
 * The rules of DESIGN.md's "Code layout" as data and pure checks over an import graph, so that the
 * architecture test can run them on the real sources and on synthetic graphs that must fail.
 */
import path from 'node:path';

/** What one source file imports: other source files (relative to the repository) and packages. */
export interface FileImports {
  /** Repository-relative path with `/` separators, e.g. `src/db/index.ts`. */
  readonly file: string;
  readonly files: readonly string[];
  /** The subset of `files` imported for types only (`import type`). */
  readonly typeFiles?: readonly string[];
  readonly packages: readonly PackageImport[];
}

/** An import of an npm package; `typeOnly` when it brings types only (`import type`, `{ type X }`). */
export interface PackageImport {
  readonly name: string;
  readonly typeOnly: boolean;
  /** Whether it binds the default export or the whole module (`import x from`, `import * as`, require, import()). */
  readonly wholeModule: boolean;
}

/** A folder another may import, possibly only some of its files (`model (metrics)`) or only from some files (`model → db`: the registry). */
export type Allowed =
  | string
  | { readonly folder: string; readonly onlyFiles?: readonly string[]; readonly onlyFrom?: readonly string[]; readonly typesOnly?: boolean };

/** DESIGN.md's folder table: folder → the folders it may import (besides itself). */
export const FOLDER_TABLE: Readonly<Record<string, readonly Allowed[]>> = {
  core: [],
  config: ['core'],
  dag: ['core'],
  orchestrator: ['core', 'config', 'dag', 'db'],
  db: ['core', 'config'],
  // The table says core, db. elt still names its configuration's types (`import type` from the
  // source schemas, erased at build): tolerated for types only, never for values.
  elt: ['core', 'db', { folder: 'config', onlyFiles: ['src/config/schema/sources.ts'], typesOnly: true }],
  features: ['core', 'config', 'db'],
  model: ['core', { folder: 'db', onlyFrom: ['src/model/registry.ts'] }],
  ranking: ['core', 'config', 'db', 'model'],
  monitoring: ['core', 'config', 'db', { folder: 'model', onlyFiles: ['src/model/metrics.ts'] }],
  pipeline: ['core', 'config', 'db', 'dag', 'elt', 'features', 'model', 'ranking', 'monitoring'],
  api: ['core', 'config', 'dag', 'orchestrator', 'db', 'elt', 'features', 'model', 'ranking', 'monitoring', 'pipeline'],
  cli: ['core', 'config', 'dag', 'orchestrator', 'db', 'elt', 'features', 'model', 'ranking', 'monitoring', 'pipeline', 'api', 'synth', 'dags'],
  synth: ['core'],
  dags: ['core', 'dag', 'pipeline'],
};

/** DESIGN.md's package rules: package → the only places that may import it for values (a folder ends with `/`). */
export const PACKAGE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  // Only src/db creates knex instances; elsewhere knex is a type (`import type { Knex }`).
  knex: ['src/db/'],
  'knex-pglite': ['src/db/'],
  // Only the BullMQ executor (its queue and worker sides) and the queues page.
  bullmq: ['src/orchestrator/bullmq/', 'src/api/queues.ts'],
};

/** The folder of a repository-relative file: `src/<folder>/…` or the top-level folder. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'src' ? (parts[1] as string) : (parts[0] as string);
}

/** Imports between folders that the table forbids, as `from → to` lines. */
export function folderViolations(graph: readonly FileImports[], table = FOLDER_TABLE): string[] {
  const out: string[] = [];
  for (const { file, files, typeFiles = [] } of graph) {
    const from = folderOf(file);
    for (const dep of files) {
      const to = folderOf(dep);
      if (to === from) continue;
      const rule = (table[from] ?? []).find((a) => (typeof a === 'string' ? a : a.folder) === to);
      const ok =
        rule !== undefined &&
        (typeof rule === 'string' ||
          ((!rule.onlyFiles || rule.onlyFiles.includes(dep)) && (!rule.onlyFrom || rule.onlyFrom.includes(file)) && (!rule.typesOnly || typeFiles.includes(dep))));
      if (!ok) out.push(`${file} → ${dep}`);
    }
  }
  return out;
}

/** Value imports of owned packages outside their owners, as `file imports package` lines. */
export function packageViolations(graph: readonly FileImports[], owners = PACKAGE_OWNERS): string[] {
  const out: string[] = [];
  for (const { file, packages } of graph) {
    for (const p of packages) {
      const allowed = owners[p.name];
      if (!allowed || p.typeOnly) continue;
      // A named import of knex's `Knex` namespace creates nothing; binding the module (the factory) does.
      if (p.name === 'knex' && !p.wholeModule) continue;
      if (!allowed.some((owner) => (owner.endsWith('/') ? file.startsWith(owner) : file === owner))) out.push(`${file} imports ${p.name}`);
    }
  }
  return out;
}

/** Import cycles, each as `a → b → a`. */
export function importCycles(graph: readonly FileImports[]): string[] {
  const edges = new Map(graph.map((g) => [g.file, g.files]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const dep of edges.get(file) ?? []) visit(dep, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of edges.keys()) visit(file, []);
  return cycles;
}

const IMPORT_FROM = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]/g;
const BARE_IMPORT = /(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
const DYNAMIC = /(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Reads the imports of one file's text; `resolve` maps a relative specifier to a repository file. */
export function parseImports(file: string, text: string, resolve: (spec: string) => string | undefined): FileImports {
  const files: string[] = [];
  const values = new Set<string>();
  const packages: PackageImport[] = [];
  const add = (spec: string, typeOnly: boolean, wholeModule: boolean) => {
    if (spec.startsWith('.')) {
      const target = resolve(spec);
      if (!target) return;
      if (!files.includes(target)) files.push(target);
      if (!typeOnly) values.add(target);
      return;
    }
    if (spec.startsWith('node:')) return;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string);
    packages.push({ name, typeOnly, wholeModule });
  };
  for (const m of text.matchAll(IMPORT_FROM)) {
    const clause = (m[3] ?? '').trim();
    const named = /^\{[^}]*\}$/.test(clause);
    const allTypes = named && clause.slice(1, -1).split(',').every((part) => part.trim() === '' || /^type\s/.test(part.trim()));
    add(m[4] as string, Boolean(m[2]) || allTypes, !named);
  }
  for (const m of text.matchAll(BARE_IMPORT)) add(m[1] as string, false, true);
  for (const m of text.matchAll(DYNAMIC)) add(m[1] as string, false, true);
  return { file, files, typeFiles: files.filter((f) => !values.has(f)), packages };
}

/** `path.relative` with `/` separators. */
export function repoPath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
