/**
 * Histograms as numpy builds them: `histogram_bin_edges(x, bins='sturges')` for the edges and
 * `histogram(x, edges)` for the counts.
 */

/**
 * Sturges bin edges over `values` (non-empty, finite). The bin width is ptp / (log₂ n + 1) and the
 * number of bins ceil(ptp / width), which in floating point can exceed ceil(log₂ n + 1) by one.
 * Edges are min + i · (ptp / bins) with the last edge exactly the max; a constant sample gets the
 * single bin [v − 0.5, v + 0.5].
 */
export function sturgesEdges(values: ArrayLike<number>): number[] {
  const n = values.length;
  if (n === 0) throw new RangeError('sturgesEdges needs at least one value');
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError('sturgesEdges needs finite values');
  const ptp = max - min;
  const width = ptp / (Math.log2(n) + 1);
  const bins = width ? Math.ceil(ptp / width) : 1;
  const first = ptp === 0 ? min - 0.5 : min;
  const last = ptp === 0 ? max + 0.5 : max;
  const step = (last - first) / bins;
  const edges: number[] = [];
  for (let i = 0; i < bins; i++) edges.push(i * step + first);
  edges.push(last);
  return edges;
}

/** Index of the first element of `sorted` that is ≥ v (`left`) or > v (`right`). */
function searchSorted(sorted: Float64Array, v: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid] as number;
    if (side === 'left' ? x < v : x <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts per bin for ascending `edges`: bin i holds edges[i] ≤ x < edges[i+1], the last bin also
 * holds x = its upper edge, and values outside [edges[0], edges[last]] are not counted.
 */
export function histogramCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  const cumulative = edges.map((e, i) => searchSorted(sorted, e, i === edges.length - 1 ? 'right' : 'left'));
  const counts: number[] = [];
  for (let i = 0; i + 1 < cumulative.length; i++) counts.push((cumulative[i + 1] as number) - (cumulative[i] as number));
  return counts;
}
