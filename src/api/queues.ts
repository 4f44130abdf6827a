/**
 * The BullMQ queues of the workers, seen from the API: their depths for /metrics and the
 * bull-board UI at /queues (IT role). Queue names are found in Redis under the configured prefix,
 * so the API needs no list of them.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import type { QueueDepthReader } from './metrics';

/** The queues found in Redis and how to close them. */
export interface QueueSet {
  readonly queues: Queue[];
  readonly depths: QueueDepthReader;
  close(): Promise<void>;
}

/** Names of the BullMQ queues under `prefix` (keys `<prefix>:<name>:meta`). */
export async function discoverQueueNames(redis: Redis, prefix: string): Promise<string[]> {
  const names = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*:meta`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) names.add(key.slice(prefix.length + 1, -':meta'.length));
  } while (cursor !== '0');
  return [...names].sort();
}

/** Opens the queues named (or found) under `prefix` on the given connection. */
export async function openQueues(redis: Redis, prefix: string, names?: readonly string[]): Promise<QueueSet> {
  const found = names ?? (await discoverQueueNames(redis, prefix));
  const queues = found.map((name) => new Queue(name, { connection: redis, prefix }));
  return {
    queues,
    async depths() {
      const out: { queue: string; state: string; count: number }[] = [];
      for (const q of queues) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, count] of Object.entries(counts)) out.push({ queue: q.name, state, count });
      }
      return out;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}

/**
 * Mounts bull-board at `basePath` for the given queues. bull-board is loaded on first use: its
 * static-file dependency is an ES module, which Node loads but some test runners do not.
 */
export async function mountBullBoard(app: FastifyInstance, queues: readonly Queue[], basePath = '/queues'): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createBullBoard } = require('@bull-board/api') as typeof import('@bull-board/api');
  const { BullMQAdapter } = require('@bull-board/api/bullMQAdapter') as typeof import('@bull-board/api/bullMQAdapter');
  const { FastifyAdapter } = require('@bull-board/fastify') as typeof import('@bull-board/fastify');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const serverAdapter = new FastifyAdapter();
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter, options: { uiConfig: { boardTitle: 'relance queues' } } });
  serverAdapter.setBasePath(basePath);
  await app.register(serverAdapter.registerPlugin(), { prefix: basePath });
}
