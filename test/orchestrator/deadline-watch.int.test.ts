/**
 * Deadlines are checked wherever runs run, not only under `relance scheduler`: a run driven in
 * process (`dags run`, the demo, a run triggered from `relance serve`) that ends after its
 * deadline raises one alert; a backfill, or a past date run again after its deadline, raises none.
 */
import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag, type RunType } from '../../src/dag';
import { PgRunStore, runDag } from '../../src/orchestrator';
import { engines, type TestDatabase } from '../helpers/db';

let dagCounter = 0;

describe.each(engines)('deadline checks of in-process runs on $name', ({ open }) => {
  let t: TestDatabase;
  let store: PgRunStore;
  beforeAll(async () => {
    t = await open();
    store = new PgRunStore(t.db);
  });
  afterAll(() => t.close());

  /** A nightly DAG due at 07:30 Paris (05:30Z on 2026-03-31 for the night of the 30th) whose task takes `hours` of the fake clock. */
  const lateRun = async (createdAt: string, hours: number, runType: RunType) => {
    const clock = new FixedClock(createdAt);
    const dag = defineDag<object>({ id: `due${++dagCounter}`, schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-03-01', deadline: '07:30' }, (d) => {
      d.task('slow', () => {
        clock.advance(hours * 3_600_000);
      });
    });
    const posts: unknown[] = [];
    const report = await runDag(dag, {
      date: '2026-03-30',
      resources: {},
      store,
      clock,
      runType,
      log: silentLogger,
      alerts: { webhookUrl: 'http://alerts.invalid/hook', post: async (_url, body) => void posts.push(body) },
    });
    expect(report.run.state).toBe('success');
    return { alerts: (await store.listAlerts({ dagId: dag.id })).map((a) => a.kind), posts, runId: report.run.runId };
  };

  test('a run started before its deadline and ending after it raises one alert, sent to the webhook', async () => {
    const { alerts, posts, runId } = await lateRun('2026-03-31T03:00:00Z', 3, 'scheduled');
    expect(alerts).toEqual(['deadline_missed']);
    expect(posts).toEqual([expect.objectContaining({ kind: 'deadline_missed', runId, deadline: '2026-03-31T05:30:00.000Z', state: 'success' })]);
  });

  test('a manual run created before the deadline is watched too', async () => {
    expect((await lateRun('2026-03-31T05:00:00Z', 1, 'manual')).alerts).toEqual(['deadline_missed']);
  });

  test('a run that ends in time raises none', async () => {
    expect((await lateRun('2026-03-31T03:00:00Z', 1, 'scheduled')).alerts).toEqual([]);
  });

  test('a backfill, or a past date run again after its deadline, raises none', async () => {
    expect((await lateRun('2026-03-31T03:00:00Z', 5, 'backfill')).alerts).toEqual([]);
    expect((await lateRun('2026-04-02T10:00:00Z', 1, 'manual')).alerts).toEqual([]);
  });
});
