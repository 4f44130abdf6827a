/**
 * Fresh data or no new list, through the real nightly DAG on PGlite and Postgres: a night whose export is
 * missing (empty drop folder, no folder) or old (yesterday's files left in place) fails before
 * scoring, keeps the last published list, marks it stale (dialer.publications and the rows of
 * dialer.call_list) and raises a `freshness` alert; the next good night publishes a new list and
 * the stale marking is gone. Row counts are compared like with like: a daily payments file after a
 * full export passes, a collapsed full export does not.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileConfig, loadConfig } from '../../src/config';
import { FixedClock } from '../../src/core';
import { synthesize } from '../../src/synth';
import { createResources, type PipelineResources } from '../../src/pipeline/resources';
import { DAGS_DIR, loadDagRegistry, PgRunStore, runDag, type RunReport } from '../../src/orchestrator';
import { engines, freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';

const HOUR = 3_600_000;

/** Tasks of a run that did not succeed, as `task: state`. */
function notSucceeded(report: RunReport): string[] {
  return report.instances.filter((i) => i.state !== 'success').map((i) => `${i.taskId}: ${i.state}`).sort();
}

describe.each(engines)('freshness of the nightly exports ($name, real DAG)', ({ open }) => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-fresh-'));
  const exportDir = path.join(work, 'exports', 'latest');
  let t: TestDatabase;
  let resources: PipelineResources;
  const clock = new FixedClock(new Date(Date.now() + HOUR));

  beforeAll(async () => {
    t = await open();
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    const config = compileConfig({
      ...base,
      home: path.join(work, 'home'),
      sources: base.sources.map((s) => ({ ...s, dir: exportDir, freshness: { maxAgeHours: 26, minRowsRatio: 0.5 } })),
      scoring: { ...base.scoring, trainingSnapshots: 4, models: ['logistic'] },
    });
    resources = await createResources(config, { db: t.db, clock });
  }, 120_000);
  afterAll(async () => {
    await resources?.close();
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const registry = () => loadDagRegistry<PipelineResources>(DAGS_DIR, resources.config.dags);
  const run = (dagId: string, date: string, rerun = false) =>
    runDag(registry().get(dagId), { date, resources, store: new PgRunStore(t.db), rerun, clock, sleep: () => Promise.resolve() });
  const publication = async (listDate: string) => t.db.knex('dialer.publications').where({ list_date: listDate }).first();
  const freshnessAlerts = async () => (await t.db.knex('monitoring.alerts').where({ kind: 'freshness' }).orderBy('id')) as { subject: string; message: string; severity: string }[];

  test('a missing, empty or old export fails the run before scoring and marks the published list stale until a good night', async () => {
    await synthesize({ debtors: 600, seed: 11, outDir: exportDir, asOf: '2026-11-24' });
    expect(notSucceeded(await run('retrain', '2026-11-23'))).toEqual([]);
    const good = await run('nightly_call_list', '2026-11-23');
    expect(notSucceeded(good)).toEqual([]);
    expect(await publication('2026-11-24')).toMatchObject({ stale: false, stale_since: null, stale_reason: null });

    // Night 2: the drop folder is empty.
    for (const f of readdirSync(exportDir)) rmSync(path.join(exportDir, f));
    const empty = await run('nightly_call_list', '2026-11-24');
    expect(empty.run.state).toBe('failed');
    const failed = empty.instances.find((i) => i.taskId === 'freshness');
    expect(failed?.state).toBe('failed');
    expect(failed?.error).toMatch(/office_csv.*debtors.*no file/);
    for (const task of ['clean', 'features', 'score', 'publish']) expect(empty.instances.find((i) => i.taskId === task)?.state).toBe('upstream_failed');
    expect(await publication('2026-11-25')).toBeUndefined();
    const stale = await publication('2026-11-24');
    expect(stale).toMatchObject({ stale: true, stale_run_id: empty.run.runId });
    expect(new Date(stale.stale_since).getTime()).toBe(clock.now().getTime());
    expect(stale.stale_reason).toMatch(/no file/);
    const rows = (await t.db.knex('dialer.call_list').where({ list_date: '2026-11-24' }).select('stale')) as { stale: boolean }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.stale)).toBe(true);
    expect((await freshnessAlerts()).map((a) => [a.severity, a.subject])).toEqual([['critical', 'office_csv']]);

    // Night 3: the folder itself is gone. Still stale since night 2.
    rmSync(exportDir, { recursive: true, force: true });
    clock.advance(24 * HOUR);
    const missing = await run('nightly_call_list', '2026-11-25');
    expect(missing.run.state).toBe('failed');
    expect(missing.instances.find((i) => i.taskId === 'freshness')?.error).toMatch(/office_csv.*folder .* does not exist/);
    expect(missing.instances.find((i) => i.taskId === 'publish')?.state).toBe('upstream_failed');
    expect((await publication('2026-11-24')).stale_since).toEqual(stale.stale_since);
    expect(await publication('2026-11-26')).toBeUndefined();

    // Night 4: the files are back, but they are yesterday's files left in place (40 hours old).
    mkdirSync(exportDir, { recursive: true });
    await synthesize({ debtors: 600, seed: 11, outDir: exportDir, asOf: '2026-11-24' });
    clock.advance(24 * HOUR);
    const old = new Date(clock.now().getTime() - 40 * HOUR);
    for (const f of readdirSync(exportDir)) utimesSync(path.join(exportDir, f), old, old);
    const stalled = await run('nightly_call_list', '2026-11-26');
    expect(stalled.run.state).toBe('failed');
    expect(stalled.instances.find((i) => i.taskId === 'freshness')?.error).toMatch(/office_csv.*debtors.*40(\.\d)? h old/);
    expect(await publication('2026-11-27')).toBeUndefined();
    expect((await freshnessAlerts()).length).toBe(3);

    // Night 5: tonight's export arrives; the new list is published and nothing is stale any more.
    await synthesize({ debtors: 600, seed: 11, outDir: exportDir, asOf: '2026-11-28' });
    clock.advance(24 * HOUR);
    const tonight = new Date(clock.now().getTime() - 2 * HOUR);
    for (const f of readdirSync(exportDir)) utimesSync(path.join(exportDir, f), tonight, tonight);
    const back = await run('nightly_call_list', '2026-11-27');
    expect(notSucceeded(back)).toEqual([]);
    expect(await publication('2026-11-28')).toMatchObject({ stale: false, stale_since: null, stale_reason: null });
    expect(await publication('2026-11-24')).toMatchObject({ stale: false, stale_since: null, stale_reason: null });
    const staleRows = await t.db.knex('dialer.call_list').where({ stale: true }).count({ n: '*' });
    expect(Number(staleRows[0]?.n)).toBe(0);
  }, 600_000);
});

