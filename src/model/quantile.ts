/** Quantiles of numeric samples (linear interpolation between order statistics, as numpy's default). */

/** The q-quantile (q in [0, 1]) of an ascending-sorted array; NaN for an empty one. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** The non-missing (non-NaN) values of `values`, sorted ascending. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  return finiteValues(values).sort();
}

/** The non-missing (non-NaN) values of `values`, in their order. */
export function finiteValues(values: ArrayLike<number>): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i] as number)) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out;
}

/**
 * The q-quantiles of `values` (no NaN), the very numbers {@link quantileSorted} gives on the sorted
 * array, found by selection in O(n) each instead of a sort. Reorders `values`.
 */
export function quantilesInPlace(values: Float64Array, qs: readonly number[]): number[] {
  const n = values.length;
  return qs.map((q) => {
    if (n === 0) return NaN;
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
    const pos = q * (n - 1);
    const lo = Math.floor(pos);
    const a = selectInPlace(values, lo);
    // after selecting rank lo, every later entry is ≥ it: rank lo + 1 is their minimum
    let b = a;
    if (lo + 1 < n) {
      b = Infinity;
      for (let i = lo + 1; i < n; i++) if ((values[i] as number) < b) b = values[i] as number;
    }
    return a + (b - a) * (pos - lo);
  });
}

/**
 * Moves the k-th smallest entry of `v` to index k, smaller-or-equal entries before it and
 * greater-or-equal ones after (Hoare partitions around a median of three; many equal values split
 * evenly). Falls back to sorting a range that shrinks too slowly, so the worst case stays n log n.
 */
export function selectInPlace(v: Float64Array, k: number): number {
  let left = 0;
  let right = v.length - 1;
  let budget = 2 * Math.ceil(Math.log2(v.length + 1)) + 8;
  while (right > left) {
    if (budget-- === 0 || right - left < 16) {
      v.subarray(left, right + 1).sort();
      break;
    }
    const mid = (left + right) >>> 1;
    const a = v[left] as number;
    const b = v[mid] as number;
    const c = v[right] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((v[i] as number) < pivot) i++;
      while ((v[j] as number) > pivot) j--;
      if (i <= j) {
        const t = v[i] as number;
        v[i] = v[j] as number;
        v[j] = t;
        i++;
        j--;
      }
    }
    // [left, j] ≤ pivot, (j, i) = pivot, [i, right] ≥ pivot
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return v[k] as number;
}
