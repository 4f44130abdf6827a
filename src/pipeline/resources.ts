import type { RelanceConfig } from '../config';
import { openConfiguredDatabase, type Database } from '../db';
import { createLogger, type Logger } from '../core/log';
import { systemClock, type Clock } from '../core/clock';

/**
 * What the domain tasks of the DAGs need, built once per process (CLI, worker, tests) and
 * handed to every task through its context.
 */
export interface PipelineResources {
  readonly config: RelanceConfig;
  readonly db: Database;
  readonly log: Logger;
  readonly clock: Clock;
  /** Releases the database connections. */
  close(): Promise<void>;
}

/** Opens the configured database (migrating it) and bundles it with the config, a logger and a clock. */
export async function createResources(config: RelanceConfig, options: { db?: Database; log?: Logger; clock?: Clock; applicationName?: string; longLived?: boolean } = {}): Promise<PipelineResources> {
  const db = options.db ?? (await openConfiguredDatabase(config, { applicationName: options.applicationName, longLived: options.longLived }));
  const ownsDb = options.db === undefined;
  return {
    config,
    db,
    log: options.log ?? createLogger({ level: config.log.level, json: config.log.json }),
    clock: options.clock ?? systemClock,
    close: async () => {
      if (ownsDb) await db.close();
    },
  };
}
