import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DagDefinitionError, NotFoundError } from '../core/errors';
import { applyDagSettings, type Dag, type DagSettings } from '../dag';

/** The DAGs of a process, by id. */
export interface DagRegistry<R = unknown> {
  readonly dags: ReadonlyMap<string, Dag<R>>;
  /** The DAG with this id; throws a NotFoundError naming the known ones. */
  get(dagId: string): Dag<R>;
  /** The file each DAG came from (absent for DAGs given as values). */
  readonly files: ReadonlyMap<string, string>;
}

function isDag(value: unknown): value is Dag<unknown> {
  return typeof value === 'object' && value !== null && 'tasks' in value && 'order' in value && 'declaration' in value;
}

/** Builds a registry from DAG values, applying `config.dags[id]` settings; rejects duplicate ids. */
export function registryOf<R>(dags: readonly Dag<R>[], settings: Readonly<Record<string, DagSettings | undefined>> = {}, files = new Map<string, string>()): DagRegistry<R> {
  const map = new Map<string, Dag<R>>();
  for (const dag of dags) {
    if (map.has(dag.id)) throw new DagDefinitionError(`dag ${dag.id} is defined twice${files.get(dag.id) ? ` (${files.get(dag.id)})` : ''}`, { context: { dagId: dag.id } });
    map.set(dag.id, applyDagSettings(dag, settings[dag.id]));
  }
  return {
    dags: map,
    files,
    get(dagId) {
      const dag = map.get(dagId);
      if (!dag) throw new NotFoundError(`no DAG '${dagId}' (known: ${[...map.keys()].sort().join(', ') || 'none'})`, { context: { dagId } });
      return dag;
    },
  };
}

/** The `.ts`/`.js` DAG files of a folder, sorted (declaration files and tests excluded). */
export function listDagFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ts|js|cjs)$/.test(f) && !f.endsWith('.d.ts') && !/\.test\./.test(f))
    .sort()
    .map((f) => path.resolve(dir, f));
}

/**
 * Loads every DAG file of `dir` (default export, or any exported DAG), under tsx, jest or
 * compiled JavaScript alike (`require` by absolute path), and applies the configured settings.
 * A file that fails to load fails the whole registry with its name in the message.
 */
export function loadDagRegistry<R = unknown>(dir: string, settings: Readonly<Record<string, DagSettings | undefined>> = {}): DagRegistry<R> {
  const dags: Dag<R>[] = [];
  const files = new Map<string, string>();
  for (const file of listDagFiles(dir)) {
    let mod: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(file) as Record<string, unknown>;
    } catch (cause) {
      if (cause instanceof DagDefinitionError) throw new DagDefinitionError(`${path.basename(file)}: ${cause.message}`, { context: { ...cause.context, file }, cause });
      throw new DagDefinitionError(`${path.basename(file)} failed to load: ${(cause as Error).message}`, { context: { file }, cause });
    }
    const found = [mod.default, ...Object.values(mod)].filter(isDag);
    const unique = [...new Set(found)] as Dag<R>[];
    if (unique.length === 0) throw new DagDefinitionError(`${path.basename(file)} exports no DAG (export default defineDag(...))`, { context: { file } });
    for (const dag of unique) {
      dags.push(dag);
      files.set(dag.id, file);
    }
  }
  return registryOf(dags, settings, files);
}

/** The project's `dags/` folder. */
export const DAGS_DIR = path.resolve(__dirname, '..', '..', 'dags');
