import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileConfig } from '../../src/config';
import { createLogger } from '../../src/core/log';
import { saveDriftReport, getDriftReport, listDriftReports, saveRealisedPerformance, listRealisedPerformance } from '../../src/monitoring/store';
import { alertOnDatasetDrift, alertOnRealisedAuc, listAlerts, raiseAlert } from '../../src/monitoring/alerts';
import { freshPglite, type TestDatabase } from '../helpers/db';

let database: TestDatabase;
let hook: Server;
const received: unknown[] = [];
let hookUrl = '';

beforeAll(async () => {
  database = await freshPglite();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.statusCode = req.url === '/broken' ? 500 : 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => hook.close(resolve));
  await database?.close();
});

const column = (feature: string, drifted: boolean) => ({ feature, method: 'psi', statistic: drifted ? 0.4 : 0.01, threshold: 0.2, drifted, distribution: [{ bin: 'a', reference: 0.5, current: drifted ? 0.9 : 0.5 }] });

describe('monitoring storage', () => {
  test('a drift report derives its counts and verdict, and reads back with its distributions', async () => {
    const saved = await saveDriftReport(database.db, { asOf: '2026-11-20', shareThreshold: 0.5, columns: [column('balance', true), column('age_years', false), column('n_calls_90d', true)] });
    expect([saved.nFeatures, saved.nDrifted, saved.datasetDrift]).toEqual([3, 2, true]);
    expect(saved.driftShare).toBeCloseTo(2 / 3, 12);
    const quiet = await saveDriftReport(database.db, { asOf: '2026-11-21', shareThreshold: 0.5, columns: [column('balance', true), column('age_years', false), column('n_calls_90d', false)] });
    expect(quiet.datasetDrift).toBe(false);
    const latest = await getDriftReport(database.db.knex, 'latest');
    expect(latest.reportId).toBe(quiet.reportId);
    expect(latest.asOf).toBe('2026-11-21');
    expect(latest.columns[0]).toMatchObject({ feature: 'balance', drifted: true, distribution: [{ bin: 'a', reference: 0.5, current: 0.9 }] });
    expect((await listDriftReports(database.db.knex)).map((r) => r.asOf)).toEqual(['2026-11-21', '2026-11-20']);
  });

  test('dataset drift raises an alert, logged and sent to the webhook', async () => {
    const lines: string[] = [];
    const config = compileConfig({ monitoring: { alerts: { webhookUrl: `${hookUrl}/ok` } } });
    const report = await saveDriftReport(database.db, { asOf: '2026-11-22', shareThreshold: 0.5, columns: [column('balance', true)] });
    const alert = await alertOnDatasetDrift(database.db, report, config, { log: createLogger({ write: (l) => lines.push(l) }) });
    expect(alert?.webhookStatus).toBe('sent');
    expect(received.at(-1)).toMatchObject({ kind: 'dataset_drift', subject: report.reportId, details: { drifted: ['balance'] } });
    expect(lines.join('\n')).toContain('alert dataset_drift');
    const quiet = await saveDriftReport(database.db, { asOf: '2026-11-23', shareThreshold: 0.5, columns: [column('balance', false)] });
    expect(await alertOnDatasetDrift(database.db, quiet, config)).toBeNull();
  });

  test('realised AUC under the floor raises an alert; a failing webhook keeps the alert with its error', async () => {
    const config = compileConfig({ monitoring: { realisedAucFloor: 0.7, alerts: { webhookUrl: `${hookUrl}/broken` } } });
    const perf = { listDate: '2026-10-01', modelVersionId: 'm1', horizonDays: 30, n: 100, nPaid: 20, payRate: 0.2, auc: 0.61, deciles: [] };
    await saveRealisedPerformance(database.db, perf);
    await saveRealisedPerformance(database.db, { ...perf, auc: 0.66 });
    expect((await listRealisedPerformance(database.db.knex)).map((p) => p.auc)).toEqual([0.66]);
    const alert = await alertOnRealisedAuc(database.db, { ...perf, auc: 0.66 }, config);
    expect(alert?.webhookStatus).toBe('http 500');
    expect(await alertOnRealisedAuc(database.db, { ...perf, auc: 0.75 }, config)).toBeNull();
    const unreachable = compileConfig({ monitoring: { alerts: { webhookUrl: 'http://127.0.0.1:1/hook?token=s3cret' } } });
    const lost = await raiseAlert(database.db, { kind: 'test', severity: 'info', message: 'webhook down' }, unreachable);
    expect(lost.webhookStatus).toMatch(/^error/);
    expect(lost.webhookStatus).not.toContain('s3cret');
    expect((await listAlerts(database.db.knex, { kind: 'realised_auc' }))[0]).toMatchObject({ severity: 'critical', subject: '2026-10-01' });
  });
});
