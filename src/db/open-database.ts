import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { scriptRunner, type Database } from './database';
import { wrapDbError } from './db-error';
import { copyIntoPglite, copyIntoPostgres } from './copy';
import { openSharedEmbedded } from './shared-embedded';

export type { Database, DatabaseKind } from './database';

/** How to open a database. */
export interface OpenDatabaseOptions {
  /** Postgres URL; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory; `undefined` or 'memory://' keeps it in memory. */
  dataDir?: string;
  /** An already-open PGlite instance to use (tests clone a migrated one). */
  pglite?: PGlite;
  /** Postgres pool size. @defaultValue 10 */
  poolMax?: number;
  /** Postgres `application_name`, shown in pg_stat_activity. @defaultValue 'relance' */
  applicationName?: string;
  /**
   * Whether other processes may use the same PGlite data directory at once (see
   * {@link openSharedEmbedded}); `false` opens it privately. @defaultValue true
   */
  shareDataDir?: boolean;
  /** This process runs until stopped (serve, scheduler, worker): it prefers to hold a shared directory. @defaultValue false */
  longLived?: boolean;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

// Counts and sums come back as numbers and calendar dates as 'YYYY-MM-DD', on both engines.
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(NUMERIC, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);

/** Opens Postgres when a URL is given, else embedded PGlite. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options);
  return openPglite(options);
}

function openPostgres(url: string, options: OpenDatabaseOptions): Database {
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: options.applicationName ?? 'relance' },
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
  return {
    kind: 'postgres',
    knex,
    async copyFrom(copySql, source, trx) {
      return copyIntoPostgres(trx ?? knex, copySql, source);
    },
    exec: scriptRunner(knex),
    close: () => knex.destroy(),
  };
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const ClientPgLite = (await import('knex-pglite')).default;
  let instance = options.pglite;
  if (!instance) {
    const dir = options.dataDir && options.dataDir !== 'memory://' ? path.resolve(options.dataDir) : undefined;
    if (dir) mkdirSync(dir, { recursive: true });
    if (dir && options.shareDataDir !== false) {
      return openSharedEmbedded({
        dataDir: dir,
        longLived: options.longLived,
        openPglite: async () => new PGlite(dir, { parsers: pgliteParsers() }),
        pgliteClient: ClientPgLite as unknown as typeof knexFactory.Client,
      });
    }
    // PGlite reads its options from the first argument when no data directory is given.
    instance = dir ? new PGlite(dir, { parsers: pgliteParsers() }) : new PGlite({ parsers: pgliteParsers() });
  }
  await instance.waitReady;
  const pglite = instance;
  const knex = knexFactory({ client: ClientPgLite as unknown as typeof knexFactory.Client, connection: { pglite } as never });
  return {
    kind: 'pglite',
    knex,
    pglite,
    async copyFrom(copySql, source) {
      return copyIntoPglite(pglite, copySql, source);
    },
    async exec(script) {
      try {
        await pglite.exec(script);
      } catch (cause) {
        throw wrapDbError(cause, 'script');
      }
    },
    close: () => knex.destroy(),
  };
}

/**
 * Whether a knex instance (or transaction) runs queries on PGlite in this process, where every
 * value of a result is turned into JS one at a time: wide results are cheaper read as one JSON
 * text per row there (on a Postgres server the pg driver is the faster reader).
 */
export function isInProcessPglite(runner: Knex | Knex.Transaction): boolean {
  const connection = (runner as unknown as { client?: { config?: { connection?: unknown } } }).client?.config?.connection;
  return typeof connection === 'object' && connection !== null && 'pglite' in connection;
}

/** Type parsers that make PGlite return what the pg driver returns (see above). */
export function pgliteParsers(): Record<number, (value: string) => unknown> {
  return { [INT8]: Number, [NUMERIC]: Number, [DATE]: (v: string) => v };
}
