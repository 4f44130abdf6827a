import path from 'node:path';
import type { RelanceConfig } from '../config';
import { openDatabase, type Database } from './open-database';
import { migrate } from './migrate';

/**
 * Opens the database the configuration names (Postgres when `database.url` is set, else PGlite
 * under `<home>/pglite`) and brings its schema up to date.
 */
export async function openConfiguredDatabase(config: RelanceConfig, options: { migrate?: boolean; applicationName?: string } = {}): Promise<Database> {
  const db = await openDatabase({
    url: config.database.url,
    dataDir: path.join(config.home, 'pglite'),
    poolMax: config.database.poolMax,
    applicationName: options.applicationName,
  });
  if (options.migrate ?? true) await migrate(db);
  return db;
}
