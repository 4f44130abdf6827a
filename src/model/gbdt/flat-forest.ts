/**
 * The general batch predictor, used when a forest has categorical splits (numeric-only forests go
 * through the faster coded-forest.ts). All trees are flattened into a handful of typed arrays;
 * rows are scored in blocks, tree by tree, so one tree's nodes and one block of rows stay in the
 * L1 cache together.
 */
import type { Tree } from './tree';
import { sortedIncludes } from './tree';

const BLOCK = 256;

/** A forest in structure-of-arrays form; node indices are global across trees. */
export class FlatForest {
  /** Split feature; −1 at a leaf; −2 − f at a categorical split on feature f. */
  private readonly feature: Int32Array;
  /** Numeric threshold, or the leaf value at a leaf. */
  private readonly threshold: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** The child NaN (and an unseen category) goes to. */
  private readonly missing: Int32Array;
  private readonly catLeft: (Float64Array | null)[] = [];
  private readonly catRight: (Float64Array | null)[] = [];
  private readonly roots: Int32Array;

  constructor(trees: readonly Tree[]) {
    const total = trees.reduce((n, t) => n + t.nNodes, 0);
    this.feature = new Int32Array(total);
    this.threshold = new Float64Array(total);
    this.left = new Int32Array(total);
    this.right = new Int32Array(total);
    this.missing = new Int32Array(total);
    this.roots = new Int32Array(trees.length);
    let base = 0;
    trees.forEach((tree, t) => {
      this.roots[t] = base;
      for (let i = 0; i < tree.nNodes; i++) {
        const n = base + i;
        const f = tree.feature[i] as number;
        const cats = tree.categories[i] ?? null;
        this.catLeft[n] = cats;
        this.catRight[n] = tree.rightCategories[i] ?? null;
        if (f < 0) {
          this.feature[n] = -1;
          this.threshold[n] = tree.value[i] as number;
          continue;
        }
        this.feature[n] = cats ? -2 - f : f;
        this.threshold[n] = tree.threshold[i] as number;
        this.left[n] = base + (tree.left[i] as number);
        this.right[n] = base + (tree.right[i] as number);
        this.missing[n] = tree.defaultLeft[i] === 1 ? (this.left[n] as number) : (this.right[n] as number);
      }
      base += tree.nNodes;
    });
  }

  /** Adds every tree's output for all rows of a row-major matrix to out[row]. */
  addRaw(data: Float64Array, nCols: number, nRows: number, out: Float64Array): void {
    this.addRange(data, nCols, 0, nRows, out);
  }

  private addRange(data: Float64Array, nCols: number, rowStart: number, rowEnd: number, out: Float64Array): void {
    const { feature, threshold, left, right, missing, roots } = this;
    for (let b0 = rowStart; b0 < rowEnd; b0 += BLOCK) {
      const b1 = Math.min(rowEnd, b0 + BLOCK);
      for (let t = 0; t < roots.length; t++) {
        const root = roots[t] as number;
        for (let r = b0; r < b1; r++) {
          const offset = r * nCols;
          let n = root;
          let f = feature[n] as number;
          while (f >= 0) {
            const v = data[offset + f] as number;
            const thr = threshold[n] as number;
            n = v <= thr ? (left[n] as number) : v > thr ? (right[n] as number) : (missing[n] as number);
            f = feature[n] as number;
          }
          if (f !== -1) {
            n = this.categoricalLeaf(n, data, offset);
          }
          out[r]! += threshold[n] as number;
        }
      }
    }
  }

  /** Continues a descent that met a categorical split (rare, so kept out of the hot loop). */
  private categoricalLeaf(start: number, data: Float64Array, offset: number): number {
    const { feature, threshold, left, right, missing } = this;
    let n = start;
    for (let f = feature[n] as number; f !== -1; f = feature[n] as number) {
      if (f >= 0) {
        const v = data[offset + f] as number;
        const thr = threshold[n] as number;
        n = v <= thr ? (left[n] as number) : v > thr ? (right[n] as number) : (missing[n] as number);
        continue;
      }
      const v = data[offset + (-2 - f)] as number;
      if (v === v && sortedIncludes(this.catLeft[n] as Float64Array, v)) n = left[n] as number;
      else if (v === v && sortedIncludes(this.catRight[n] as Float64Array, v)) n = right[n] as number;
      else n = missing[n] as number;
    }
    return n;
  }
}
