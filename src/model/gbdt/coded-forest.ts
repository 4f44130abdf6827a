/**
 * Branch-free batch prediction for forests of numeric splits. Each row is first coded per feature
 * as the rank of its value among the forest's thresholds on that feature (NaN → 0xFFFF), so every
 * split becomes an integer comparison; a split whose missing values go left adds 1 modulo 2¹⁶
 * first, which sends 0xFFFF to 0 (left) and shifts every other code past an equally shifted
 * threshold. Children are stored side by side (right = left + 1) and leaves point to themselves,
 * so a block of rows descends level by level with no data-dependent branch, and the CPU overlaps
 * the rows' independent loads.
 */
import type { Tree } from './tree';

const MISSING_CODE = 0xffff;
const BLOCK = 512;

/** Per-feature sorted thresholds and node tables; build with {@link CodedForest.tryBuild}. */
export class CodedForest {
  private constructor(
    private readonly cuts: Float64Array[],
    private readonly feature: Int32Array,
    private readonly add: Int32Array,
    private readonly codeThreshold: Int32Array,
    private readonly child: Int32Array,
    private readonly leafValue: Float64Array,
    private readonly roots: Int32Array,
    private readonly depths: Int32Array,
  ) {}

  /** The coded forest, or null when a tree has a categorical split or a feature has ≥ 65 535 thresholds. */
  static tryBuild(trees: readonly Tree[], nCols: number): CodedForest | null {
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
    if (cuts.some((c) => c.length >= MISSING_CODE)) return null;
    const total = trees.reduce((n, t) => n + t.nNodes, 0);
    const feature = new Int32Array(total);
    const add = new Int32Array(total);
    const codeThreshold = new Int32Array(total);
    const child = new Int32Array(total);
    const leafValue = new Float64Array(total);
    const roots = new Int32Array(trees.length);
    const depths = new Int32Array(trees.length);
    let next = 0;
    trees.forEach((tree, t) => {
      roots[t] = next;
      // Breadth-first relayout so that each node's two children are adjacent.
      const queue: [number, number, number][] = [[0, next++, 0]];
      let maxDepth = 0;
      for (let q = 0; q < queue.length; q++) {
        const [src, dst, depth] = queue[q]!;
        maxDepth = Math.max(maxDepth, depth);
        const f = tree.feature[src] as number;
        if (f < 0) {
          child[dst] = dst;
          codeThreshold[dst] = MISSING_CODE;
          leafValue[dst] = tree.value[src] as number;
          continue;
        }
        const dl = tree.defaultLeft[src] === 1 ? 1 : 0;
        feature[dst] = f;
        add[dst] = dl;
        codeThreshold[dst] = lowerBound(cuts[f]!, tree.threshold[src] as number) + dl;
        child[dst] = next;
        queue.push([tree.left[src] as number, next, depth + 1], [tree.right[src] as number, next + 1, depth + 1]);
        next += 2;
      }
      depths[t] = maxDepth;
    });
    return new CodedForest(cuts, feature, add, codeThreshold, child, leafValue, roots, depths);
  }

  /** Adds every tree's output for rows [rowStart, rowEnd) of a row-major matrix to out[row]. */
  addRaw(data: Float64Array, nCols: number, rowStart: number, rowEnd: number, out: Float64Array): void {
    const codes = new Uint16Array(BLOCK * nCols);
    const cur = new Int32Array(BLOCK);
    const { feature, add, codeThreshold, child, leafValue, roots, depths } = this;
    for (let b0 = rowStart; b0 < rowEnd; b0 += BLOCK) {
      const n = Math.min(BLOCK, rowEnd - b0);
      this.encode(data, nCols, b0, n, codes);
      for (let t = 0; t < roots.length; t++) {
        cur.fill(roots[t] as number, 0, n);
        for (let level = depths[t] as number; level > 0; level--) {
          for (let r = 0; r < n; r++) {
            const node = cur[r] as number;
            const code = (((codes[r * nCols + (feature[node] as number)] as number) + (add[node] as number)) & 0xffff) as number;
            // (threshold − code) >>> 31 is 1 exactly when code > threshold: arithmetic, not a branch.
            cur[r] = (child[node] as number) + ((((codeThreshold[node] as number) - code) >>> 31) as number);
          }
        }
        for (let r = 0; r < n; r++) out[b0 + r]! += leafValue[cur[r] as number] as number;
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
