import type { Knex } from 'knex';
import { isInProcessPglite } from './open-database';

/**
 * The rows of a knex query, as awaiting it gives them. On PGlite in this process, which turns
 * every value of a result into JS one at a time, they come as one JSON text (`json_agg` over the
 * query, which keeps its order) parsed at once, as {@link readSql} does for SQL files: the same
 * rows for text, numbers, booleans, dates, arrays and json; timestamps come as their ISO text
 * there (a Date from the driver) and non-finite floats as strings.
 */
export async function readRows<T = Record<string, unknown>>(runner: Knex | Knex.Transaction, query: Knex.QueryBuilder): Promise<T[]> {
  if (!isInProcessPglite(runner)) return (await query) as T[];
  const [result] = (await runner.from(query.as('q')).select(runner.raw(`coalesce(json_agg(q), '[]')::text as rows`))) as { rows: string }[];
  return JSON.parse(result?.rows ?? '[]') as T[];
}
