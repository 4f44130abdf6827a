/**
 * Floating-point sums in the order numpy adds them. `np.sum` on a contiguous float64 array uses
 * pairwise summation (eight running partial sums in blocks of up to 128 values, halves above that),
 * so summing in the same order reproduces numpy's result to the last bit rather than to ~1e-15.
 */

const BLOCK = 128;

function blockSum(a: ArrayLike<number>, from: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[from + i] as number;
    return s;
  }
  if (n <= BLOCK) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[from + j] as number;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] = (r[j] as number) + (a[from + i + j] as number);
    }
    let s = (((r[0] as number) + (r[1] as number)) + ((r[2] as number) + (r[3] as number)))
      + (((r[4] as number) + (r[5] as number)) + ((r[6] as number) + (r[7] as number)));
    for (; i < n; i++) s += a[from + i] as number;
    return s;
  }
  // Halve, keeping the first half a multiple of the unroll width as numpy does.
  let half = Math.floor(n / 2);
  half -= half % 8;
  return blockSum(a, from, half) + blockSum(a, from + half, n - half);
}

/** Sum of `values` in numpy's pairwise order (`np.sum` on a 1-D float64 array). */
export function pairwiseSum(values: ArrayLike<number>): number {
  return blockSum(values, 0, values.length);
}

/**
 * Population standard deviation (ddof = 0) computed as numpy and pandas do: a first pass for the
 * mean, then the mean of squared deviations, both summed pairwise.
 */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const mean = pairwiseSum(values) / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    squares[i] = d * d;
  }
  return Math.sqrt(pairwiseSum(squares) / n);
}
