import { isErrorNamed } from '../../../src/core/errors';
import { columnDrift } from '../../../src/monitoring/drift/column-drift';
import { buildDriftReport, distributionRows, driftColumnRecord, type DriftFeatureInput } from '../../../src/monitoring/drift/drift-report';
import type { DriftColumn } from '../../../src/monitoring/store';
import { loadEdgeCases, loadScenario } from './drift-fixtures';

const scenario = loadScenario('large_drift');
const features: DriftFeatureInput[] = Object.entries(scenario.expected.columns).map(([name, e]) => ({
  name,
  type: e.type,
  reference: scenario.reference[name] ?? [],
  current: scenario.current[name] ?? [],
}));

describe('drift report', () => {
  const report = buildDriftReport(features);

  test('each feature carries its test, score, flag and PSI, and the dataset verdict is evidently’s', () => {
    for (const c of report.columns) {
      const e = scenario.expected.columns[c.feature];
      expect({ f: c.feature, test: c.test, drift: c.drift, psiDrift: c.psiDrift, threshold: c.threshold, psiThreshold: c.psiThreshold })
        .toEqual({ f: c.feature, test: e?.test, drift: e?.drift, psiDrift: e?.psi_drift, threshold: e?.threshold, psiThreshold: e?.psi_threshold });
      expect(c.score).toBeCloseTo(e?.score as number, 12);
      expect(c.psi).toBeCloseTo(e?.psi as number, 12);
    }
    const d = scenario.expected.dataset;
    expect(report.dataset).toEqual({ nColumns: d.n_columns, nDrifted: d.n_drifted, share: d.share, driftShare: d.drift_share, datasetDrift: d.dataset_drift });
    expect(report.datasetByPsi.nDrifted).toBe(scenario.expected.dataset_if_psi_for_all_columns.n_drifted);
    expect([report.nReferenceRows, report.nCurrentRows]).toEqual([5000, 3000]);
  });

  test('is plain JSON: it survives a round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test('numerical features chart counts on edges shared by both sides; categorical ones chart shares', () => {
    const x = report.columns.find((c) => c.feature === 'x_lognormal');
    if (x?.distribution.kind !== 'histogram') throw new Error('x_lognormal should be a histogram');
    const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
    expect([sum(x.distribution.referenceCounts), sum(x.distribution.currentCounts)]).toEqual([x.nReference, x.nCurrent]);
    expect(x.distribution.edges).toHaveLength(x.distribution.referenceCounts.length + 1);
    const color = report.columns.find((c) => c.feature === 'color');
    if (color?.distribution.kind !== 'categories') throw new Error('color should be categories');
    expect(color.distribution.categories).toEqual(['blue', 'green', 'purple', 'red', 'yellow']);
    expect(color.distribution.referenceShares[2]).toBe(0);
    expect(sum(color.distribution.currentShares)).toBeCloseTo(1, 14);
  });

  test('a chosen test and threshold replace the default, and the drift share is configurable', () => {
    const one = features.filter((f) => f.name === 'age').map((f) => ({ ...f, test: 'ks' as const, threshold: 0.5 }));
    const r = buildDriftReport(one, { driftShare: 1 });
    const direct = columnDrift(one[0]?.reference ?? [], one[0]?.current ?? [], 'num', { test: 'ks', threshold: 0.5 });
    expect(r.columns[0]).toMatchObject({ test: 'ks', threshold: 0.5, score: direct.score, drift: direct.drift, statistic: (direct.details as { statistic: number }).statistic });
    expect(r.dataset.driftShare).toBe(1);
    expect(r.dataset.datasetDrift).toBe(direct.drift);
  });

  test('an infinite chi-square is stored as "inf" in the report and null in the column record', () => {
    const c = loadEdgeCases().find((e) => e.name === 'chisquare_value_only_in_current');
    if (!c) throw new Error('edge case missing');
    const r = buildDriftReport([{ name: 'office', type: c.type, reference: c.reference, current: c.current }]);
    const col = r.columns[0];
    if (!col) throw new Error('no column');
    expect([col.test, col.statistic, col.score, col.drift]).toEqual(['chisquare', 'inf', 0, true]);
    const record: DriftColumn = driftColumnRecord(col);
    expect(record).toMatchObject({ feature: 'office', method: 'chisquare', statistic: null, pValue: 0, drifted: true, referenceMissingShare: 0 });
    expect(record.distribution).toEqual([
      { bin: 'a', reference: 0.4, current: 0.375 },
      { bin: 'b', reference: 0.3, current: 0.25 },
      { bin: 'c', reference: 0.3, current: 0.25 },
      { bin: 'd', reference: 0, current: 0.125 },
    ]);
  });

  test('column records carry missing shares, and p-values only for p-value tests', () => {
    const ln = report.columns.find((c) => c.feature === 'x_lognormal');
    if (!ln) throw new Error('no x_lognormal');
    const rec = driftColumnRecord(ln);
    expect(rec.pValue).toBeNull();
    expect(rec.statistic).toBeCloseTo(scenario.expected.columns.x_lognormal?.details.wasserstein_raw as number, 12);
    expect(rec.referenceMissingShare).toBe(ln.nReferenceMissing / 5000);
    expect(rec.currentMissingShare).toBe(ln.nCurrentMissing / 3000);
    expect(rec.distribution[0]?.bin.startsWith('[')).toBe(true);
    expect(rec.distribution[rec.distribution.length - 1]?.bin.endsWith(']')).toBe(true);
    expect(rec.distribution.reduce((s, b) => s + b.reference, 0)).toBeCloseTo(1, 12);
  });

  test('distribution rows label histogram bins half-open, the last one closed', () => {
    expect(distributionRows({ kind: 'histogram', edges: [0, 1, 2], referenceCounts: [1, 3], currentCounts: [2, 0] })).toEqual([
      { bin: '[0, 1)', reference: 0.25, current: 1 },
      { bin: '[1, 2]', reference: 0.75, current: 0 },
    ]);
  });

  test('refuses duplicate features and features with nothing left on one side', () => {
    const f = features[0] as DriftFeatureInput;
    const errorName = (fn: () => unknown): string | undefined => {
      try { fn(); } catch (e) { return isErrorNamed(e, 'ValidationError') ? (e as Error).message : `other: ${String(e)}`; }
      return undefined;
    };
    expect(errorName(() => buildDriftReport([f, f]))).toMatch(/appears twice/);
    expect(errorName(() => buildDriftReport([{ ...f, current: [null, NaN, Infinity] }]))).toMatch(/no non-missing value in the current/);
    expect(errorName(() => buildDriftReport([{ ...f, reference: [1, 'x', 2] }]))).toMatch(/numerical column holds the string "x"/);
  });
});
