import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { NotFoundError } from '../core/errors';
import { wrapDbError } from './db-error';
import { isInProcessPglite } from './open-database';

/** The `sql/` folder at the root of the project. */
export const SQL_ROOT = path.resolve(__dirname, '..', '..', 'sql');

const cache = new Map<string, string>();

/**
 * The text of `sql/<name>.sql` (cached). Files hold one statement each, with a header comment
 * naming their parameters, written `:name` and bound by knex.
 */
export function loadSql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    const file = path.join(SQL_ROOT, `${name}.sql`);
    if (!existsSync(file)) throw new NotFoundError(`no SQL file sql/${name}.sql`, { context: { sqlFile: name } });
    text = stripComments(readFileSync(file, 'utf8')).trim().replace(/;\s*$/, '');
    cache.set(name, text);
  }
  return text;
}

/**
 * Removes `--` comments outside quoted strings and identifiers: the header names parameters as
 * `:name`, and knex would bind those inside a comment too.
 */
export function stripComments(sql: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] as string;
    if (quote) {
      out += c;
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** The names (without `.sql`) of the files in `sql/<folder>/`, sorted. */
export function listSql(folder: string): string[] {
  const dir = path.join(SQL_ROOT, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `${folder}/${f.slice(0, -4)}`);
}

/** Runs `sql/<name>.sql` with named bindings; errors name the file, never the values. */
export async function runSql<T = Record<string, unknown>>(runner: Knex | Knex.Transaction, name: string, bindings: Record<string, unknown> = {}): Promise<{ rows: T[]; rowCount: number }> {
  const text = loadSql(name);
  try {
    const result = (await runner.raw(text, bindings as Knex.ValueDict)) as { rows?: T[]; rowCount?: number };
    return { rows: result.rows ?? [], rowCount: Number(result.rowCount ?? result.rows?.length ?? 0) };
  } catch (cause) {
    throw wrapDbError(cause, `sql/${name}.sql`);
  }
}

/**
 * Runs the query of `sql/<name>.sql` (one SELECT) and returns its rows, as {@link runSql} does. On
 * PGlite in this process, which turns every value of a result into JS one at a time, the rows come
 * as one JSON text (`json_agg` over the query, which keeps its order) parsed at once: for pages of
 * thousands of rows this costs a fraction of the values read one by one. Only for queries whose
 * columns JSON gives back as the driver does: text, numbers, booleans, dates and arrays of them, json;
 * not timestamps (JSON gives their text, the driver a Date) nor non-finite floats. Knex queries: `readRows`.
 */
export async function readSql<T = Record<string, unknown>>(runner: Knex | Knex.Transaction, name: string, bindings: Record<string, unknown> = {}): Promise<T[]> {
  if (!isInProcessPglite(runner)) return (await runSql<T>(runner, name, bindings)).rows;
  const text = `select coalesce(json_agg(q), '[]')::text as rows from (${loadSql(name)}) q`;
  try {
    const result = (await runner.raw(text, bindings as Knex.ValueDict)) as { rows: { rows: string }[] };
    return JSON.parse(result.rows[0]?.rows ?? '[]') as T[];
  } catch (cause) {
    throw wrapDbError(cause, `sql/${name}.sql`);
  }
}