/** Keeps the header and the first `n` records of a CSV file (one record per line in synthetic exports). */
function keepRows(file: string, n: number): void {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  writeFileSync(file, lines.slice(0, n + 1).join('\n') + '\n');
}

describeIfPostgres('row counts of the nightly exports, like with like (Postgres, real DAG)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-rows-'));
  const exportDir = path.join(work, 'exports', 'latest');
  let t: TestDatabase;
  let resources: PipelineResources;
  const clock = new FixedClock(new Date(Date.now() + HOUR));

  beforeAll(async () => {
    t = await freshPostgres();
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    const csv = base.sources.find((s) => s.kind === 'csv')!;
    if (csv.kind !== 'csv') throw new Error('no CSV source');
    const config = compileConfig({
      ...base,
      home: path.join(work, 'home'),
      // The office sends its whole payments table once, then each night the day's new payments.
      sources: [{ ...csv, dir: exportDir, tables: csv.tables.map((tb) => (tb.table === 'payments' ? { ...tb, mode: 'incremental' } : tb)) }],
      scoring: { ...base.scoring, trainingSnapshots: 4, models: ['logistic'] },
    });
    resources = await createResources(config, { db: t.db, clock });
  }, 120_000);
  afterAll(async () => {
    await resources?.close();
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const run = (dagId: string, date: string) =>
    runDag(loadDagRegistry<PipelineResources>(DAGS_DIR, resources.config.dags).get(dagId), { date, resources, store: new PgRunStore(t.db), clock, sleep: () => Promise.resolve() });

  test('a 221-row daily payments file after the full export publishes; a collapsed debtors export does not', async () => {
    await synthesize({ debtors: 600, seed: 12, outDir: exportDir, asOf: '2026-11-24' });
    expect(notSucceeded(await run('retrain', '2026-11-23'))).toEqual([]);
    expect(notSucceeded(await run('nightly_call_list', '2026-11-23'))).toEqual([]);
    const full = (await t.db.knex('quarantine.loads').where({ table_name: 'payments', status: 'loaded' }).select('rows_read', 'mode')) as { rows_read: unknown; mode: string }[];
    expect(full.map((l) => l.mode)).toEqual(['full']);
    expect(Number(full[0]!.rows_read)).toBeGreaterThan(1000);

    // Night 2: a new export whose payments file holds only the day's 221 payments.
    await synthesize({ debtors: 600, seed: 12, outDir: exportDir, asOf: '2026-11-25' });
    keepRows(path.join(exportDir, 'paiements.csv'), 221);
    const daily = await run('nightly_call_list', '2026-11-24');
    expect(notSucceeded(daily)).toEqual([]);
    const loads = (await t.db.knex('quarantine.loads').where({ table_name: 'payments', status: 'loaded' }).orderBy('load_id').select('rows_read', 'mode')) as { rows_read: unknown; mode: string }[];
    expect(loads.map((l) => `${l.mode} ${Number(l.rows_read) === 221 ? 221 : 'all'}`)).toEqual(['full all', 'incremental 221']);
    expect(await t.db.knex('dialer.publications').where({ list_date: '2026-11-25', stale: false }).first()).toBeDefined();

    // Night 3: the debtors export collapses to a tenth of its size.
    await synthesize({ debtors: 600, seed: 12, outDir: exportDir, asOf: '2026-11-26' });
    keepRows(path.join(exportDir, 'paiements.csv'), 230);
    keepRows(path.join(exportDir, 'debiteurs.csv'), 60);
    const collapsed = await run('nightly_call_list', '2026-11-25');
    expect(collapsed.run.state).toBe('failed');
    const error = collapsed.instances.find((i) => i.taskId === 'freshness')?.error ?? '';
    expect(error).toMatch(/office_csv\.debtors: 60 rows in tonight's full load against a median of \d+ in the last 2 full loads/);
    expect(error).not.toMatch(/payments/);
    expect(await t.db.knex('dialer.publications').where({ list_date: '2026-11-26' }).first()).toBeUndefined();
    expect(await t.db.knex('dialer.publications').where({ list_date: '2026-11-25' }).first('stale')).toEqual({ stale: true });
  }, 600_000);
});
