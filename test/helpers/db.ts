/**
 * Fresh, migrated databases for tests, one per test file or test: on Postgres a database cloned
 * from a migrated template (keyed by the migrations' digest), on PGlite a clone of a migrated
 * in-memory instance. Both are dropped by `close()`.
 */
import knexFactory from 'knex';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { withDatabase, openDatabase, migrate, migrationsDigest, pgliteParsers, type Database } from '../../src/db';
import { services } from './services';

/** A test database and how to dispose of it. */
export interface TestDatabase {
  readonly db: Database;
  /** Postgres URL of the test database (Postgres only). */
  readonly url?: string;
  close(): Promise<void>;
}

async function adminQuery<T>(fn: (admin: ReturnType<typeof knexFactory>) => Promise<T>): Promise<T> {
  const admin = knexFactory({ client: 'pg', connection: services.databaseUrl, pool: { min: 0, max: 1 } });
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

/** Creates (once, under an advisory lock) the migrated template database for this schema version. */
async function ensureTemplate(): Promise<string> {
  const template = `relance_tpl_${migrationsDigest().slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(727002)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
    if (exists.rows.length === 0) {
      const building = `${template}_build_${randomBytes(3).toString('hex')}`;
      await admin.query(`create database "${building}"`);
      const db = await openDatabase({ url: withDatabase(services.databaseUrl, building), poolMax: 1 });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await admin.query(`alter database "${building}" rename to "${template}"`);
    }
  } finally {
    await admin.query('select pg_advisory_unlock(727002)').catch(() => undefined);
    await admin.end();
  }
  return template;
}

/** A fresh migrated Postgres database. */
export async function freshPostgres(): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `relance_t_${randomBytes(5).toString('hex')}`;
  await adminQuery((admin) => admin.raw(`create database "${name}" template "${template}"`));
  const url = withDatabase(services.databaseUrl, name);
  const db = await openDatabase({ url, poolMax: 4 });
  return {
    db,
    url,
    async close() {
      await db.close();
      await adminQuery((admin) => admin.raw(`drop database if exists "${name}" with (force)`));
    },
  };
}

let pgliteDump: Promise<Blob> | undefined;

/** A fresh migrated in-memory PGlite database (a clone of one migrated once per test worker). */
export async function freshPglite(): Promise<TestDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  pgliteDump ??= (async () => {
    const seed = await openDatabase({});
    await migrate(seed);
    const dump = await seed.pglite!.dumpDataDir('none');
    await seed.close();
    return dump;
  })();
  const pglite = new PGlite({ loadDataDir: await pgliteDump, parsers: pgliteParsers() });
  const db = await openDatabase({ pglite });
  return { db, close: () => db.close() };
}

/** The engines a shared behavioural suite runs on: PGlite always, Postgres when reachable. */
export const engines: { name: 'pglite' | 'postgres'; open: () => Promise<TestDatabase> }[] = [
  { name: 'pglite', open: freshPglite },
  ...(services.postgres ? [{ name: 'postgres' as const, open: freshPostgres }] : []),
];
