/**
 * Redis restarted empty (no persistence) in the middle of a run: the queued tries are gone; the
 * scheduler's sweep queues them again from Postgres and the run completes.
 */
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag, intervalForDate } from '../../src/dag';
import { BullmqExecutor, createOrClearRun, PgRunStore, registryOf, Scheduler, startRun, startWorker, waitForRun, type TaskInstanceRecord } from '../../src/orchestrator';
import { freshPostgres } from '../helpers/db';
import { describeIfPostgresAndRedis, services } from '../helpers/services';
import { dropPrefix } from './redis-keys';

describeIfPostgresAndRedis('Redis data lost during a run', () => {
  it('the sweep queues the lost tries again and the run completes', async () => {
    const test = await freshPostgres();
    const prefix = `relance-loss-${randomBytes(4).toString('hex')}`;
    const executor = new BullmqExecutor({ url: services.redisUrl, prefix }, { requeueAfterMs: 0 });
    const dag = defineDag<object>({ id: 'lossy', schedule: null, startDate: '2026-01-01' }, (d) => {
      d.chain(d.task('a', () => 'a'), d.mappedTask('b', { over: () => [1, 2, 3] }, (_ctx, x) => x));
    });
    const store = new PgRunStore(test.db);
    const env = { store, resources: {}, clock: systemClock, log: silentLogger };
    const enqueue = (ti: TaskInstanceRecord, t: number, delay?: number): Promise<void> => executor.enqueue({ ...ti, dagId: dag.id }, t, delay);
    const worker = await (async () => {
      const run = await createOrClearRun(dag, store, intervalForDate(dag, '2026-06-01'), {});
      await startRun(dag, run.runId, env, enqueue);
      // Redis comes back empty: every key of this test's prefix is gone, the job of 'a' with them.
      await dropPrefix(prefix);
      const w = await startWorker({ registry: registryOf([dag]), resources: {}, store, redis: { url: services.redisUrl, prefix } });
      expect((await store.getTaskInstance({ runId: run.runId, taskId: 'a', mapIndex: -1 }))!.state).toBe('queued');
      const scheduler = new Scheduler({ registry: registryOf([dag]), resources: {}, store, executor });
      expect((await scheduler.tick()).requeued).toBe(1);
      const done = await waitForRun(store, run.runId, { pollMs: 20, timeoutMs: 30_000 });
      expect(done.state).toBe('success');
      expect((await store.listTaskInstances(run.runId)).map((t) => `${t.taskId}${t.mapIndex}:${t.state}#${t.tryNumber}`).sort()).toEqual(['a-1:success#1', 'b0:success#1', 'b1:success#1', 'b2:success#1']);
      return w;
    })().finally(async () => {
      await executor.close();
    });
    await worker.close();
    await dropPrefix(prefix);
    await test.close();
  });
});
