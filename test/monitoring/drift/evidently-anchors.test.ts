/**
 * relance's drift statistics against evidently's own numbers (../shared/anchors/drift): test
 * choice, drift flags and dataset drift exactly; p-values within 1e-6 absolute, distances within
 * 1e-9 relative, details within 1e-12 relative.
 */
import { columnDrift, type ColumnDriftResult } from '../../../src/monitoring/drift/column-drift';
import type { ColumnType, ColumnValue } from '../../../src/monitoring/drift/column-values';
import { datasetDrift } from '../../../src/monitoring/drift/dataset-drift';
import { DRIFT_TESTS } from '../../../src/monitoring/drift/drift-tests';
import {
  SCENARIOS, expectAbsolute, expectRelative, expectRelativeArray, loadEdgeCases, loadScenario,
  type ExpectedColumn, type ExpectedDataset,
} from './drift-fixtures';

const P_VALUE_ABS = 1e-6;
const DISTANCE_REL = 1e-9;
const DETAIL_REL = 1e-12;
/** The exact KS recursion is a port of scipy's, so its p-values agree far beyond 1e-6. */
const KS_EXACT_REL = 1e-12;

const num = (v: unknown): number => v as number;
const nums = (v: unknown): number[] => v as number[];

/** Checks every key of the fixture's `details`; an unknown key fails, so none goes unchecked. */
function checkDetails(r: ColumnDriftResult, psi: ColumnDriftResult, d: Record<string, unknown>, where: string): void {
  const checked = new Set<string>();
  const eq = (key: string, actual: unknown): void => {
    checked.add(key);
    expect({ where, key, value: actual }).toEqual({ where, key, value: d[key] });
  };
  const rel = (key: string, actual: number): void => {
    checked.add(key);
    expectRelative(actual, num(d[key]), DETAIL_REL, `${where} ${key}`);
  };
  const relArray = (key: string, actual: readonly number[]): void => {
    checked.add(key);
    expectRelativeArray(actual, nums(d[key]), DETAIL_REL, `${where} ${key}`);
  };
  eq('n_reference', r.nReference);
  eq('n_current', r.nCurrent);
  eq('n_reference_missing', r.nReferenceMissing);
  eq('n_current_missing', r.nCurrentMissing);
  eq('n_unique_combined', r.nUniqueCombined);
  eq('n_unique_reference', r.nUniqueReference);
  eq('drift_rule', r.rule);
  const t = r.details;
  switch (t.test) {
    case 'ks':
      rel('ks_statistic', t.statistic);
      eq('ks_method', t.method);
      eq('ks_lcm', t.lcm);
      eq('ks_h', t.h);
      break;
    case 'chisquare':
      if (d.chi2_statistic === 'inf') eq('chi2_statistic', t.statistic === Infinity ? 'inf' : t.statistic);
      else rel('chi2_statistic', t.statistic);
      eq('chi2_dof', t.dof);
      eq('categories', t.categories);
      eq('reference_counts', t.referenceCounts);
      eq('current_counts', t.currentCounts);
      break;
    case 'z':
      if (d.z_statistic === null) eq('z_statistic', t.statistic);
      else rel('z_statistic', t.statistic as number);
      if ('z_reference_key' in d) eq('z_reference_key', t.referenceKey);
      break;
    case 'wasserstein_normed':
      rel('wasserstein_raw', t.distance);
      rel('reference_std_ddof0', t.scale);
      break;
    case 'jensenshannon':
      eq('js_binning', t.shares.binning);
      if (t.shares.binning === 'categories') eq('js_categories', t.shares.categories);
      else relArray('js_bin_edges', t.shares.edges);
      relArray('js_reference_shares', t.shares.referenceShares);
      relArray('js_current_shares', t.shares.currentShares);
      break;
    default:
      throw new Error(`${where}: unexpected default test ${t.test}`);
  }
  if (psi.details.test !== 'psi') throw new Error('psi run returned another test');
  const s = psi.details.shares;
  eq('psi_binning', s.binning);
  if (s.binning === 'categories') eq('psi_categories', s.categories);
  else relArray('psi_bin_edges', s.edges);
  relArray('psi_reference_shares', s.referenceShares);
  relArray('psi_current_shares', s.currentShares);
  expect(Object.keys(d).filter((k) => !checked.has(k))).toEqual([]);
}

/** Runs the default test and PSI on one column and checks them against the fixture. */
function checkColumn(reference: ColumnValue[], current: ColumnValue[], type: ColumnType, e: ExpectedColumn, where: string): { drift: boolean; psiDrift: boolean } {
  const r = columnDrift(reference, current, type, { name: where });
  const psi = columnDrift(reference, current, type, { test: 'psi', name: where });
  expect({ where, test: r.test, threshold: r.threshold, drift: r.drift }).toEqual({ where, test: e.test, threshold: e.threshold, drift: e.drift });
  if (DRIFT_TESTS[r.test].score === 'p_value') {
    expectAbsolute(r.score, e.score, P_VALUE_ABS, `${where} p-value`);
    if (r.details.test === 'ks' && r.details.method === 'exact') expectRelative(r.score, e.score, KS_EXACT_REL, `${where} exact KS p-value`);
  } else {
    expectRelative(r.score, e.score, DISTANCE_REL, `${where} distance`);
  }
  expect({ where, psiThreshold: psi.threshold, psiDrift: psi.drift }).toEqual({ where, psiThreshold: e.psi_threshold, psiDrift: e.psi_drift });
  expectRelative(psi.score, e.psi, DISTANCE_REL, `${where} psi`);
  checkDetails(r, psi, e.details, where);
  return { drift: r.drift, psiDrift: psi.drift };
}

function asExpectedDataset(d: ReturnType<typeof datasetDrift>): ExpectedDataset {
  return { n_columns: d.nColumns, n_drifted: d.nDrifted, share: d.share, drift_share: d.driftShare, dataset_drift: d.datasetDrift };
}

describe('drift statistics match evidently on the anchor scenarios', () => {
  test.each(SCENARIOS)('%s: every column and the dataset verdict', (name) => {
    const s = loadScenario(name);
    const columns = Object.entries(s.expected.columns);
    expect(columns).toHaveLength(8);
    const flags = columns.map(([column, e]) => {
      const ref = s.reference[column] as ColumnValue[];
      const cur = s.current[column] as ColumnValue[];
      expect([ref.length, cur.length]).toEqual([s.expected.n_reference_rows, s.expected.n_current_rows]);
      return checkColumn(ref, cur, e.type, e, `${name}.${column}`);
    });
    expect(asExpectedDataset(datasetDrift(flags.map((f) => f.drift)))).toEqual(s.expected.dataset);
    expect(asExpectedDataset(datasetDrift(flags.map((f) => f.psiDrift)))).toEqual(s.expected.dataset_if_psi_for_all_columns);
  });
});

describe('drift statistics match evidently on the edge cases', () => {
  const cases = loadEdgeCases();
  test('all eleven cases are present', () => {
    expect(cases).toHaveLength(11);
  });
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.expected.type).toBe(c.type);
    checkColumn(c.reference, c.current, c.type, c.expected, c.name);
  });
});
