/** Removes every Redis key of a test's BullMQ prefix. */
import { Redis } from 'ioredis';
import { services } from '../helpers/services';

export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
