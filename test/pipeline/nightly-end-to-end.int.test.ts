/**
 * The whole nightly path on a small synthetic office, through the real DAGs and the inline
 * executor, on PGlite and on Postgres: retrain, then the nightly list; checked against the office's
 * ground truth, and re-run to prove the list is replaced, not duplicated.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileConfig, loadConfig } from '../../src/config';
import { synthesize } from '../../src/synth';
import { createResources } from '../../src/pipeline/resources';
import { DAGS_DIR, loadDagRegistry, PgRunStore, runDag } from '../../src/orchestrator';
import type { PipelineResources } from '../../src/pipeline/resources';
import { engines } from '../helpers/db';
import { getAliasVersion } from '../../src/model/registry';
import { loadFittedModel } from '../../src/model/model-kinds';
import { featurePhrasebook, readFeatureRows, selectFeatures, toModelFrame } from '../../src/features';
import { probabilitiesFromRaw } from '../../src/model/calibrated-model';
import { buildCallList } from '../../src/ranking';
import { topContributions } from '../../src/pipeline/score-snapshot';

const LIST_DATE = '2026-11-24';
const RUN_DATE = '2026-11-23'; // the nightly run whose data interval ends on the list date

describe.each(engines)('nightly call list end to end on $name', ({ open }) => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-e2e-'));
  const exportDir = path.join(work, 'exports', 'latest');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('retrain then nightly publish a complete, ranked, explained list that puts first the debtors a call helps (likely payers first by propensity); a re-run replaces it identically', async () => {
    await synthesize({ debtors: 1500, seed: 3, outDir: exportDir, asOf: LIST_DATE });
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    const config = compileConfig({
      ...base,
      home: path.join(work, 'home'),
      sources: base.sources.map((s) => ({ ...s, dir: exportDir })),
      scoring: { ...base.scoring, trainingSnapshots: 6 },
      // capacity for everyone, so the whole eligible population is ranked
      ranking: { ...base.ranking, teams: [{ id: 'all', agents: 100, hours: '09:00-18:00', minutesPerCall: 6, occupancy: 0.8, portfolio: {} }] },
    });
    const t = await open();
    const resources: PipelineResources = await createResources(config, { db: t.db });
    try {
      const registry = loadDagRegistry<PipelineResources>(DAGS_DIR, config.dags);
      const store = new PgRunStore(t.db);
      const run = (dagId: string, rerun = false) => runDag(registry.get(dagId), { date: RUN_DATE, resources, store, rerun, sleep: () => Promise.resolve() });

      const retrain = await run('retrain');
      expect(retrain.instances.filter((i) => i.state !== 'success').map((i) => `${i.taskId}: ${i.state} ${i.error ?? ''}`)).toEqual([]);
      const nightly = await run('nightly_call_list');
      expect(nightly.instances.filter((i) => i.state !== 'success').map((i) => `${i.taskId}: ${i.state} ${i.error ?? ''}`)).toEqual([]);
      expect(nightly.run.state).toBe('success');
      // every task recorded its timing
      for (const i of nightly.instances) expect(i.durationMs).toBeGreaterThanOrEqual(0);

      const { knex } = t.db;
      const list = (await knex('dialer.call_list').where({ list_date: LIST_DATE }).orderBy(['team_id', 'rank'])) as Record<string, unknown>[];
      const scored = (await knex('scoring.scores').where({ as_of: LIST_DATE }).pluck('debtor_id')) as string[];
      expect(list.length).toBeGreaterThan(500);

      // ranks are 1..N and every debtor is on the list once
      expect(list.map((r) => r.rank)).toEqual(list.map((_, i) => i + 1));
      expect(new Set(list.map((r) => r.debtor_id)).size).toBe(list.length);

      // every scored debtor is accounted for exactly once: listed, control group, deferred, or excluded
      const holdout = (await knex('dialer.holdout').where({ list_date: LIST_DATE }).pluck('debtor_id')) as string[];
      const deferred = (await knex('dialer.deferred').where({ list_date: LIST_DATE }).pluck('debtor_id')) as string[];
      const excluded = [...new Set((await knex('dialer.exclusions').where({ list_date: LIST_DATE }).pluck('debtor_id')) as string[])];
      const placed = [...list.map((r) => r.debtor_id as string), ...holdout, ...deferred, ...excluded];
      expect(new Set(placed).size).toBe(placed.length);
      expect([...placed].sort()).toEqual([...scored].sort());

      // every listed debtor has a score with its explanation and reasons; debtors only excluded are not explained
      const scores = (await knex('scoring.scores').where({ as_of: LIST_DATE }).select('debtor_id', 'explanation', 'p_pay', 'raw_score', 'expected_value')) as Record<string, unknown>[];
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as { feature: string; value: number | null; contribution: number }[] | null;
      const stored = new Map(scores.map((s) => [s.debtor_id as string, parse(s.explanation)]));
      for (const r of list) expect(stored.get(r.debtor_id as string)?.length).toBeGreaterThan(0);
      // every row says why: the model's reasons, or why the call matters (a persuadable debtor may have no fact raising P(pay))
      const json = (v: unknown): unknown[] => (typeof v === 'string' ? JSON.parse(v) : v) as unknown[];
      for (const r of list.slice(0, 50)) expect(json(r.reasons).length + json(r.call_reasons).length).toBeGreaterThan(0);
      const shown = new Set([...list.map((r) => r.debtor_id as string), ...holdout, ...deferred]);
      const onlyExcluded = excluded.filter((id) => !shown.has(id));
      expect(onlyExcluded.length).toBeGreaterThan(0);
      for (const id of onlyExcluded) expect(stored.get(id)).toBeNull();

      // what is shown is what the full explanation of every debtor gives: same P(pay), same contributions, same list and reasons
      const champion = (await getAliasVersion(knex, 'champion'))!;
      const model = loadFittedModel(champion.model);
      const frame = selectFeatures(toModelFrame(await readFeatureRows(t.db, LIST_DATE)), model.featureNames);
      const full = model.explain(frame);
      const pFull = probabilitiesFromRaw(model, full.rawScores);
      const pById = new Map(scores.map((s) => [s.debtor_id as string, Number(s.p_pay)]));
      for (let i = 0; i < frame.nRows; i++) {
        const id = frame.debtorIds[i] as string;
        expect(pById.get(id)).toBeCloseTo(pFull[i] as number, 12);
        const explanation = stored.get(id);
        if (explanation) expect(explanation).toEqual(topContributions(frame, full.contributions, i));
      }
      const allExplained = frame.debtorIds.map((id, i) => ({ debtor_id: id, explanation: JSON.stringify(topContributions(frame, full.contributions, i)) }));
      await knex.raw(
        `update scoring.scores s set explanation = v.explanation::jsonb
           from jsonb_to_recordset(?::jsonb) as v(debtor_id text, explanation text)
          where s.as_of = ? and s.debtor_id = v.debtor_id`,
        [JSON.stringify(allExplained), LIST_DATE],
      );
      const fromFull = await buildCallList(t.db, { listDate: LIST_DATE, runId: 'check', ranking: config.ranking, timeZone: config.timezone, phrasebook: featurePhrasebook });
      expect(fromFull.rows.map((r) => [r.debtorId, r.rank, r.reasons])).toEqual(list.map((r) => [r.debtor_id, r.rank, typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons]));

      // The list is ordered by what the call adds (the default objective): its top 10 % gains (in
      // truth) at least twice as much from a call as its bottom 10 %. Ordered by propensity, the top
      // 10 % pays (in truth) at least twice as often as the bottom 10 %.
      const truthColumn = (file: string, column: number): Map<string, number> =>
        new Map(readFileSync(path.join(path.dirname(exportDir), 'latest-truth', file), 'utf8').trim().split('\n').slice(1).map((line) => {
          const f = line.split(';');
          return [f[0] as string, Number(f[column])];
        }));
      const keys = (await knex('clean.debtor_keys').select('debtor_id', 'source_debtor_id')) as { debtor_id: string; source_debtor_id: string }[];
      const byDebtor = (truth: Map<string, number>) => new Map(keys.filter((k) => truth.has(k.source_debtor_id)).map((k) => [k.debtor_id, truth.get(k.source_debtor_id) as number]));
      const upliftHeader = readFileSync(path.join(path.dirname(exportDir), 'latest-truth', 'uplift.csv'), 'utf8').split('\n')[0]!.split(';');
      expect(upliftHeader[0]).toBe('id_debiteur');
      const trueUplift = byDebtor(truthColumn('uplift.csv', upliftHeader.indexOf('uplift_amount')));
      const truePay = byDebtor(truthColumn('ground_truth.csv', 2));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const topAndBottom = (ids: string[], truth: Map<string, number>) => {
        const v = ids.map((id) => truth.get(id) as number);
        expect(v.every((x) => Number.isFinite(x))).toBe(true);
        const tenth = Math.floor(v.length / 10);
        return [mean(v.slice(0, tenth)), mean(v.slice(-tenth))] as const;
      };
      const [upTop, upBottom] = topAndBottom(list.map((r) => r.debtor_id as string), trueUplift);
      expect(upTop).toBeGreaterThanOrEqual(2 * upBottom);
      const byPropensity = await buildCallList(t.db, { listDate: LIST_DATE, runId: 'check', ranking: { ...config.ranking, objective: 'propensity' }, timeZone: config.timezone });
      const [payTop, payBottom] = topAndBottom(byPropensity.rows.map((r) => r.debtorId), truePay);
      expect(payTop).toBeGreaterThanOrEqual(2 * payBottom);

      // running the nightly DAG again for the same date leaves one list, identical
      const again = await run('nightly_call_list', true);
      expect(again.run.state).toBe('success');
      const strip = (rows: Record<string, unknown>[]) => rows.map(({ published_at: _p, ...rest }) => rest);
      const list2 = (await knex('dialer.call_list').where({ list_date: LIST_DATE }).orderBy(['team_id', 'rank'])) as Record<string, unknown>[];
      expect(strip(list2)).toEqual(strip(list));
      const runs = await knex('orchestrator.dag_runs').where({ dag_id: 'nightly_call_list' }).count<{ n: number }[]>('* as n');
      expect(runs[0]!.n).toBe(1);
    } finally {
      await resources.close();
      await t.close();
    }
  }, 360_000);
});
