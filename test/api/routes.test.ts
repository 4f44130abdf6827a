import { MODEL_FEATURES } from '../../src/features';
import { buildServer, type RelanceServer } from '../../src/api/server';
import type { PipelineControl } from '../../src/api/pipeline-control';
import { ConflictError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/log';
import { openTestApi, call, type TestApi } from './api-server';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
});
afterAll(async () => api?.close());

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('on-demand scoring', () => {
  test('a posted payload is scored by the in-memory model, with contributions that add up', async () => {
    const res = await call(api, 'POST', '/api/score', { token: api.fixture.tokens.analyst, body: { features: api.fixture.payload } });
    expect(res.status).toBe(200);
    const body = res.json();
    const expected = api.fixture.scorer.score(api.fixture.payload);
    expect(body.pPay).toBeCloseTo(expected.pPay, 12);
    expect(body.pPay).toBeCloseTo(sigmoid(body.rawScore), 12);
    const sum = body.contributions.reduce((a: number, c: { contribution: number }) => a + c.contribution, body.expectedValue);
    expect(sum).toBeCloseTo(body.rawScore, 9);
    expect(body.contributions).toHaveLength(MODEL_FEATURES.length);
    expect(body.modelVersionId).toBe('logistic-v1');
    expect(body.aboveThreshold).toBe(body.pPay >= 0.3);
  });

  test('explain: false answers the same P(pay) without contributions', async () => {
    const res = await call(api, 'POST', '/api/score', { token: api.fixture.tokens.analyst, body: { features: api.fixture.payload, explain: false } });
    expect(res.status).toBe(200);
    expect(res.json().pPay).toBeCloseTo(api.fixture.scorer.score(api.fixture.payload).pPay, 12);
    expect(res.json().contributions).toEqual([]);
    expect(res.json().expectedValue).toBeNull();
  });

  test('null means missing and is accepted; booleans count as 1/0', async () => {
    const features = { ...api.fixture.payload, days_since_last_payment: null, has_valid_mobile: true };
    const res = await call(api, 'POST', '/api/score', { token: api.fixture.tokens.it, body: { features, top: 3 } });
    expect(res.status).toBe(200);
    expect(res.json().contributions).toHaveLength(3);
  });

  test.each([
    ['a missing field', (f: Record<string, unknown>) => { delete f.balance; }, 'features.balance'],
    ['a string', (f: Record<string, unknown>) => { f.n_calls_90d = '3'; }, 'features.n_calls_90d'],
    ['an unknown field', (f: Record<string, unknown>) => { f.balanse = 12; }, 'features.balanse'],
    ['an object', (f: Record<string, unknown>) => { f.age_years = { v: 3 }; }, 'features.age_years'],
  ])('%s is a 400 naming the field, never a silent zero', async (_what, spoil, field) => {
    const features: Record<string, unknown> = { ...api.fixture.payload };
    spoil(features);
    const res = await call(api, 'POST', '/api/score', { token: api.fixture.tokens.lead, body: { features } });
    expect(res.status).toBe(400);
    expect(res.json().field).toBe(field);
    expect(res.json().message).toContain(field);
  });

  test('a body without features is a 400 naming it', async () => {
    const res = await call(api, 'POST', '/api/score', { token: api.fixture.tokens.lead, body: { balance: 3 } });
    expect(res.status).toBe(400);
    expect(res.json().field).toBe('body.features');
  });

  test("a debtor's latest snapshot scores as the nightly run scored it", async () => {
    const id = api.fixture.debtorIds[5]!;
    const res = await call(api, 'POST', `/api/debtors/${id}/score`, { token: api.fixture.tokens.analyst });
    expect(res.status).toBe(200);
    const stored = await api.database.db.knex('scoring.scores').where({ debtor_id: id, as_of: api.fixture.asOf }).first();
    expect(res.json().pPay).toBeCloseTo(stored.p_pay, 10);
    expect(res.json().asOf).toBe(api.fixture.asOf);
    expect((await call(api, 'POST', '/api/debtors/NOPE/score', { token: api.fixture.tokens.analyst })).status).toBe(404);
  });
});

