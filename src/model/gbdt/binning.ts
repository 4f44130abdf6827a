/**
 * Quantile binning: each feature's values become at most 255 bin codes (0–254), and bin 255 holds
 * the missing values, so one histogram per feature has a fixed stride of 256 bins.
 */
import { ValidationError } from '../../core/errors';
import type { FeatureMatrix } from '../classifier';
import { radixSorted } from '../quantile';

/** Bin code of a missing value (NaN, or a category not seen in training). */
export const MISSING_BIN = 255;
/** Histogram slots per feature: the value bins plus the missing bin. */
export const BINS_PER_FEATURE = 256;

/** How a numeric feature's raw values map to bins: value ≤ upperBounds[b] (first such b). */
export interface NumericBinning {
  readonly kind: 'numeric';
  /** Increasing upper bounds; the last is +Infinity. */
  readonly upperBounds: Float64Array;
}

/** How a categorical feature's integer codes map to bins; rare or unseen codes share the missing bin. */
export interface CategoricalBinning {
  readonly kind: 'categorical';
  /** Category code held by each bin. */
  readonly categories: Float64Array;
  readonly binOf: ReadonlyMap<number, number>;
}

/** A feature's binning, numeric or categorical. */
export type FeatureBinning = NumericBinning | CategoricalBinning;

/** Number of value bins (excluding the missing bin) of a feature. */
export function valueBinCount(binning: FeatureBinning): number {
  return binning.kind === 'numeric' ? binning.upperBounds.length : binning.categories.length;
}

function numericBinning(sorted: Float64Array, maxBins: number): NumericBinning {
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    if (values.length > 0 && values[values.length - 1] === v) counts[counts.length - 1]! += 1;
    else {
      values.push(v);
      counts.push(1);
    }
  }
  const bounds: number[] = [];
  if (values.length <= maxBins) {
    for (let i = 0; i + 1 < values.length; i++) bounds.push((values[i]! + values[i + 1]!) / 2);
  } else {
    // Greedy equal-mass cuts, re-aimed after each cut so a heavy value (a spike at 0) gets its own
    // bin without starving the remaining range of bins.
    let binsLeft = maxBins;
    let rest = sorted.length;
    let acc = 0;
    for (let i = 0; i + 1 < values.length && binsLeft > 1; i++) {
      acc += counts[i]!;
      const target = rest / binsLeft;
      const nextHeavy = counts[i + 1]! >= target;
      if (acc >= target || nextHeavy) {
        bounds.push((values[i]! + values[i + 1]!) / 2);
        rest -= acc;
        acc = 0;
        binsLeft--;
      }
    }
  }
  bounds.push(Infinity);
  return { kind: 'numeric', upperBounds: Float64Array.from(bounds) };
}

function categoricalBinning(values: Float64Array, maxBins: number, feature: string): CategoricalBinning {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v) || v < 0) {
      throw new ValidationError(`categorical feature ${feature} must hold integer codes ≥ 0, got ${v}`, { context: { field: feature } });
    }
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const kept = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxBins);
  const categories = Float64Array.from(kept.map(([code]) => code));
  const binOf = new Map<number, number>();
  categories.forEach((code, bin) => binOf.set(code, bin));
  return { kind: 'categorical', categories, binOf };
}

/** Learns each column's bins from the training matrix. */
export function fitBinnings(x: FeatureMatrix, categorical: ReadonlySet<number>, maxBins: number, featureNames: readonly string[]): FeatureBinning[] {
  const { nRows, nCols, data } = x;
  const out: FeatureBinning[] = [];
  const column = new Float64Array(nRows);
  for (let f = 0; f < nCols; f++) {
    let k = 0;
    for (let r = 0; r < nRows; r++) {
      const v = data[r * nCols + f] as number;
      if (v === v) column[k++] = v;
    }
    const present = column.subarray(0, k);
    if (categorical.has(f)) out.push(categoricalBinning(present, maxBins, featureNames[f] ?? String(f)));
    else out.push(numericBinning(radixSorted(present), maxBins));
  }
  return out;
}

/** The bin code of one raw value. */
export function binOf(binning: FeatureBinning, v: number): number {
  if (v !== v) return MISSING_BIN;
  if (binning.kind === 'categorical') return binning.binOf.get(v) ?? MISSING_BIN;
  const ub = binning.upperBounds;
  let lo = 0;
  let hi = ub.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (ub[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins a row-major matrix into column-major codes (`out[f * nRows + r]`), optionally into shared memory. */
export function binMatrix(x: FeatureMatrix, binnings: readonly FeatureBinning[], out?: Uint8Array): Uint8Array {
  const { nRows, nCols, data } = x;
  const codes = out ?? new Uint8Array(nRows * nCols);
  for (let f = 0; f < nCols; f++) {
    const binning = binnings[f] as FeatureBinning;
    const base = f * nRows;
    if (binning.kind === 'categorical') {
      for (let r = 0; r < nRows; r++) codes[base + r] = binOf(binning, data[r * nCols + f] as number);
      continue;
    }
    // numeric: binOf's search, inlined over this column's bounds
    const ub = binning.upperBounds;
    const last = ub.length - 1;
    for (let r = 0, at = f; r < nRows; r++, at += nCols) {
      const v = data[at] as number;
      if (v !== v) {
        codes[base + r] = MISSING_BIN;
        continue;
      }
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v <= (ub[mid] as number)) hi = mid;
        else lo = mid + 1;
      }
      codes[base + r] = lo;
    }
  }
  return codes;
}
