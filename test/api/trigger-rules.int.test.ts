/**
 * `POST /api/dags/:dagId/trigger` on the real orchestrator control and Postgres: a logical date is
 * normalised to the night's scheduled run (so a second trigger of the night is a 409, as
 * docs/api.md promises), impossible or early dates are 400s, a paused DAG is a 409 unless forced,
 * and in embedded mode a second manual run waits for the first (`maxActiveRuns`).
 */
import { compileConfig } from '../../src/config';
import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag, type Dag } from '../../src/dag';
import { createApiToken } from '../../src/api/auth/tokens';
import { orchestratorControl } from '../../src/api/orchestrator-control';
import { buildServer, type RelanceServer } from '../../src/api/server';
import { PgRunStore, driveRunInline, registryOf, waitForRun } from '../../src/orchestrator';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';

function nightly(id: string, wait?: Promise<void>, seen?: { active: number; max: number }): Dag<null> {
  return defineDag<null>({ id, schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-11-01', maxActiveRuns: 1, defaults: { retries: 0 } }, (d) => {
    d.task('work', async () => {
      if (seen) seen.max = Math.max(seen.max, ++seen.active);
      try {
        await wait;
      } finally {
        if (seen) seen.active--;
      }
    });
  });
}

describeIfPostgres('trigger rules of the API (Postgres)', () => {
  let database: TestDatabase;
  let store: PgRunStore;
  let token: string;
  const clock = new FixedClock('2026-11-24T08:00:00Z');
  const servers: RelanceServer[] = [];

  /** A listening server whose control knows `dags`; `drive` as `relance serve` does without Redis. */
  async function serve(dags: Dag<null>[], options: { drive?: boolean } = {}): Promise<(body: unknown, dagId?: string) => Promise<{ status: number; json: Record<string, unknown> }>> {
    const registry = registryOf(dags);
    const control = orchestratorControl({
      registry, store, log: silentLogger, clock,
      ...(options.drive ? { drive: (dag: Dag<null>, runId: string) => driveRunInline(dag, runId, { store, resources: null, clock, log: silentLogger }) } : {}),
    });
    const server = await buildServer({ db: database.db, config: compileConfig({}), log: silentLogger, control, defaultMetrics: false });
    servers.push(server);
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return async (body, dagId = dags[0]!.id) => {
      const res = await fetch(`${base}/api/dags/${dagId}/trigger`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
  }

  beforeAll(async () => {
    database = await freshPostgres();
    store = new PgRunStore(database.db);
    token = (await createApiToken(database.db.knex, { name: 'it-person', role: 'it' })).token;
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await database.close();
  });

  test('a second trigger of the same night is a 409, whatever the time given', async () => {
    const trigger = await serve([nightly('api_night')]);
    const first = await trigger({ logicalDate: '2026-11-20T01:00:00Z' });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ runId: 'api_night@2026-11-20T01:00:00Z', logicalDate: '2026-11-20T01:00:00.000Z' });
    const later = await trigger({ logicalDate: '2026-11-20T05:00:00Z' });
    expect(later).toMatchObject({ status: 409, json: { error: 'conflict' } });
    expect(String(later.json.message)).toMatch(/already has run api_night@2026-11-20T01:00:00Z/);
    expect((await trigger({ logicalDate: '2026-11-20T01:00:00Z' })).status).toBe(409);
    expect((await store.listRuns({ dagId: 'api_night' })).map((r) => r.runId)).toEqual(['api_night@2026-11-20T01:00:00Z']);
    // An instant is normalised to the night it falls in: 06:00 Paris on the 21st is the run of the 21st.
    expect((await trigger({ logicalDate: '2026-11-21T06:00:00+01:00' })).json).toMatchObject({ runId: 'api_night@2026-11-21T01:00:00Z' });
  });

  test('impossible, early and unfinished dates are 400s; force accepts the last two', async () => {
    const trigger = await serve([nightly('api_dates')]);
    expect((await trigger({ logicalDate: '2026-02-30T01:00:00Z' })).status).toBe(400);
    const early = await trigger({ logicalDate: '2026-10-20T01:00:00Z' });
    expect(early).toMatchObject({ status: 400, json: { error: 'validation' } });
    expect(String(early.json.message)).toMatch(/before the DAG's startDate 2026-11-01/);
    const unfinished = await trigger({ logicalDate: '2026-11-24T01:00:00Z' });
    expect(unfinished.status).toBe(400);
    expect(String(unfinished.json.message)).toMatch(/has not ended/);
    expect(await store.listRuns({ dagId: 'api_dates' })).toEqual([]);
    expect((await trigger({ logicalDate: '2026-10-20T01:00:00Z', force: true })).status).toBe(201);
    expect((await trigger({ logicalDate: '2026-11-24T01:00:00Z', force: true })).status).toBe(201);
  });

  test('a paused DAG is a 409 unless forced', async () => {
    const trigger = await serve([nightly('api_paused')]);
    await store.setPaused('api_paused', true);
    const refused = await trigger({ logicalDate: '2026-11-20T01:00:00Z' });
    expect(refused).toMatchObject({ status: 409, json: { error: 'conflict' } });
    expect(String(refused.json.message)).toMatch(/paused/);
    expect((await trigger({ logicalDate: '2026-11-20T01:00:00Z', force: true })).status).toBe(201);
  });

  test('embedded mode: a second manual run is queued until the first ends (maxActiveRuns 1)', async () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const seen = { active: 0, max: 0 };
    const trigger = await serve([nightly('api_active', opened, seen)], { drive: true });
    expect((await trigger({ logicalDate: '2026-11-20T01:00:00Z' })).json).toMatchObject({ state: 'running' });
    expect((await trigger({ logicalDate: '2026-11-21T01:00:00Z' })).json).toMatchObject({ state: 'queued' });
    expect((await store.getRun('api_active@2026-11-21T01:00:00Z'))?.state).toBe('queued');
    open();
    for (const runId of ['api_active@2026-11-20T01:00:00Z', 'api_active@2026-11-21T01:00:00Z']) expect((await waitForRun(store, runId, { timeoutMs: 20_000 })).state).toBe('success');
    expect(seen.max).toBe(1);
  });
});
