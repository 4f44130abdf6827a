/**
 * Branch-free batch prediction for forests of numeric splits. Each row is first coded per feature
 * as the rank of its value among the forest's thresholds on that feature (NaN → 0xFFFF), so every
 * split becomes an integer comparison; a split whose missing values go left adds 1 modulo 2¹⁶
 * first, which sends 0xFFFF to 0 (left) and shifts every other code past an equally shifted
 * threshold. Children are stored side by side (right = left + 1), so a step is arithmetic with
 * no data-dependent branch, and each node packs into one 32-bit word:
 * (code threshold << 16) | (missing-goes-left << 15) | feature, −1 at a leaf.
 */
import type { Tree } from './tree';

const MISSING_CODE = 0xffff;
const MAX_CUTS = 0x7fff;
const MAX_FEATURES = 0x8000;
const BLOCK = 512;

/** Per-feature sorted thresholds and node tables; build with {@link CodedForest.tryBuild}. */
export class CodedForest {
  private constructor(
    private readonly cuts: Float64Array[],
    private readonly word: Int32Array,
    private readonly child: Int32Array,
    private readonly leafValue: Float64Array,
    private readonly roots: Int32Array,
  ) {}

  /** The coded forest, or null when a tree has a categorical split, a feature has ≥ 32 767 thresholds or there are ≥ 32 768 features. */
  static tryBuild(trees: readonly Tree[], nCols: number): CodedForest | null {
    if (nCols > MAX_FEATURES) return null;
    const perFeature: number[][] = Array.from({ length: nCols }, () => []);
    for (const tree of trees) {
      for (let i = 0; i < tree.nNodes; i++) {
        const f = tree.feature[i] as number;
        if (f < 0) continue;
        if (tree.categories[i]) return null;
        perFeature[f]!.push(tree.threshold[i] as number);
      }
    }
    const cuts = perFeature.map((list) => Float64Array.from(new Set(list)).sort());
    if (cuts.some((c) => c.length >= MAX_CUTS)) return null;
    const total = trees.reduce((n, t) => n + t.nNodes, 0);
    const word = new Int32Array(total);
    const child = new Int32Array(total);
    const leafValue = new Float64Array(total);
    const roots = new Int32Array(trees.length);
    let next = 0;
    trees.forEach((tree, t) => {
      roots[t] = next;
      // Breadth-first relayout so that each node's two children are adjacent.
      const queue: [number, number][] = [[0, next++]];
      for (let q = 0; q < queue.length; q++) {
        const [src, dst] = queue[q]!;
        const f = tree.feature[src] as number;
        if (f < 0) {
          word[dst] = -1;
          leafValue[dst] = tree.value[src] as number;
          continue;
        }
        const dl = tree.defaultLeft[src] === 1 ? 1 : 0;
        word[dst] = ((lowerBound(cuts[f]!, tree.threshold[src] as number) + dl) << 16) | (dl << 15) | f;
        child[dst] = next;
        queue.push([tree.left[src] as number, next], [tree.right[src] as number, next + 1]);
        next += 2;
      }
    });
    return new CodedForest(cuts, word, child, leafValue, roots);
  }

  /** Adds every tree's output for rows [rowStart, rowEnd) of a row-major matrix to out[row]. */
  addRaw(data: Float64Array, nCols: number, rowStart: number, rowEnd: number, out: Float64Array): void {
    const codes = new Uint16Array(BLOCK * nCols);
    const { word, child, leafValue, roots } = this;
    for (let b0 = rowStart; b0 < rowEnd; b0 += BLOCK) {
      const n = Math.min(BLOCK, rowEnd - b0);
      this.encode(data, nCols, b0, n, codes);
      for (let t = 0; t < roots.length; t++) {
        const root = roots[t] as number;
        for (let r = 0; r < n; r++) {
          const o = r * nCols;
          let node = root;
          let w = word[node] as number;
          while (w >= 0) {
            const code = ((codes[o + (w & 0x7fff)] as number) + ((w >>> 15) & 1)) & 0xffff;
            // (threshold − code) >>> 31 is 1 exactly when code > threshold: arithmetic, not a branch.
            node = (child[node] as number) + (((w >>> 16) - code) >>> 31);
            w = word[node] as number;
          }
          out[b0 + r]! += leafValue[node] as number;
        }
      }
    }
  }

  private encode(data: Float64Array, nCols: number, rowStart: number, n: number, codes: Uint16Array): void {
    for (let f = 0; f < nCols; f++) {
      const cuts = this.cuts[f] as Float64Array;
      for (let r = 0; r < n; r++) {
        const v = data[(rowStart + r) * nCols + f] as number;
        codes[r * nCols + f] = v === v ? lowerBound(cuts, v) : MISSING_CODE;
      }
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
