/**
 * One regression tree in structure-of-arrays form. Node 0 is the root; a leaf has feature −1.
 * Thresholds are raw values, so prediction needs no binning: a numeric node sends x ≤ threshold
 * left; a categorical node sends its left category set left and its right set right, and any
 * other code (unseen at that node in training) follows defaultLeft, as NaN does. Cover is the sum of sample weights of the training rows that
 * reached the node (the row count when unweighted), out-of-bag rows excluded.
 */
import { ValidationError } from '../../core/errors';

/** Serialised form of a {@link Tree}: one array per node attribute. */
export interface TreeJson {
  readonly feature: number[];
  /** Numeric thresholds; null stands for +Infinity ("every value left, NaN right"). */
  readonly threshold: (number | null)[];
  readonly defaultLeft: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
  readonly gain: number[];
  readonly cover: number[];
  /** Left category sets of categorical nodes, keyed by node index. */
  readonly categories: Record<string, number[]>;
  /** Right category sets of categorical nodes, keyed by node index. */
  readonly rightCategories: Record<string, number[]>;
}

/** Node attributes, all of length nNodes. */
export interface TreeArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly defaultLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf value (already scaled by the learning rate); 0 on internal nodes. */
  readonly value: Float64Array;
  readonly gain: Float64Array;
  readonly cover: Float64Array;
  /** Sorted category codes sent left, for categorical nodes; null elsewhere. */
  readonly categories: readonly (Float64Array | null)[];
  /** Sorted category codes sent right, for categorical nodes; null elsewhere. */
  readonly rightCategories: readonly (Float64Array | null)[];
}

/** A fitted regression tree. */
export class Tree implements TreeArrays {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly defaultLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly gain: Float64Array;
  readonly cover: Float64Array;
  readonly categories: readonly (Float64Array | null)[];
  readonly rightCategories: readonly (Float64Array | null)[];

  constructor(arrays: TreeArrays) {
    this.feature = arrays.feature;
    this.threshold = arrays.threshold;
    this.defaultLeft = arrays.defaultLeft;
    this.left = arrays.left;
    this.right = arrays.right;
    this.value = arrays.value;
    this.gain = arrays.gain;
    this.cover = arrays.cover;
    this.categories = arrays.categories;
    this.rightCategories = arrays.rightCategories;
  }

  /** Number of nodes, leaves included. */
  get nNodes(): number {
    return this.feature.length;
  }

  /** Whether `node` is a leaf. */
  isLeaf(node: number): boolean {
    return (this.feature[node] as number) < 0;
  }

  /** Whether raw value `v` goes to the left child of internal node `node`. */
  goesLeft(node: number, v: number): boolean {
    if (v !== v) return this.defaultLeft[node] === 1;
    const cats = this.categories[node];
    if (cats) {
      if (sortedIncludes(cats, v)) return true;
      if (sortedIncludes(this.rightCategories[node] as Float64Array, v)) return false;
      return this.defaultLeft[node] === 1;
    }
    return v <= (this.threshold[node] as number);
  }

  /** The leaf reached by the row at `offset` of a row-major matrix. */
  leafOf(data: Float64Array, offset: number): number {
    let node = 0;
    while ((this.feature[node] as number) >= 0) {
      const v = data[offset + (this.feature[node] as number)] as number;
      node = this.goesLeft(node, v) ? (this.left[node] as number) : (this.right[node] as number);
    }
    return node;
  }

  /** Depth of the deepest leaf (a lone root has depth 0). */
  maxDepth(): number {
    const walk = (node: number): number => (this.isLeaf(node) ? 0 : 1 + Math.max(walk(this.left[node] as number), walk(this.right[node] as number)));
    return walk(0);
  }

  /** The compact JSON form, read back by {@link Tree.fromJSON}. */
  toJSON(): TreeJson {
    const sets = (list: readonly (Float64Array | null)[]): Record<string, number[]> => {
      const out: Record<string, number[]> = {};
      list.forEach((c, i) => {
        if (c) out[String(i)] = Array.from(c);
      });
      return out;
    };
    return {
      feature: Array.from(this.feature),
      threshold: Array.from(this.threshold, (t) => (t === Infinity ? null : t)),
      defaultLeft: Array.from(this.defaultLeft),
      left: Array.from(this.left),
      right: Array.from(this.right),
      value: Array.from(this.value),
      gain: Array.from(this.gain),
      cover: Array.from(this.cover),
      categories: sets(this.categories),
      rightCategories: sets(this.rightCategories),
    };
  }

  /** Rebuilds a tree from {@link Tree.toJSON}, checking its shape. */
  static fromJSON(json: TreeJson, nFeatures: number): Tree {
    const n = json.feature?.length ?? 0;
    const fields = ['threshold', 'defaultLeft', 'left', 'right', 'value', 'gain', 'cover'] as const;
    if (n === 0 || fields.some((k) => !Array.isArray(json[k]) || json[k].length !== n)) {
      throw new ValidationError('gbdt tree JSON has missing or mismatched node arrays', { context: { field: 'trees' } });
    }
    const sets = (map: Record<string, number[]> | undefined): (Float64Array | null)[] =>
      Array.from({ length: n }, (_, i) => {
        const c = map?.[String(i)];
        return c ? Float64Array.from(c).sort() : null;
      });
    const tree = new Tree({
      feature: Int32Array.from(json.feature),
      threshold: Float64Array.from(json.threshold, (t) => (t === null ? Infinity : t)),
      defaultLeft: Uint8Array.from(json.defaultLeft),
      left: Int32Array.from(json.left),
      right: Int32Array.from(json.right),
      value: Float64Array.from(json.value),
      gain: Float64Array.from(json.gain),
      cover: Float64Array.from(json.cover),
      categories: sets(json.categories),
      rightCategories: sets(json.rightCategories),
    });
    for (let i = 0; i < n; i++) {
      const f = tree.feature[i] as number;
      if (f < 0) continue;
      const l = tree.left[i] as number;
      const r = tree.right[i] as number;
      const badSets = (tree.categories[i] === null) !== (tree.rightCategories[i] === null);
      if (f >= nFeatures || l <= i || r <= i || l >= n || r >= n || badSets) {
        throw new ValidationError(`gbdt tree JSON node ${i} has an invalid feature or child index`, { context: { field: 'trees' } });
      }
    }
    return tree;
  }
}

/** Binary search in a sorted Float64Array. */
export function sortedIncludes(sorted: Float64Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = sorted[mid] as number;
    if (m === v) return true;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
