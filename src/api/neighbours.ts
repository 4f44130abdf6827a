/**
 * Comparison of one debtor with all debtors of a snapshot and with its nearest neighbours on the
 * model's features (Euclidean distance on standardised columns, a missing value counting as the
 * column mean). Pure: takes a model frame, returns numbers for the debtor page's charts.
 */
import type { ModelFrame } from '../features';

/** One feature compared with the population and the neighbours. */
export interface FeatureComparison {
  feature: string;
  value: number | null;
  /** Histogram of the population: bins [x0, x1) with counts, and the neighbours' counts. */
  bins: { x0: number; x1: number; population: number; neighbours: number }[];
  /** Share of the population under the debtor's value (null when missing). */
  populationPercentile: number | null;
  populationMedian: number | null;
  neighboursMedian: number | null;
}

/** Per-column mean and standard deviation over non-missing values. */
export interface ColumnStats {
  mean: Float64Array;
  sd: Float64Array;
}

/** Means and standard deviations of every column of a frame. */
export function columnStats(frame: ModelFrame): ColumnStats {
  const { nRows, nCols, data } = frame;
  const mean = new Float64Array(nCols);
  const sd = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) {
    let n = 0;
    let s = 0;
    let ss = 0;
    for (let i = 0; i < nRows; i++) {
      const v = data[i * nCols + j] as number;
      if (Number.isNaN(v)) continue;
      n++;
      s += v;
      ss += v * v;
    }
    const m = n ? s / n : 0;
    mean[j] = m;
    sd[j] = n > 1 ? Math.sqrt(Math.max(0, ss / n - m * m)) : 0;
  }
  return { mean, sd };
}

/** Row indices of the `k` nearest rows to `row` (itself excluded), nearest first. */
export function nearestRows(frame: ModelFrame, row: number, k: number, stats: ColumnStats = columnStats(frame)): number[] {
  const { nRows, nCols, data } = frame;
  const z = (i: number, j: number): number => {
    const v = data[i * nCols + j] as number;
    const sd = stats.sd[j] as number;
    return Number.isNaN(v) || sd === 0 ? 0 : (v - (stats.mean[j] as number)) / sd;
  };
  const target = Float64Array.from({ length: nCols }, (_, j) => z(row, j));
  const best: { i: number; d: number }[] = [];
  for (let i = 0; i < nRows; i++) {
    if (i === row) continue;
    let d = 0;
    for (let j = 0; j < nCols; j++) {
      const diff = z(i, j) - (target[j] as number);
      d += diff * diff;
    }
    if (best.length < k) {
      best.push({ i, d });
      if (best.length === k) best.sort((a, b) => a.d - b.d);
    } else if (d < (best[k - 1] as { d: number }).d) {
      let at = k - 1;
      while (at > 0 && (best[at - 1] as { d: number }).d > d) at--;
      best.splice(at, 0, { i, d });
      best.pop();
    }
  }
  return best.sort((a, b) => a.d - b.d).map((b) => b.i);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Compares row `row` with the population and its neighbours on each of `features`. */
export function compareFeatures(frame: ModelFrame, row: number, neighbours: readonly number[], features: readonly string[], nBins = 20): FeatureComparison[] {
  const { nRows, nCols, data } = frame;
  return features.flatMap((feature) => {
    const j = frame.featureNames.indexOf(feature);
    if (j < 0) return [];
    const values: number[] = [];
    for (let i = 0; i < nRows; i++) {
      const v = data[i * nCols + j] as number;
      if (!Number.isNaN(v)) values.push(v);
    }
    const own = data[row * nCols + j] as number;
    const near = neighbours.map((i) => data[i * nCols + j] as number).filter((v) => !Number.isNaN(v));
    // Bins over the 1st–99th percentiles, so that one extreme balance does not flatten the chart.
    const sorted = [...values].sort((a, b) => a - b);
    const lo = sorted[Math.floor(0.01 * (sorted.length - 1))] ?? 0;
    const hi = sorted[Math.ceil(0.99 * (sorted.length - 1))] ?? 0;
    // Counts (calls, payments) get one bin per value, centred on it; other features equal widths.
    const integral = sorted.every((v) => Number.isInteger(v)) && hi - lo < 2 * nBins;
    const count = integral ? hi - lo + 1 : hi > lo ? nBins : 1;
    const start = integral ? lo - 0.5 : lo;
    const width = integral ? 1 : hi > lo ? (hi - lo) / count : 1;
    const bins = Array.from({ length: count }, (_, b) => ({ x0: start + b * width, x1: start + (b + 1) * width, population: 0, neighbours: 0 }));
    const binOf = (v: number) => Math.min(count - 1, Math.max(0, Math.floor((v - start) / width)));
    for (const v of values) (bins[binOf(v)] as { population: number }).population++;
    for (const v of near) (bins[binOf(v)] as { neighbours: number }).neighbours++;
    let below = 0;
    if (!Number.isNaN(own)) for (const v of values) if (v < own) below++;
    return [
      {
        feature,
        value: Number.isNaN(own) ? null : own,
        bins,
        populationPercentile: Number.isNaN(own) || values.length === 0 ? null : below / values.length,
        populationMedian: median(values),
        neighboursMedian: median(near),
      },
    ];
  });
}
