/**
 * The design holds: each folder imports only what DESIGN.md's folder table allows, its package
 * rules hold (only src/db creates knex instances; only the BullMQ executor and the queues page
 * import bullmq), and nothing imports itself through a cycle. Reads the sources as text; runs
 * nothing. Each check is also run on a small synthetic graph that breaks it, so it cannot pass by
 * seeing nothing.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { FOLDER_TABLE, folderOf, folderViolations, importCycles, packageViolations, parseImports, repoPath, type FileImports } from './architecture-rules';

const ROOT = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

function resolveFrom(from: string) {
  return (spec: string): string | undefined => {
    const base = path.resolve(path.dirname(from), spec);
    for (const candidate of [base, base + '.ts', path.join(base, 'index.ts')]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return repoPath(ROOT, candidate);
    }
    return undefined;
  };
}

const files = [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'dags'))];
const graph: FileImports[] = files.map((f) => parseImports(repoPath(ROOT, f), readFileSync(f, 'utf8'), resolveFrom(f)));

const edge = (file: string, deps: string[], packages: FileImports['packages'] = []): FileImports => ({ file, files: deps, packages });

describe('architecture', () => {
  test('every source folder is in the table', () => {
    const unknown = [...new Set(graph.map((g) => folderOf(g.file)))].filter((f) => !(f in FOLDER_TABLE));
    expect(unknown).toEqual([]);
  });

  test('folders import only what the design allows', () => {
    expect(folderViolations(graph)).toEqual([]);
  });

  test('only src/db creates knex instances; only the BullMQ executor and the queues page import bullmq', () => {
    expect(packageViolations(graph)).toEqual([]);
  });

  test('no import cycles', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  test('the checker sees real imports (guards against a scanner that finds nothing)', () => {
    const byFile = new Map(graph.map((g) => [g.file, g]));
    expect(byFile.get('src/db/index.ts')?.files).toContain('src/db/open-database.ts');
    expect(byFile.get('src/db/open-database.ts')?.packages).toContainEqual({ name: 'knex', typeOnly: false, wholeModule: true });
    expect(byFile.get('src/orchestrator/bullmq/bullmq-executor.ts')?.packages.map((p) => p.name)).toContain('bullmq');
    expect(byFile.get('src/api/auth/tokens.ts')?.packages).toContainEqual({ name: 'knex', typeOnly: true, wholeModule: false });
  });

  describe('each rule fails on a graph that breaks it', () => {
    test('a folder importing one it may not (ranking → orchestrator, dags → db)', () => {
      const bad = [edge('src/ranking/x.ts', ['src/orchestrator/index.ts']), edge('dags/nightly.ts', ['src/db/index.ts']), edge('src/pipeline/y.ts', ['src/elt/index.ts'])];
      expect(folderViolations(bad)).toEqual(['src/ranking/x.ts → src/orchestrator/index.ts', 'dags/nightly.ts → src/db/index.ts']);
    });

    test('the restricted rows: monitoring reads only model metrics; only the model registry reads db; elt reads config types only', () => {
      const graphOf = [
        edge('src/monitoring/a.ts', ['src/model/metrics.ts', 'src/model/gbdt/index.ts']),
        edge('src/model/registry.ts', ['src/db/index.ts']),
        edge('src/model/logistic.ts', ['src/db/index.ts']),
        parseImports('src/elt/csv-source.ts', "import type { CsvSourceConfig } from '../config/schema/sources';", () => 'src/config/schema/sources.ts'),
        parseImports('src/elt/quality.ts', "import { qualitySchema } from '../config/schema/sources';", () => 'src/config/schema/sources.ts'),
      ];
      expect(folderViolations(graphOf)).toEqual([
        'src/monitoring/a.ts → src/model/gbdt/index.ts',
        'src/model/logistic.ts → src/db/index.ts',
        'src/elt/quality.ts → src/config/schema/sources.ts',
      ]);
    });

    test('knex created outside src/db, bullmq outside its two owners', () => {
      const parse = (file: string, text: string) => parseImports(file, text, () => undefined);
      const bad = [
        parse('src/elt/sql-source.ts', "import knexFactory, { type Knex } from 'knex';"),
        parse('src/api/routes/x.ts', "import type { Knex } from 'knex';\nimport { Knex as K } from 'knex';"),
        parse('src/ranking/y.ts', "const k = require('knex');"),
        parse('src/api/pipeline-control.ts', "import { Queue } from 'bullmq';"),
        parse('src/orchestrator/scheduler.ts', "import type { Job } from 'bullmq';\nimport { Worker } from 'bullmq';"),
        parse('src/api/queues.ts', "import { Queue } from 'bullmq';"),
        parse('src/orchestrator/bullmq/bullmq-worker.ts', "import { Worker, type Job } from 'bullmq';"),
        parse('src/db/open-database.ts', "import knexFactory from 'knex';\nconst C = (await import('knex-pglite')).default;"),
      ];
      expect(packageViolations(bad)).toEqual([
        'src/elt/sql-source.ts imports knex',
        'src/ranking/y.ts imports knex',
        'src/api/pipeline-control.ts imports bullmq',
        'src/orchestrator/scheduler.ts imports bullmq',
      ]);
    });

    test('a cycle', () => {
      const cyclic = [edge('src/a/x.ts', ['src/a/y.ts']), edge('src/a/y.ts', ['src/a/z.ts']), edge('src/a/z.ts', ['src/a/x.ts'])];
      expect(importCycles(cyclic)).toEqual(['src/a/x.ts → src/a/y.ts → src/a/z.ts → src/a/x.ts']);
    });
  });
});
