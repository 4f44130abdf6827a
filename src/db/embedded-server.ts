/**
 * Serves an open PGlite to other processes over a local socket, with `@electric-sql/pglite-socket`
 * handling the wire protocol of each connection. Its own query queue switches sessions between
 * protocol messages, which interleaves two clients' Parse/Bind/Execute batches (pglite issue
 * #1046); here a connection keeps the session from its first message until PGlite answers
 * ReadyForQuery outside a transaction, through the same {@link SessionLock} as this process's knex.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import type { SessionLock } from './session-lock';
import type { EmbeddedAddress } from './embedded-lock';

/** Longest unix socket path the platforms accept (sun_path), with a margin. */
const MAX_SOCKET_PATH = 100;
const SOCKET_PORT = 5432;
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** A running server; `stop()` disconnects every client (rolling back what they left open). */
export interface EmbeddedServer {
  readonly address: EmbeddedAddress;
  /** Number of connected clients. */
  connections(): number;
  stop(): Promise<void>;
}

/** Listens on `<runDir>/.s.PGSQL.5432` (or 127.0.0.1 on a free port when that path is too long). */
export async function serveEmbedded(pglite: PGlite, lock: SessionLock, runDir: string): Promise<EmbeddedServer> {
  const queue = new SessionQueue(pglite, lock);
  const handlers = new Set<PGLiteSocketHandler>();
  const server = createServer((socket: Socket) => {
    const handler = new PGLiteSocketHandler({ queryQueue: queue as unknown as PGLiteSocketHandlerOptions['queryQueue'], closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    handler.attach(socket).catch(() => socket.destroy());
  });
  const socketPath = path.join(runDir, `.s.PGSQL.${SOCKET_PORT}`);
  let address: EmbeddedAddress;
  if (socketPath.length <= MAX_SOCKET_PATH) {
    // The holder of the lock owns the socket file; one left by a dead holder is in the way.
    if (existsSync(socketPath)) unlinkSync(socketPath);
    await listen(server, { path: socketPath, readableAll: false, writableAll: false });
    address = { socketDir: runDir, port: SOCKET_PORT };
  } else {
    await listen(server, { host: '127.0.0.1', port: 0 });
    const bound = server.address();
    address = { host: '127.0.0.1', port: typeof bound === 'object' && bound ? bound.port : 0 };
  }
  return {
    address,
    connections: () => handlers.size,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      await closed;
    },
  };
}

function listen(server: Server, options: { path: string; readableAll: boolean; writableAll: boolean } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * The queue pglite-socket's handlers call (same methods as its own `QueryQueueManager`): each
 * message runs holding the session for its connection, released at ReadyForQuery 'I'.
 */
class SessionQueue {
  private readonly gone = new Set<number>();

  constructor(
    private readonly pglite: PGlite,
    private readonly lock: SessionLock,
  ) {}

  async enqueue(handlerId: number, message: Uint8Array): Promise<Uint8Array> {
    const who = `socket#${handlerId}`;
    await this.lock.acquire(who);
    if (this.gone.has(handlerId)) {
      await this.reset(who);
      throw new Error('connection closed');
    }
    let reply: Uint8Array;
    try {
      reply = await this.pglite.runExclusive(() => this.pglite.execProtocolRaw(message));
    } catch (error) {
      await this.reset(who);
      throw error;
    }
    if (readyForQueryStatus(reply) === 'I') this.lock.release(who);
    return reply;
  }

  getQueueLength(): number {
    return 0;
  }

  clearQueueForHandler(handlerId: number): void {
    this.gone.add(handlerId);
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    const who = `socket#${handlerId}`;
    if (this.lock.holder === who) await this.reset(who);
  }

  /** Leaves the session clean for the next holder (no open transaction, no half batch), then releases it. */
  private async reset(who: string): Promise<void> {
    try {
      await this.pglite.runExclusive(async () => {
        await this.pglite.execProtocolRaw(SYNC);
      });
      if (this.pglite.isInTransaction()) await this.pglite.exec('ROLLBACK');
    } finally {
      this.lock.release(who);
    }
  }
}

/** The transaction status of the last ReadyForQuery ('Z') message in `reply`, if any. */
export function readyForQueryStatus(reply: Uint8Array): string | undefined {
  let status: string | undefined;
  let at = 0;
  while (at + 5 <= reply.length) {
    const type = reply[at]!;
    const length = ((reply[at + 1]! << 24) | (reply[at + 2]! << 16) | (reply[at + 3]! << 8) | reply[at + 4]!) >>> 0;
    if (type === 0x5a && length === 5 && at + 5 < reply.length) status = String.fromCharCode(reply[at + 5]!);
    at += 1 + length;
  }
  return status;
}
