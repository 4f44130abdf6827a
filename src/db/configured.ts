import path from 'node:path';
import type { RelanceConfig } from '../config';
import { openDatabase, type Database } from './open-database';
import { migrate } from './migrate';

/**
 * Opens the database the configuration names (Postgres when `database.url` is set, else PGlite
 * under `<home>/pglite`, shared with the other relance processes on that home) and brings its
 * schema up to date. `longLived` marks a process that runs until stopped (serve, scheduler, worker).
 */
export async function openConfiguredDatabase(config: RelanceConfig, options: { migrate?: boolean; applicationName?: string; longLived?: boolean } = {}): Promise<Database> {
  const db = await openDatabase({
    url: config.database.url,
    dataDir: path.join(config.home, 'pglite'),
    poolMax: config.database.poolMax,
    applicationName: options.applicationName,
    longLived: options.longLived,
  });
  if (options.migrate ?? true) await migrate(db);
  return db;
}