describe('call lists', () => {
  const date = () => api.fixture.listDate;

  test('filters by team and office, searches names, pages in rank order', async () => {
    const all = (await call(api, 'GET', `/api/call-lists/${date()}?limit=5000`, { token: api.fixture.tokens.agent })).json();
    expect(all.total).toBe(api.fixture.debtorIds.length);
    const team = (await call(api, 'GET', `/api/call-lists/${date()}?team=equipe-2&limit=5000`, { token: api.fixture.tokens.agent })).json();
    expect(team.total).toBe(all.entries.filter((e: { teamId: string }) => e.teamId === 'equipe-2').length);
    expect(team.entries.map((e: { rank: number }) => e.rank)).toEqual(team.entries.map((_: unknown, i: number) => i + 1));
    const office = (await call(api, 'GET', `/api/call-lists/${date()}?office=ETU01&limit=5000`, { token: api.fixture.tokens.agent })).json();
    expect(office.entries.every((e: { officeCode: string }) => e.officeCode === 'ETU01')).toBe(true);
    const search = (await call(api, 'GET', `/api/call-lists/${date()}?q=dubois`, { token: api.fixture.tokens.agent })).json();
    expect(search.total).toBeGreaterThan(0);
    expect(search.entries.every((e: { name: string }) => e.name.startsWith('Dubois'))).toBe(true);
    const page2 = (await call(api, 'GET', `/api/call-lists/${date()}?limit=10&offset=10`, { token: api.fixture.tokens.agent })).json();
    expect(page2.entries.map((e: { debtorId: string }) => e.debtorId)).toEqual(all.entries.slice(10, 20).map((e: { debtorId: string }) => e.debtorId));
    expect((await call(api, 'GET', `/api/call-lists/2026-02-30`, { token: api.fixture.tokens.agent })).status).toBe(400);
  });

  test('CSV export: the filtered list, phones in clear for agents and masked for analysts', async () => {
    const agent = await call(api, 'GET', `/api/call-lists/${date()}/export.csv?team=equipe-1`, { token: api.fixture.tokens.agent });
    expect(agent.status).toBe(200);
    expect(agent.headers.get('content-disposition')).toContain(`liste-appels-${date()}.csv`);
    const lines = agent.text.replace(/^\ufeff/, '').trim().split('\r\n');
    const json = (await call(api, 'GET', `/api/call-lists/${date()}?team=equipe-1&limit=5000`, { token: api.fixture.tokens.agent })).json();
    expect(lines.length - 1).toBe(json.total);
    expect(lines[1]!.split(';')[6]).toMatch(/^\+336\d{8}$/);
    const analyst = await call(api, 'GET', `/api/call-lists/${date()}/export.csv?team=equipe-1`, { token: api.fixture.tokens.analyst });
    expect(analyst.text).not.toMatch(/\+336\d{8}/);
    expect(analyst.text.split('\r\n')[1]!.split(';')[6]).toMatch(/^\+33•+\d{2}$/);
  });
});

describe('debtor page data', () => {
  test('profile, cases, timeline, explanation, rank history; phones masked for IT', async () => {
    const id = api.fixture.debtorIds[0]!;
    const body = (await call(api, 'GET', `/api/debtors/${id}`, { token: api.fixture.tokens.it })).json();
    expect(body.profile.debtorId).toBe(id);
    expect(body.cases).toHaveLength(1);
    expect(body.timeline.some((t: { kind: string }) => t.kind === 'call')).toBe(true);
    expect(body.timeline.filter((t: { kind: string }) => t.kind === 'call').every((t: { phone: string }) => /^\+33•+\d{2}$/.test(t.phone))).toBe(true);
    expect(body.score.asOf).toBe(api.fixture.asOf);
    expect(body.score.threshold).toBe(0.3);
    expect(body.score.explanation.length).toBe(8);
    expect(body.rankHistory.map((r: { listDate: string }) => r.listDate)).toContain(api.fixture.listDate);
    expect((await call(api, 'GET', '/api/debtors/NOPE', { token: api.fixture.tokens.it })).status).toBe(404);
  });

  test('comparison: the k nearest debtors on the model features, for the top explained features', async () => {
    const id = api.fixture.debtorIds[3]!;
    const body = (await call(api, 'GET', `/api/debtors/${id}/comparison?k=10`, { token: api.fixture.tokens.agent })).json();
    expect(body.k).toBe(10);
    expect(body.neighbours).toHaveLength(10);
    expect(body.neighbours.map((n: { debtorId: string }) => n.debtorId)).not.toContain(id);
    const detail = (await call(api, 'GET', `/api/debtors/${id}`, { token: api.fixture.tokens.agent })).json();
    expect(body.features.map((f: { feature: string }) => f.feature)).toEqual(detail.score.explanation.slice(0, 5).map((c: { feature: string }) => c.feature));
    for (const f of body.features) expect(f.bins.reduce((a: number, b: { population: number }) => a + b.population, 0)).toBeGreaterThan(0);
  });
});

