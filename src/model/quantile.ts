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
 * The q-quantiles of the non-missing entries of `values` (NaN skipped), the very numbers
 * {@link quantileSorted} gives on them sorted, without sorting or copying them: one counting pass
 * over the top 16 bits of each number's order-preserving key finds the bucket of every rank asked
 * (ranks ⌊q·(c − 1)⌋ and the one after it, of the c non-missing entries), and only those buckets'
 * values are gathered and selected among. `values` is left as it is. Also gives c.
 */
export function finiteQuantiles(values: Float64Array, qs: readonly number[]): { quantiles: number[]; count: number } {
  for (const q of qs) if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const counts = new Int32Array(1 << BUCKET_BITS);
  const finite = LITTLE_ENDIAN ? null : finiteValues(values);
  const n = finite ? finite.length : countBuckets(values, counts);
  if (n === 0) return { quantiles: qs.map(() => NaN), count: 0 };
  const positions = qs.map((q) => q * (n - 1));
  const ranks = [...new Set(positions.flatMap((pos) => [Math.floor(pos), Math.min(Math.floor(pos) + 1, n - 1)]))].sort((a, b) => a - b);
  const found = finite ? ranksBySelection(finite, ranks) : ranksInBuckets(values, counts, ranks);
  const at = new Map<number, number>();
  ranks.forEach((r, i) => at.set(r, found[i] as number));
  const quantiles = positions.map((pos) => {
    const lo = Math.floor(pos);
    const a = at.get(lo) as number;
    const b = at.get(Math.min(lo + 1, n - 1)) as number;
    return a + (b - a) * (pos - lo);
  });
  return { quantiles, count: n };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Buckets of the counting pass: the top 16 bits of the key (sign, exponent, 4 fraction bits). */
const BUCKET_BITS = 16;
const BUCKET_SHIFT = 32 - BUCKET_BITS;

/** The high 32-bit words of `values` (little-endian: the odd ones). */
function highWords(values: Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
}

/** Counts the non-missing values per bucket; returns how many there are. */
function countBuckets(values: Float64Array, counts: Int32Array): number {
  const words = highWords(values);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue; // NaN
    counts[bucketOf(words[2 * i + 1] as number)]!++;
    n++;
  }
  return n;
}

/**
 * The entries of the given ascending ranks (0-based, into the sorted non-missing values), from the
 * counts per bucket: a selection among the values of each bucket holding a rank.
 */
function ranksInBuckets(values: Float64Array, counts: Int32Array, ranks: readonly number[]): number[] {
  // each rank's bucket, and its rank among that bucket's values
  const bucketOfRank: number[] = [];
  const rankInBucket: number[] = [];
  let below = 0;
  let bucket = 0;
  for (const r of ranks) {
    while (below + (counts[bucket] as number) <= r) below += counts[bucket++] as number;
    bucketOfRank.push(bucket);
    rankInBucket.push(r - below);
  }
  const wanted = [...new Set(bucketOfRank)];
  const slot = new Int32Array(1 << BUCKET_BITS).fill(-1);
  wanted.forEach((b, s) => { slot[b] = s; });
  const members = wanted.map((b) => new Float64Array(counts[b] as number));
  const filled = new Int32Array(wanted.length);
  const words = highWords(values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    const s = slot[bucketOf(words[2 * i + 1] as number)] as number;
    if (s >= 0) (members[s] as Float64Array)[filled[s]!++] = v;
  }
  return ranks.map((_, i) => selectInPlace(members[wanted.indexOf(bucketOfRank[i] as number)] as Float64Array, rankInBucket[i] as number));
}

/** The entries of the given ascending ranks, by selection in place (each in the part above the last). */
function ranksBySelection(values: Float64Array, ranks: readonly number[]): number[] {
  let from = 0;
  return ranks.map((r) => {
    const v = selectInPlace(values, r, from);
    from = r;
    return v;
  });
}

/**
 * The high half of a double's order-preserving key, from its high 32-bit word: negative numbers
 * have every bit flipped (the low half too), others the sign bit set; unsigned keys then sort as
 * the numbers do.
 */
function keyHigh(high: number): number {
  return ((high & 0x80000000) !== 0 ? ~high : high | 0x80000000) >>> 0;
}

/** The top bits of a double's order-preserving key, from its high 32-bit word. */
function bucketOf(high: number): number {
  return keyHigh(high) >>> BUCKET_SHIFT;
}

/**
 * Moves the k-th smallest entry of `v` to index k, smaller-or-equal entries before it and
 * greater-or-equal ones after, looking only at entries `from` onwards (those before it are already
 * all ≤ every one of them) (Hoare partitions around a median of three; many equal values split
 * evenly). Falls back to sorting a range that shrinks too slowly, so the worst case stays n log n.
 */
export function selectInPlace(v: Float64Array, k: number, from = 0): number {
  let left = from;
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

/**
 * `values` sorted ascending (no NaN), as Float64Array.prototype.sort orders them (−0 before 0), by
 * a least-significant-digit radix sort on each number's order-preserving 64-bit key: four passes of
 * 16 bits, a pass skipped when every key shares its digit (the low half of integers, say). Several
 * times faster than the comparison sort on the hundred thousand values of a column. `values` is left
 * as it is.
 */
export function radixSorted(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return values.slice().sort();
  const words = highWords(values);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1] as number;
    const l = words[2 * i] as number;
    hi[i] = keyHigh(h);
    lo[i] = (h & 0x80000000) !== 0 ? ~l >>> 0 : l;
  }
  let hiNext = new Uint32Array(n);
  let loNext = new Uint32Array(n);
  const counts = new Int32Array(1 << 16);
  for (let pass = 0; pass < 4; pass++) {
    const key = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((key[i] as number) >>> shift) & 0xffff]!++;
    if (counts[((key[0] as number) >>> shift) & 0xffff] === n) continue; // one digit for all
    let sum = 0;
    for (let d = 0; d < counts.length; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[((key[i] as number) >>> shift) & 0xffff]!++;
      hiNext[at] = hi[i] as number;
      loNext[at] = lo[i] as number;
    }
    [hi, hiNext] = [hiNext, hi];
    [lo, loNext] = [loNext, lo];
  }
  const out = new Float64Array(n);
  const outWords = highWords(out);
  for (let i = 0; i < n; i++) {
    const h = hi[i] as number;
    if ((h & 0x80000000) !== 0) {
      outWords[2 * i + 1] = h & 0x7fffffff;
      outWords[2 * i] = lo[i] as number;
    } else {
      outWords[2 * i + 1] = ~h >>> 0;
      outWords[2 * i] = ~(lo[i] as number) >>> 0;
    }
  }
  return out;
}

/** Below this many values the comparison sort is as quick. */
const RADIX_MIN = 2048;
