/**
 * Office training on a small synthetic office: models are calibrated on out-of-fold predictions
 * and scoring applies the calibration; the champion is compared with a challenger on the
 * challenger's own holdout (its metrics there equal those it was registered with when the holdout
 * is the same), and a model trained on older data never replaces one trained on newer data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compileConfig, loadConfig } from '../../src/config';
import { synthesize } from '../../src/synth';
import { createResources, type PipelineResources } from '../../src/pipeline/resources';
import { cleanStep, extractStep, sourceNames } from '../../src/pipeline/nightly-steps';
import { trainOnOffice } from '../../src/pipeline/train-office';
import { scoreSnapshot } from '../../src/pipeline/score-snapshot';
import { computeFeatureSnapshot, readTrainingSets, selectFeatures } from '../../src/features';
import { getAliasVersion, getModelVersion } from '../../src/model/registry';
import { CalibratedModel, storedCalibration } from '../../src/model/calibrated-model';
import { fitPlatt } from '../../src/model/calibration';
import { loadFittedModel } from '../../src/model/model-kinds';
import { createLogger, type Logger } from '../../src/core/log';
import { engines, type TestDatabase } from '../helpers/db';

const LIST_DATE = '2026-11-24';

describe.each(engines)('office training on $name', ({ open }) => {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-train-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Runs `fn` on a fresh database holding the office of `config`, extracted and cleaned. */
  async function withLoadedOffice(config: ReturnType<typeof compileConfig>, fn: (t: TestDatabase, resources: PipelineResources, log: Logger) => Promise<void>) {
    const t = await open();
    const resources: PipelineResources = await createResources(config, { db: t.db });
    const log = createLogger({ level: 'error' });
    try {
      for (const source of sourceNames(resources)) await extractStep(resources, source, { runId: 'r1', log });
      await cleanStep(resources, { runId: 'r1', asOf: LIST_DATE, log });
      await fn(t, resources, log);
    } finally {
      await resources.close();
      await t.close();
    }
  }

  /** A 900-debtor synthetic office of its own and a logistic-only configuration over 4 snapshots. */
  async function officeConfig(name: string, seed: number, calibration: Record<string, unknown>) {
    const dir = path.join(work, 'exports', name);
    await synthesize({ debtors: 900, seed, outDir: dir, asOf: LIST_DATE });
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    return compileConfig({
      ...base,
      home: path.join(work, `home-${name}`),
      sources: base.sources.map((s) => ({ ...s, dir })),
      scoring: { ...base.scoring, models: ['logistic'], trainingSnapshots: 4, calibration },
    });
  }

  test('calibrated models, compared with the champion on the same holdout; older data never wins', async () => {
    const config = await officeConfig('home', 5, { method: 'platt', folds: 3 });
    await withLoadedOffice(config, async (t, resources, log) => {

      const first = await trainOnOffice(resources, { asOf: LIST_DATE, trigger: 'test', log });
      expect(first.decision).toMatchObject({ promoted: true });
      const champion = await getModelVersion(t.db.knex, first.results[0]!.versionId);
      const holdout = first.snapshotDates[first.snapshotDates.length - 1]!;
      expect(champion.holdoutAsOf).toBe(holdout);
      const calibration = storedCalibration(champion.model);
      expect(calibration.kind).toBe('platt');
      expect(champion.metrics.ece).toBeGreaterThanOrEqual(0);
      expect((champion.metrics.reliability as { count: number }[]).reduce((s, b) => s + b.count, 0)).toBe(champion.metrics.rows);

      // Scoring applies the calibration: P(pay) = σ(slope · raw + intercept), raw being the model's log-odds.
      await computeFeatureSnapshot(t.db, { asOf: LIST_DATE, timeZone: config.timezone, current: true });
      await scoreSnapshot(t.db, { asOf: LIST_DATE });
      if (calibration.kind !== 'platt') throw new Error('expected Platt');
      const scores = (await t.db.knex('scoring.scores').where({ as_of: LIST_DATE }).select('p_pay', 'raw_score')) as { p_pay: number; raw_score: number }[];
      expect(scores.length).toBeGreaterThan(100);
      for (const s of scores.slice(0, 50)) expect(Number(s.p_pay)).toBeCloseTo(1 / (1 + Math.exp(-(calibration.slope * Number(s.raw_score) + calibration.intercept))), 9);

      // The same data again: the champion is judged on the challenger's holdout with the same
      // threshold rule, which is the holdout it was registered with, so its metrics are the same.
      const again = await trainOnOffice(resources, { asOf: LIST_DATE, trigger: 'test', log });
      expect(again.comparison).toBeDefined();
      expect(again.comparison!.holdoutAsOf).toBe(holdout);
      expect(again.comparison!.championVersionId).toBe(champion.versionId);
      expect(again.comparison!.champion.auc).toBeCloseTo(champion.metrics.auc, 12);
      expect(again.comparison!.champion.cost).toBeCloseTo(champion.metrics.cost, 12);
      expect(again.comparison!.champion.threshold).toBeCloseTo(champion.threshold!, 12);

      // A challenger from older data: its holdout is older than the champion's, it is never promoted.
      const older = await trainOnOffice(resources, { asOf: '2026-08-20', trigger: 'test', log });
      // Its stored metrics (on its own, older holdout) are better on both counts: they once sufficed.
      expect(older.results[0]!.metrics.auc).toBeGreaterThan(champion.metrics.auc);
      expect(older.results[0]!.metrics.cost).toBeLessThan(champion.metrics.cost);
      expect(older.decision.promoted).toBe(false);
      expect(older.decision.reason).toMatch(/data ends before the champion's/);
      expect((await getAliasVersion(t.db.knex, 'champion'))!.versionId).toBe(again.decision.championVersionId);
    });
  });

  test('calibration on the validation snapshot: Platt fitted on the model\'s own predictions of that snapshot, no out-of-fold fit', async () => {
    const config = await officeConfig('validation', 6, { method: 'platt', on: 'validation', folds: 3 });
    await withLoadedOffice(config, async (t, resources, log) => {
      const trained = await trainOnOffice(resources, { asOf: LIST_DATE, trigger: 'test', log });
      const version = await getModelVersion(t.db.knex, trained.results[0]!.versionId);
      const stored = storedCalibration(version.model);
      if (stored.kind !== 'platt') throw new Error('expected Platt');
      const sets = await readTrainingSets(t.db.knex, { dates: trained.snapshotDates, horizonDays: config.scoring.horizonDays, maxFitRows: config.scoring.maxFitRows });
      const model = loadFittedModel(version.model);
      const uncalibrated = model instanceof CalibratedModel ? model.base : model;
      const expected = fitPlatt(uncalibrated.predictProba(selectFeatures(sets.valid, uncalibrated.featureNames)), sets.valid.y);
      if (expected.kind !== 'platt') throw new Error('expected Platt');
      expect(stored.slope).toBeCloseTo(expected.slope, 9);
      expect(stored.intercept).toBeCloseTo(expected.intercept, 9);
    });
  });
});
