/**
 * Branch-free batch prediction for forests of numeric splits. Each row is first coded per feature
 * as the rank of its value among the forest's thresholds on that feature (NaN → 0xFFFF), so every
 * split becomes an integer comparison; a split whose missing values go left adds 1 modulo 2¹⁶
 * first, which sends 0xFFFF to 0 (left) and shifts every other code past an equally shifted
 * threshold. Children are stored side by side (right = left + 1), so a step is arithmetic with
 * no data-dependent branch, and each node packs into one 32-bit word:
 * (code threshold << 16) | (missing-goes-left << 15) | feature. A leaf's word is negative (its
 * threshold 0xFFFF, which no code exceeds) and the leaf is its own child, so a step from a leaf
 * stays on it: rows walked together in groups of four wait at their leaves for the others.
 *
 * A categorical feature is coded as the index of its category among every category the forest's
 * splits name on it (missing and unseen ones share the index K past the last), and each
 * categorical node carries a routing table over those K + 1 indices, so the same walk handles it
 * with one table lookup (coded-kernel.ts, `codedPredictMixed`).
 */
import { compileCodedKernel, compileCodedMixedKernel, type CodedKernel, type CodedMixedKernel } from './coded-kernel';
import { autoThreads } from './cpu-budget';
import { poolSize, runSliced, type SharedForest } from './predict-pool';
import { sortedIncludes, type Tree } from './tree';

const MAX_CUTS = 0x7fff;
/** Threshold 0xFFFF, feature 0: negative as an int32, and a step from it never goes right. */
const LEAF_WORD = 0xffff << 16;
const MAX_FEATURES = 0x8000;
/** Batches at least this large are split across the prediction workers. */
const PARALLEL_MIN_ROWS = 10_000;

function sharedInt32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(4, n * 4)), 0, n);
}
function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(8, n * 8)), 0, n);
}
function sharedUint8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(8, n)), 0, n);
}

/** Per-feature sorted thresholds and packed node tables, in shared memory; build with {@link CodedForest.tryBuild}. */
export class CodedForest {
  private readonly kernel: CodedKernel = compileCodedKernel();
  private readonly mixedKernel: CodedMixedKernel | null;

  private constructor(private readonly shared: SharedForest) {
    this.mixedKernel = shared.categorical ? compileCodedMixedKernel() : null;
  }

