/**
 * Connections to an office's case-management database (Postgres through `pg`, MySQL or MariaDB
 * through `mysql2`), for the SQL sources: every value comes back as text, so relance sees what the
 * office stores, and rows are streamed (a Postgres cursor fetched in batches, a mysql2 row stream)
 * so that a large table never sits in memory. Driver errors are classified on the way out: an
 * unreachable server is worth a retry, a refused password or an unknown database is not.
 */
import knexFactory, { type Knex } from 'knex';
import { DatabaseError, SourceUnavailableError, type RelanceError } from '../core/errors';
import { redact } from '../core/log';
import { isTransient } from '../core/retryable';

/** The drivers an office database is read with. */
export type OfficeClient = 'pg' | 'mysql2';

/** An open office database. */
export interface OfficeDatabase {
  readonly client: OfficeClient;
  /** Checks that the database answers; throws a classified error when it does not. */
  ping(): Promise<void>;
  /** The rows of `query` with its `:name` bindings, every value as text (NULL as null). */
  rows(query: string, bindings: Readonly<Record<string, Knex.Value>>): AsyncIterable<Record<string, unknown>>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** Rows fetched from a Postgres cursor at a time. */
const FETCH_ROWS = 5000;

// Faults of reaching the database or being let in, as opposed to faults of the query itself.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE',
  'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR',
  '53300', '57P01', '57P02', '57P03', '3D000',
]);

/** Whether a driver error says the database could not be reached or refused relance. */
function connectionFault(e: { code?: unknown; name?: unknown }): boolean {
  if (e.name === 'KnexTimeoutError') return true;
  const code = typeof e.code === 'string' ? e.code : undefined;
  return code !== undefined && (CONNECTION_CODES.has(code) || /^(08|28)/.test(code));
}

/**
 * The relance error for a driver error met while reading office database `source`: a
 * {@link SourceUnavailableError} when the database cannot be reached or refuses relance, else a
 * {@link DatabaseError} (the query is at fault). Whether either is worth a retry is the error
 * classifier's decision (`src/core/retryable.ts`): a network fault or a busy server is, a refused
 * password, an unknown database or a bad query is not. Messages never carry the URL.
 */
export function officeDatabaseError(cause: unknown, source: string): RelanceError {
  if (cause instanceof SourceUnavailableError || cause instanceof DatabaseError) return cause;
  const e = (typeof cause === 'object' && cause !== null ? cause : {}) as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = redact(typeof e.message === 'string' && e.message !== '' ? e.message : String(code ?? cause));
  const context = { path: `sources.${source}` };
  const retryable = isTransient(cause);
  if (connectionFault(e)) {
    const what = retryable ? `unreachable (${code ?? 'timeout'})` : `refused relance (${code ?? 'no code'})`;
    return new SourceUnavailableError(`source ${source}: office database ${what}: ${message}`, { context, retryable, cause });
  }
  return new DatabaseError(`source ${source}: office query failed${code ? ` (${code})` : ''}: ${message}`, { context, retryable, cause });
}

const quiet = { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined };

/** Opens an office database of source `source` (named in errors); nothing connects until used. */
export function openOfficeDatabase(client: OfficeClient, url: string, source: string): OfficeDatabase {
  const knex =
    client === 'mysql2'
      ? knexFactory({ client: 'mysql2', connection: { uri: url, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true } as Knex.MySql2ConnectionConfig, pool: { min: 0, max: 1 }, log: quiet })
      : knexFactory({
          client: 'pg',
          connection: { connectionString: url, types: { getTypeParser: () => (value: string) => value } } as unknown as Knex.PgConnectionConfig,
          pool: { min: 0, max: 1 },
          log: quiet,
        });
  const fail = (cause: unknown): never => {
    throw officeDatabaseError(cause, source);
  };
  return {
    client,
    async ping() {
      await knex.raw('select 1').catch(fail);
    },
    rows(query, bindings) {
      return client === 'mysql2' ? mysqlRows(knex, query, bindings, fail) : cursorRows(knex, query, bindings, fail);
    },
    close: () => knex.destroy(),
  };
}

async function* mysqlRows(knex: Knex, query: string, bindings: Readonly<Record<string, Knex.Value>>, fail: (cause: unknown) => never): AsyncIterable<Record<string, unknown>> {
  try {
    for await (const row of knex.raw(query, bindings).stream()) yield row as Record<string, unknown>;
  } catch (cause) {
    fail(cause);
  }
}

/**
 * Rows through a server-side cursor in a read-only transaction, fetched {@link FETCH_ROWS} at a
 * time: knex's own Postgres streaming needs the separate `pg-query-stream` package.
 */
async function* cursorRows(knex: Knex, query: string, bindings: Readonly<Record<string, Knex.Value>>, fail: (cause: unknown) => never): AsyncIterable<Record<string, unknown>> {
  let trx: Knex.Transaction | undefined;
  try {
    trx = await knex.transaction();
    await trx.raw('set transaction read only');
    await trx.raw(`declare relance_pull no scroll cursor for ${query.trim().replace(/;\s*$/, "")}`, bindings);
    for (;;) {
      const batch = (await trx.raw(`fetch forward ${FETCH_ROWS} from relance_pull`)) as { rows: Record<string, unknown>[] };
      for (const row of batch.rows) yield row;
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await trx.commit();
  } catch (cause) {
    fail(cause);
  } finally {
    if (trx && !trx.isCompleted()) await trx.rollback().catch(() => undefined);
  }
}
