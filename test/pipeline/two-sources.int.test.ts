/**
 * The nightly DAG with two sources configured, as an office with both would have them: a CSV drop
 * (a synthetic office) and a case-management database on the real MariaDB server. The DAG maps
 * one extract task over the sources; both land in one set of clean tables, and the office
 * database's debtors are scored and placed like the others.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { compileConfig, loadConfig } from '../../src/config';
import { synthesize } from '../../src/synth';
import { createResources, type PipelineResources } from '../../src/pipeline/resources';
import { DAGS_DIR, loadDagRegistry, PgRunStore, runDag } from '../../src/orchestrator';
import { freshPostgres } from '../helpers/db';
import { services } from '../helpers/services';
import { createOffice, officeDbSource, withDatabase } from '../elt/office-db';

const LIST_DATE = '2026-11-24';
const RUN_DATE = '2026-11-23';
const describeIfBoth = services.postgres && services.mariadb ? describe : describe.skip;

describeIfBoth('nightly call list from a CSV drop and a MariaDB office database', () => {
  test('one extract task per source, one set of clean tables, the database office scored and placed', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'relance-two-sources-'));
    const exportDir = path.join(work, 'exports', 'latest');
    const office = `relance_office_${randomBytes(4).toString('hex')}`;
    const admin = knexFactory({ client: 'mysql2', connection: services.mariadbUrl, pool: { min: 0, max: 1 } });
    const t = await freshPostgres();
    try {
      await createOffice(admin, office);
      // Its planted negative payment would be a third of that table: the quality check would stop the run.
      await admin(`${office}.paiements`).where({ id_paiement: 'Y2' }).delete();
      await synthesize({ debtors: 800, seed: 5, outDir: exportDir, asOf: LIST_DATE });
      const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
      const csv = base.sources.find((s) => s.kind === 'csv')!;
      const config = compileConfig({
        ...base,
        home: path.join(work, 'home'),
        sources: [{ ...csv, dir: exportDir }, officeDbSource(withDatabase(services.mariadbUrl, office))],
        scoring: { ...base.scoring, trainingSnapshots: 4, models: ['logistic'] },
      });
      const resources: PipelineResources = await createResources(config, { db: t.db });
      const registry = loadDagRegistry<PipelineResources>(DAGS_DIR, config.dags);
      const store = new PgRunStore(t.db);
      const run = (dagId: string) => runDag(registry.get(dagId), { date: RUN_DATE, resources, store, sleep: () => Promise.resolve() });

      const retrain = await run('retrain');
      expect(retrain.instances.filter((i) => i.state !== 'success').map((i) => `${i.taskId}: ${i.state} ${i.error ?? ''}`)).toEqual([]);
      const nightly = await run('nightly_call_list');
      expect(nightly.instances.filter((i) => i.state !== 'success').map((i) => `${i.taskId}: ${i.state} ${i.error ?? ''}`)).toEqual([]);
      const extracts = nightly.instances.filter((i) => i.taskId === 'extract').sort((a, b) => a.mapIndex - b.mapIndex);
      expect(extracts.map((i) => `${i.mapIndex}:${i.state}`)).toEqual(['0:success', '1:success']);

      const { knex } = t.db;
      // What each source loaded, from the load accounting.
      const loads = (await knex('quarantine.loads').where({ status: 'loaded' }).select('source').sum({ rows: 'rows_loaded' }).groupBy('source').orderBy('source')) as { source: string; rows: unknown }[];
      // relance's own call log is a source of every night too: nothing recorded in the call room yet
      expect(loads.map((l) => l.source)).toEqual(['office_csv', 'office_db', 'relance_call_log']);
      expect(Number(loads.find((l) => l.source === 'relance_call_log')!.rows)).toBe(0);
      expect(Number(loads.find((l) => l.source === 'office_db')!.rows)).toBe(2 + 2 + 2); // debtors, cases, payments

      // Both offices in one set of clean tables; the database office's debtors scored and placed.
      const byOffice = new Map(((await knex('clean.debtors').select('office_code').count({ n: '*' }).groupBy('office_code')) as { office_code: string; n: unknown }[]).map((r) => [r.office_code, Number(r.n)]));
      expect(byOffice.get('ETU09')).toBe(2);
      expect([...byOffice.keys()].filter((o) => o !== 'ETU09').length).toBeGreaterThan(0);
      const fromDb = (await knex('clean.debtors').where({ office_code: 'ETU09' }).pluck('debtor_id')) as string[];
      const scored = (await knex('scoring.scores').where({ as_of: LIST_DATE }).whereIn('debtor_id', fromDb).pluck('debtor_id')) as string[];
      expect(scored.sort()).toEqual([...fromDb].sort());
      const placed = await Promise.all(['dialer.call_list', 'dialer.holdout', 'dialer.deferred', 'dialer.exclusions'].map(async (table) => (await knex(table).where({ list_date: LIST_DATE }).whereIn('debtor_id', fromDb).pluck('debtor_id')) as string[]));
      expect(new Set(placed.flat())).toEqual(new Set(fromDb));
      await resources.close();
    } finally {
      await t.close();
      await admin.raw(`drop database if exists \`${office}\``);
      await admin.destroy();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
