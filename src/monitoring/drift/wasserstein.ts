/**
 * Wasserstein-1 distance between two 1-D samples and evidently's normed version of it.
 */
import { pairwiseSum, populationStd } from './pairwise-sum';

/**
 * First Wasserstein distance ∫ |F₁(x) − F₂(x)| dx between the empirical CDFs of two non-empty
 * samples, summed over the gaps between consecutive pooled values as scipy's
 * `wasserstein_distance` does.
 */
export function wassersteinDistance(sample1: ArrayLike<number>, sample2: ArrayLike<number>): number {
  const n1 = sample1.length;
  const n2 = sample2.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('wassersteinDistance needs two non-empty samples');
  const a = Float64Array.from(sample1).sort();
  const b = Float64Array.from(sample2).sort();
  const all = new Float64Array(n1 + n2);
  all.set(a);
  all.set(b, n1);
  all.sort();
  const terms = new Float64Array(all.length - 1);
  let i = 0;
  let j = 0;
  for (let k = 0; k < terms.length; k++) {
    const v = all[k] as number;
    // Points ≤ v on each side (searchsorted 'right'); the pointers only move forward.
    while (i < n1 && (a[i] as number) <= v) i++;
    while (j < n2 && (b[j] as number) <= v) j++;
    terms[k] = Math.abs(i / n1 - j / n2) * ((all[k + 1] as number) - v);
  }
  return pairwiseSum(terms);
}

/** Floor on the reference standard deviation, so a constant reference does not divide by zero. */
export const WASSERSTEIN_MIN_STD = 0.001;

/** Result of the normed Wasserstein distance. */
export interface NormedWassersteinResult {
  /** distance / scale. */
  readonly score: number;
  /** The raw Wasserstein-1 distance. */
  readonly distance: number;
  /** max(population std of the reference, 0.001). */
  readonly scale: number;
}

/** Wasserstein distance divided by max(std(reference), 0.001), std with ddof = 0 (evidently). */
export function normedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): NormedWassersteinResult {
  const distance = wassersteinDistance(reference, current);
  const scale = Math.max(populationStd(reference), WASSERSTEIN_MIN_STD);
  return { score: distance / scale, distance, scale };
}
