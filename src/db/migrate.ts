import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { digest } from '../core/ids';
import { DatabaseError } from '../core/errors';
import type { Database } from './open-database';
import { SQL_ROOT } from './sql-files';

/** A migration file: `sql/migrations/NNN_name.sql`, applied once, in name order. */
export interface Migration {
  readonly name: string;
  readonly script: string;
  readonly checksum: string;
}

const MIGRATION_LOCK = 727_001;

/** The migrations shipped in `sql/migrations/`, sorted by name. */
export function listMigrations(dir = path.join(SQL_ROOT, 'migrations')): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => {
      const script = readFileSync(path.join(dir, f), 'utf8');
      return { name: f.replace(/\.sql$/, ''), script, checksum: digest(script) };
    });
}

/** A digest of every migration, naming a schema version (tests key template databases on it). */
export function migrationsDigest(migrations = listMigrations()): string {
  return digest(migrations.map((m) => `${m.name}:${m.checksum}`).join('\n'));
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two processes starting
 * at once never apply one twice. Returns the names applied.
 */
export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await db.knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await trx.raw(`create table if not exists public.relance_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const done = new Map<string, string>(
      ((await trx('public.relance_migrations').select('name', 'checksum')) as { name: string; checksum: string }[]).map((r) => [r.name, r.checksum]),
    );
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      try {
        await db.exec(migration.script, trx);
      } catch (cause) {
        throw new DatabaseError(`migration ${migration.name} failed: ${(cause as Error).message}`, { context: { sqlFile: `migrations/${migration.name}` }, cause });
      }
      await trx('public.relance_migrations').insert({ name: migration.name, checksum: migration.checksum });
      applied.push(migration.name);
    }
    // A table added by these migrations with a phone column is hidden from analysts too (650).
    if (applied.length > 0 && (await trx.raw(`select to_regprocedure('analyst.hide_phone_columns()') is not null as ok`)).rows[0]?.ok) {
      await trx.raw('select analyst.hide_phone_columns()');
    }
  });
  return applied;
}
