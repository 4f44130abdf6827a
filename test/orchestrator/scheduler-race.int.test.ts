/**
 * Two scheduler processes started at once on the same Postgres and Redis: every owed run is
 * created once and every first task queued once.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PgRunStore, queueName } from '../../src/orchestrator';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgresAndRedis, services } from '../helpers/services';
import { dropPrefix } from './redis-keys';
import { spawnFixture } from './processes/spawn';

describeIfPostgresAndRedis('two schedulers at once', () => {
  let test: TestDatabase;
  const prefix = `relance-race-${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    test = await freshPostgres();
  });
  afterAll(async () => {
    await dropPrefix(prefix);
    await test.close();
  });

  it('never create a run twice nor queue a task twice', async () => {
    const env = { FIXTURE_DATABASE_URL: test.url!, FIXTURE_REDIS_URL: services.redisUrl, FIXTURE_PREFIX: prefix };
    const processes = [spawnFixture(['scheduler', '--once'], env), spawnFixture(['scheduler', '--once'], env)];
    const codes = await Promise.all(processes.map((p) => p.exited));
    expect(codes).toEqual([0, 0]);
    const reports = processes.map((p) => JSON.parse(p.output().split('\n').find((l) => l.startsWith('{'))!) as { created: string[]; started: string[] });
    const created = reports.flatMap((r) => r.created).filter((id) => id.startsWith('fixture_catchup@'));
    const started = reports.flatMap((r) => r.started).filter((id) => id.startsWith('fixture_catchup@'));
    expect(created.length).toBeGreaterThanOrEqual(48);
    expect(new Set(created).size).toBe(created.length);
    expect(new Set(started).size).toBe(started.length);
    const store = new PgRunStore(test.db);
    const runs = await store.listRuns({ dagId: 'fixture_catchup', limit: 10_000 });
    expect(runs.map((r) => r.runId).sort()).toEqual([...created].sort());
    const connection = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(queueName('default'), { connection, prefix });
    try {
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed']);
      const catchupJobs = jobs.filter((j) => (j.data as { dagId: string }).dagId === 'fixture_catchup');
      expect(catchupJobs).toHaveLength(runs.length);
      expect(new Set(catchupJobs.map((j) => (j.data as { runId: string }).runId)).size).toBe(runs.length);
    } finally {
      await queue.close();
      connection.disconnect();
    }
    const queued = (await test.db.knex('orchestrator.task_instances').where({ task_id: 'tick' }).select('state', 'try_number')) as { state: string; try_number: number }[];
    expect(queued.every((t) => t.state === 'queued' && t.try_number === 1)).toBe(true);
  });
});
