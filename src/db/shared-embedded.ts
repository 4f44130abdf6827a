/**
 * Embedded PGlite shared by several processes on one data directory. The first process to open the
 * directory holds it: it opens PGlite, serves it on a local socket ({@link serveEmbedded}) and
 * records the address with its pid in a lock file of `<dataDir>.run/` (beside the data directory,
 * which PGlite's initdb wants empty). Later processes connect to that
 * socket with the ordinary pg client. A lock whose process is dead is taken over.
 */
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import { EmbeddedDatabaseError } from '../core/errors';
import { wrapDbError } from './db-error';
import { copyIntoPglite } from './copy';
import { SessionLock } from './session-lock';
import { serveEmbedded } from './embedded-server';
import { isAlive, readHolder, releaseClaim, removeStaleLock, tryClaim, updateClaim, type EmbeddedAddress, type EmbeddedHolder } from './embedded-lock';
import { scriptRunner, type Database } from './database';

/** How a process opens a shared embedded directory. */
export interface SharedEmbeddedOptions {
  /** Absolute data directory (created by the caller). */
  dataDir: string;
  /** Opens PGlite on the directory (only called when this process becomes the holder). */
  openPglite(): Promise<PGlite>;
  /** Builds the knex client class for the holder's own PGlite. */
  pgliteClient: typeof knexFactory.Client;
  /**
   * A process that runs until stopped (serve, scheduler, worker): rather than join a one-shot
   * command that holds the directory, it waits for that command to finish and holds it itself,
   * so that it does not lose its database when the command exits. @defaultValue false
   */
  longLived?: boolean;
  /** Command line recorded in the lock, for messages. @defaultValue this process's arguments */
  command?: string;
  /** How long to wait for a holder that is starting or finishing. @defaultValue 120000 */
  waitMs?: number;
}

const POLL_MS = 100;

/** Opens the shared embedded database in `options.dataDir`, as its holder or as a client. */
export async function openSharedEmbedded(options: SharedEmbeddedOptions): Promise<Database> {
  const self: EmbeddedHolder = { pid: process.pid, command: options.command ?? commandLine(), longLived: options.longLived ?? false };
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  const runDir = runDirOf(options.dataDir);
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  for (;;) {
    if (tryClaim(runDir, self)) return openAsHolder(options, runDir, self);
    const holder = readHolder(runDir);
    if (holder === undefined) continue;
    if (holder === 'unreadable') removeStaleLock(runDir, undefined);
    else if (!isAlive(holder.pid)) removeStaleLock(runDir, holder.pid);
    else if (holder.address && (holder.longLived || !self.longLived)) return openAsClient(options.dataDir, holder, holder.address);
    if (Date.now() > deadline) {
      const who = typeof holder === 'object' ? `pid ${holder.pid} (${holder.command})` : 'another process';
      throw new EmbeddedDatabaseError(
        `the embedded database in ${options.dataDir} is held by ${who} and did not become available; stop that process or wait for it, then run this command again`,
        { context: { path: options.dataDir }, retryable: true },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The directory of the lock file and the socket for `dataDir`. */
export function runDirOf(dataDir: string): string {
  return `${dataDir}.run`;
}

async function openAsHolder(options: SharedEmbeddedOptions, runDir: string, self: EmbeddedHolder): Promise<Database> {
  let pglite: PGlite | undefined;
  try {
    pglite = await options.openPglite();
    await pglite.waitReady;
    const lock = new SessionLock();
    const server = await serveEmbedded(pglite, lock, runDir);
    updateClaim(runDir, { ...self, address: server.address });
    const knex = knexFactory({ client: lockedClient(options.pgliteClient, lock), connection: { pglite } as never, version: '17' } as Knex.Config);
    const opened = pglite;
    let sequence = 0;
    // A copy or a script outside a transaction takes the session like a query; inside one, the transaction holds it.
    const exclusively = <T>(trx: Knex.Transaction | undefined, fn: () => Promise<T>) => (trx ? fn() : lock.run(`local-op#${++sequence}`, fn));
    return {
      kind: 'pglite',
      knex,
      pglite: opened,
      copyFrom: (copySql, source, trx) => exclusively(trx, () => copyIntoPglite(opened, copySql, source)),
      exec: (script, trx) =>
        exclusively(trx, async () => {
          try {
            await opened.exec(script);
          } catch (cause) {
            throw wrapDbError(cause, 'script');
          }
        }),
      async close() {
        await server.stop();
        await knex.destroy();
        releaseClaim(runDir);
      },
    };
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    releaseClaim(runDir);
    throw error;
  }
}

function openAsClient(dataDir: string, holder: EmbeddedHolder, address: EmbeddedAddress): Database {
  const connection = 'socketDir' in address ? { host: address.socketDir, port: address.port } : { host: address.host, port: address.port };
  // One connection, as PGlite has one session: a second one inside a transaction would wait forever.
  const knex = knexFactory({ client: 'pg', connection: { ...connection, user: 'postgres', database: 'postgres' }, pool: { min: 0, max: 1 } });
  const served = `pid ${holder.pid} (${holder.command})`;
  return {
    kind: 'pglite',
    knex,
    async copyFrom() {
      throw new EmbeddedDatabaseError(
        `loading data into the embedded database needs the process that holds it, ${served}; stop it and run this command again, or use Postgres (DATABASE_URL)`,
        { context: { path: dataDir } },
      );
    },
    exec: scriptRunner(knex),
    close: () => knex.destroy(),
  };
}

/** The PGlite knex client whose every connection use (a query, a whole transaction) holds the session. */
function lockedClient(base: typeof knexFactory.Client, lock: SessionLock): typeof knexFactory.Client {
  let sequence = 0;
  let current: string | undefined;
  const Base = base as unknown as new (config: Knex.Config) => { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<void> };
  class LockedPgliteClient extends Base {
    override async acquireConnection(): Promise<unknown> {
      const who = `local#${++sequence}`;
      await lock.acquire(who);
      try {
        const connection = await super.acquireConnection();
        current = who;
        return connection;
      } catch (error) {
        lock.release(who);
        throw error;
      }
    }
    override async releaseConnection(connection: unknown): Promise<void> {
      const who = current;
      try {
        await super.releaseConnection(connection);
      } finally {
        current = undefined;
        if (who) lock.release(who);
      }
    }
  }
  return LockedPgliteClient as unknown as typeof knexFactory.Client;
}

function commandLine(): string {
  return ['relance', ...process.argv.slice(2)].join(' ');
}