  /**
   * The coded forest, or null when a feature has ≥ 32 767 thresholds or categories, there are
   * ≥ 32 768 features, or a feature has numeric and categorical splits both.
   */
  static tryBuild(trees: readonly Tree[], nCols: number): CodedForest | null {
    if (nCols > MAX_FEATURES) return null;
    const perFeature: number[][] = Array.from({ length: nCols }, () => []);
    const kind = new Int8Array(nCols); // 0 unused, 1 numeric, 2 categorical
    for (const tree of trees) {
      for (let i = 0; i < tree.nNodes; i++) {
        const f = tree.feature[i] as number;
        if (f < 0) continue;
        const left = tree.categories[i];
        const k = left ? 2 : 1;
        if (kind[f] !== 0 && kind[f] !== k) return null;
        kind[f] = k;
        if (left) perFeature[f]!.push(...left, ...(tree.rightCategories[i] ?? []));
        else perFeature[f]!.push(tree.threshold[i] as number);
      }
    }
    const hasCategorical = kind.includes(2);
    const perFeatureCuts = perFeature.map((list) => Float64Array.from(new Set(list)).sort());
    if (perFeatureCuts.some((c) => c.length >= MAX_CUTS)) return null;
    const cutStart = sharedInt32(nCols + 1);
    perFeatureCuts.forEach((c, f) => (cutStart[f + 1] = (cutStart[f] as number) + c.length));
    const cuts = sharedFloat64(cutStart[nCols] as number);
    perFeatureCuts.forEach((c, f) => cuts.set(c, cutStart[f] as number));
    const total = trees.reduce((n, t) => n + t.nNodes, 0);
    const word = sharedInt32(total);
    const child = sharedInt32(total);
    const leafValue = sharedFloat64(total);
    const roots = sharedInt32(trees.length);
    const catStart = hasCategorical ? sharedInt32(total).fill(-1) : null;
    let routeSize = 0;
    for (const tree of trees) {
      for (let i = 0; i < tree.nNodes; i++) if (tree.categories[i]) routeSize += perFeatureCuts[tree.feature[i] as number]!.length + 1;
    }
    const catRoute = hasCategorical ? sharedUint8(routeSize) : null;
    let routeAt = 0;
    let next = 0;
    trees.forEach((tree, t) => {
      roots[t] = next;
      // Breadth-first relayout so that each node's two children are adjacent.
      const queue: [number, number][] = [[0, next++]];
      for (let q = 0; q < queue.length; q++) {
        const [src, dst] = queue[q]!;
        const f = tree.feature[src] as number;
        if (f < 0) {
          word[dst] = LEAF_WORD;
          child[dst] = dst;
          leafValue[dst] = tree.value[src] as number;
          continue;
        }
        const dl = tree.defaultLeft[src] === 1 ? 1 : 0;
        const left = tree.categories[src];
        if (left && catStart && catRoute) {
          // Route over the feature's category indices: 0 left, 1 right; the extra last index
          // (missing, unseen) and categories this node did not see follow the default side.
          const levels = perFeatureCuts[f]!;
          const right = tree.rightCategories[src] as Float64Array;
          word[dst] = f;
          catStart[dst] = routeAt;
          for (let k = 0; k <= levels.length; k++) {
            const v = levels[k];
            const goesLeft = v === undefined ? dl === 1 : sortedIncludes(left, v) ? true : sortedIncludes(right, v) ? false : dl === 1;
            catRoute[routeAt + k] = goesLeft ? 0 : 1;
          }
          routeAt += levels.length + 1;
        } else {
          word[dst] = ((lowerBound(perFeatureCuts[f]!, tree.threshold[src] as number) + dl) << 16) | (dl << 15) | f;
        }
        child[dst] = next;
        queue.push([tree.left[src] as number, next], [tree.right[src] as number, next + 1]);
        next += 2;
      }
    });
    let categorical: SharedForest['categorical'] = null;
    if (catStart && catRoute) {
      const isCat = sharedUint8(nCols);
      kind.forEach((k, f) => (isCat[f] = k === 2 ? 1 : 0));
      categorical = { isCat, catStart, catRoute };
    }
    return new CodedForest({ word, child, leafValue, roots, cuts, cutStart, categorical });
  }

  /**
   * Adds every tree's output for all rows of a row-major matrix to out[row]. With `parallel`
   * (by default: batches of 10 000 rows or more, unless the machine is oversubscribed) the rows
   * are split across the prediction workers.
   */
  addRaw(data: Float64Array, nCols: number, nRows: number, out: Float64Array, parallel = nRows >= PARALLEL_MIN_ROWS && autoThreads() > 1): void {
    if (!parallel || poolSize() === 0) {
      this.addRange(data, nCols, 0, nRows, out);
      return;
    }
    // Workers read the rows and write the scores through shared memory.
    const sharedData = sharedFloat64(nRows * nCols);
    sharedData.set(data.subarray(0, nRows * nCols));
    const sharedOut = sharedFloat64(nRows);
    sharedOut.set(out.subarray(0, nRows));
    runSliced(this.shared, sharedData, nCols, nRows, sharedOut, (start, end) => this.addRange(sharedData, nCols, start, end, sharedOut));
    out.set(sharedOut);
  }

  private addRange(data: Float64Array, nCols: number, start: number, end: number, out: Float64Array): void {
    const { word, child, leafValue, roots, cuts, cutStart, categorical } = this.shared;
    if (categorical && this.mixedKernel) {
      this.mixedKernel(word, child, leafValue, roots, cuts, cutStart, categorical.isCat, categorical.catStart, categorical.catRoute, data, nCols, start, end, out);
    } else {
      this.kernel(word, child, leafValue, roots, cuts, cutStart, data, nCols, start, end, out);
    }
  }
}

/** First index whose value is ≥ v (the array length when none). */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