describe('operations', () => {
  test('healthz checks the database; metrics expose scoring latency and run durations; /docs serves OpenAPI', async () => {
    const health = await call(api, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json().checks.pglite.ok).toBe(true);
    await call(api, 'POST', '/api/score', { token: api.fixture.tokens.analyst, body: { features: api.fixture.payload } });
    const metrics = await call(api, 'GET', '/metrics', { token: api.fixture.tokens.it });
    expect(metrics.text).toMatch(/relance_scoring_latency_seconds_count\{source="payload"\} [1-9]/);
    expect(metrics.text).toMatch(/relance_dag_run_duration_seconds\{dag_id="nightly_call_list",state="success"\} 900/);
    expect(metrics.text).toMatch(/relance_task_failures\{/);
    expect(metrics.text).toContain('relance_queue_depth');
    const docs = await call(api, 'GET', '/docs/json');
    expect(docs.json().openapi).toMatch(/^3\./);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/api/score', '/api/call-lists/{date}', '/api/runs/{runId}/clear']));
  });

  test('models, drift, realised performance and alerts', async () => {
    const token = api.fixture.tokens.analyst;
    const compare = (await call(api, 'GET', '/api/models/compare', { token })).json();
    expect(compare.champion.versionId).toBe('logistic-v1');
    expect(compare.challenger.versionId).toBe('logistic-v2');
    expect(compare.champion.curves.roc.length).toBeGreaterThan(10);
    expect(compare.champion.curves.calibration.length).toBeGreaterThan(3);
    expect(compare.champion.curves.lift).toHaveLength(10);
    expect(compare.champion.importance[0].gain).toBeGreaterThan(0);
    const latest = (await call(api, 'GET', '/api/drift/latest', { token })).json();
    expect(latest.asOf).toBe(api.fixture.asOf);
    expect(latest.datasetDrift).toBe(true);
    expect(latest.columns[0].drifted).toBe(true);
    const perf = (await call(api, 'GET', '/api/performance', { token })).json();
    expect(perf.lists).toHaveLength(5);
    const alerts = (await call(api, 'GET', '/api/alerts', { token })).json();
    expect(alerts.map((a: { kind: string }) => a.kind).sort()).toEqual(['dataset_drift', 'realised_auc']);
  });

  test('trigger and clear go through the pipeline control, and answer 503 without one', async () => {
    expect((await call(api, 'POST', '/api/dags/nightly_call_list/trigger', { token: api.fixture.tokens.it, body: {} })).status).toBe(503);
    const calls: string[] = [];
    const control: PipelineControl = {
      dagIds: () => ['nightly_call_list'],
      async trigger(dagId, o) {
        calls.push(`trigger ${dagId} by ${o.requestedBy}`);
        return { runId: `${dagId}__manual`, dagId, logicalDate: '2026-11-24T01:00:00.000Z' };
      },
      async clear(runId, o) {
        calls.push(`clear ${runId} ${o.taskIds?.join(',')} downstream=${o.downstream}`);
        if (o.taskIds?.includes('publish')) throw new ConflictError('publish (try 1 on host:42) of run nightly_call_list__2026-11-22 is running');
        return 4;
      },
    };
    const server: RelanceServer = await buildServer({ db: api.database.db, config: api.config, log: silentLogger, scorer: api.fixture.scorer, control, defaultMetrics: false });
    try {
      await server.listen({ host: '127.0.0.1', port: 0 });
      const address = server.server.address();
      const other = { ...api, baseUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
      const triggered = await call(other, 'POST', '/api/dags/nightly_call_list/trigger', { token: api.fixture.tokens.it, body: {} });
      expect(triggered.status).toBe(201);
      expect(triggered.json().runId).toBe('nightly_call_list__manual');
      expect((await call(other, 'POST', '/api/dags/unknown/trigger', { token: api.fixture.tokens.it, body: {} })).status).toBe(404);
      const cleared = await call(other, 'POST', '/api/runs/nightly_call_list__2026-11-22/clear', { token: api.fixture.tokens.it, body: { taskIds: ['score'] } });
      expect(cleared.json()).toEqual({ runId: 'nightly_call_list__2026-11-22', cleared: 4 });
      const running = await call(other, 'POST', '/api/runs/nightly_call_list__2026-11-22/clear', { token: api.fixture.tokens.it, body: { taskIds: ['publish'] } });
      expect(running.status).toBe(409);
      expect(running.json()).toEqual({ error: 'conflict', message: expect.stringMatching(/publish .* is running/) });
      expect(calls).toEqual(['trigger nightly_call_list by test-it', 'clear nightly_call_list__2026-11-22 score downstream=true', 'clear nightly_call_list__2026-11-22 publish downstream=true']);
    } finally {
      await server.close();
    }
  });

  test('no token and no phone number reached the log', () => {
    const text = api.logLines.join('\n');
    expect(api.logLines.length).toBeGreaterThan(10);
    for (const token of Object.values(api.fixture.tokens)) expect(text).not.toContain(token);
    expect(text).not.toMatch(/\+33\d{9}/);
    expect(text).not.toMatch(/D0\d{4}/);
  });
});
