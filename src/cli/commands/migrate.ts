import { Command } from 'commander';
import { openConfiguredDatabase, migrate } from '../../db';
import type { CliEnv } from '../cli-env';

/** `relance migrate`: creates or updates the database schemas. */
export function migrateCommand(env: CliEnv): Command {
  return new Command('migrate').description('create or update the database schemas').action(async () => {
    const config = env.config();
    const db = await openConfiguredDatabase(config, { migrate: false, applicationName: 'relance-migrate' });
    try {
      const applied = await migrate(db);
      env.print(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema up to date');
      env.print(`database: ${db.kind === 'pglite' ? `embedded PGlite in ${config.home}/pglite` : 'Postgres (DATABASE_URL)'}`);
    } finally {
      await db.close();
    }
  });
}
