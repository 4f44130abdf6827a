/**
 * Every alert in one place: `/api/alerts` and `relance alerts` list missed deadlines, dataset
 * drift, realised AUC and freshness alerts, newest first; an alert stays open until acknowledged,
 * and the open ones are what the dashboard shows.
 */
import { Command } from 'commander';
import { raiseAlert } from '../../src/monitoring/alerts';
import { PgRunStore } from '../../src/orchestrator';
import { alertsCommand } from '../../src/cli/commands/alerts';
import { createResources } from '../../src/pipeline/resources';
import { silentLogger } from '../../src/core/log';
import { openTestApi, call, type TestApi } from './api-server';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
  // The fixture raised dataset_drift and realised_auc; add a freshness alert and a missed deadline, later.
  await raiseAlert(api.database.db, { kind: 'freshness', severity: 'critical', subject: 'office_csv', message: 'export of office_csv is 30 hours old (limit 26)' }, api.config);
  await new PgRunStore(api.database.db).addAlert({ dagId: 'nightly_call_list', runId: null, kind: 'deadline_missed', message: 'run nightly missed its deadline 07:30', at: new Date(Date.now() + 60_000) });
});
afterAll(async () => api?.close());

const cli = async (args: string[]): Promise<string[]> => {
  const out: string[] = [];
  const env = {
    config: () => api.config,
    openResources: () => createResources(api.config, { db: api.database.db, log: silentLogger }),
    print: (line: string) => void out.push(line),
  };
  await new Command('relance').exitOverride().addCommand(alertsCommand(env)).parseAsync(['node', 'relance', 'alerts', ...args]);
  return out;
};

describe('alerts', () => {
  test('the API lists every kind, newest first, to staff only', async () => {
    const res = await call(api, 'GET', '/api/alerts', { token: api.fixture.tokens.lead });
    expect(res.status).toBe(200);
    const kinds = res.json().map((a: { kind: string }) => a.kind);
    expect([...kinds].sort()).toEqual(['dataset_drift', 'deadline_missed', 'freshness', 'realised_auc']);
    expect(kinds[0]).toBe('deadline_missed');
    expect(res.json()[0]).toMatchObject({ source: 'orchestrator', severity: 'warning', acknowledgedAt: null, details: { dagId: 'nightly_call_list' } });
    expect((await call(api, 'GET', '/api/alerts', { token: api.fixture.tokens.agent })).status).toBe(403);
    const freshness = (await call(api, 'GET', '/api/alerts?kind=freshness', { token: api.fixture.tokens.analyst })).json();
    expect(freshness.map((a: { subject: string }) => a.subject)).toEqual(['office_csv']);
  });

  test('relance alerts --json lists the same alerts; ack closes one for the API, the CLI and the dashboard', async () => {
    const listed = JSON.parse((await cli(['--json'])).join('\n')) as { source: string; id: number; kind: string }[];
    const viaApi = (await call(api, 'GET', '/api/alerts', { token: api.fixture.tokens.it })).json() as { source: string; id: number }[];
    expect(listed.map((a) => `${a.source}:${a.id}`)).toEqual(viaApi.map((a) => `${a.source}:${a.id}`));
    const table = (await cli([])).join('\n');
    for (const kind of ['deadline_missed', 'dataset_drift', 'realised_auc', 'freshness']) expect(table).toContain(kind);

    const deadline = listed.find((a) => a.kind === 'deadline_missed')!;
    expect(await cli(['ack', `orchestrator:${deadline.id}`, '--by', 'sandrine'])).toEqual([`alert orchestrator:${deadline.id} acknowledged`]);
    const drift = listed.find((a) => a.kind === 'dataset_drift')!;
    const acked = await call(api, 'POST', `/api/alerts/monitoring/${drift.id}/ack`, { token: api.fixture.tokens.lead });
    expect(acked.json()).toEqual({ acknowledged: true, by: 'test-lead' });
    expect((await call(api, 'POST', `/api/alerts/monitoring/${drift.id}/ack`, { token: api.fixture.tokens.analyst })).status).toBe(403);

    const open = (await call(api, 'GET', '/api/alerts?open=true', { token: api.fixture.tokens.lead })).json();
    expect(open.map((a: { kind: string }) => a.kind).sort()).toEqual(['freshness', 'realised_auc']);
    const openCli = JSON.parse((await cli(['list', '--open', '--json'])).join('\n')) as { kind: string }[];
    expect(openCli.map((a) => a.kind).sort()).toEqual(['freshness', 'realised_auc']);
    const all = (await call(api, 'GET', '/api/alerts', { token: api.fixture.tokens.lead })).json();
    expect(all.find((a: { kind: string }) => a.kind === 'deadline_missed')).toMatchObject({ acknowledgedBy: 'sandrine' });
    await expect(cli(['ack', 'monitoring:999999'])).rejects.toThrow(/no alert monitoring:999999/);
  });

  test('the main page loads the open alerts block', async () => {
    const shell = await call(api, 'GET', '/call-list');
    expect(shell.text).toContain('/static/app/alerts-block.js');
    const script = await call(api, 'GET', '/static/app/alerts-block.js');
    expect(script.status).toBe(200);
    expect(script.text).toContain('/api/alerts?open=true');
    expect(script.text).toContain("t('alerts:heading'");
  });
});
