/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2), O(leaves × depth²) per tree and row. Conditional
 * expectations follow the training cover of each node, so Σ contributions + expected value equals
 * the raw score exactly (up to rounding).
 */
import type { Tree } from './tree';

/** The unique path: one element per distinct feature met on the way down. */
class PathArrays {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  constructor(size: number) {
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function extendPath(p: PathArrays, at: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  p.weight[at + depth] = depth === 0 ? 1 : 0;
  const oneScaled = one * (RECIPROCAL[depth + 1] as number);
  const zeroScaled = zero * (RECIPROCAL[depth + 1] as number);
  for (let i = depth - 1; i >= 0; i--) {
    const w = p.weight[at + i] as number;
    p.weight[at + i + 1]! += oneScaled * w * (i + 1);
    p.weight[at + i] = zeroScaled * w * (depth - i);
  }
}

function unwindPath(p: PathArrays, at: number, depth: number, index: number): void {
  const one = p.one[at + index] as number;
  const zero = p.zero[at + index] as number;
  let next = p.weight[at + depth] as number;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[at + i] as number;
      p.weight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - ((p.weight[at + i] as number) * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[at + i] = ((p.weight[at + i] as number) * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1] as number;
    p.zero[at + i] = p.zero[at + i + 1] as number;
    p.one[at + i] = p.one[at + i + 1] as number;
  }
}

/** 1 / k for k = 0 … n: the path updates below multiply by these instead of dividing. */
let RECIPROCAL = reciprocals(64);

function reciprocals(n: number): Float64Array {
  return Float64Array.from({ length: n + 1 }, (_, k) => (k === 0 ? Infinity : 1 / k));
}

/**
 * Σ of the path weights once element `index` is unwound, without modifying the path. The hot loop
 * of TreeSHAP (depth² per leaf), so its divisions are hoisted: one per call instead of two per step.
 */
function unwoundSum(p: PathArrays, at: number, depth: number, index: number): number {
  const one = p.one[at + index] as number;
  const zero = p.zero[at + index] as number;
  const weight = p.weight;
  const scale = depth + 1;
  const invScale = RECIPROCAL[scale] as number;
  let total = 0;
  if (one !== 0) {
    const k = scale / one;
    const kz = zero * invScale;
    let next = weight[at + depth] as number;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next * k * (RECIPROCAL[i + 1] as number);
      total += tmp;
      next = (weight[at + i] as number) - tmp * kz * (depth - i);
    }
  } else {
    const k = scale / zero;
    for (let i = depth - 1; i >= 0; i--) total += (weight[at + i] as number) * k * (RECIPROCAL[depth - i] as number);
  }
  return total;
}

/** Adds TreeSHAP values of several trees for single rows; reuses its path buffers across calls. */
export class TreeShap {
  private readonly path: PathArrays;

  /** `maxDepth` must bound the depth of every tree passed to {@link addContributions}. */
  constructor(maxDepth: number) {
    this.path = new PathArrays(((maxDepth + 2) * (maxDepth + 3)) / 2);
    if (RECIPROCAL.length < maxDepth + 3) RECIPROCAL = reciprocals(maxDepth + 2);
  }

  /** Adds the tree's contributions for the row at data[offset..] into phi[phiOffset + f]. */
  addContributions(tree: Tree, data: Float64Array, offset: number, phi: Float64Array, phiOffset: number): void {
    this.recurse(tree, data, offset, phi, phiOffset, 0, 0, 0, 1, 1, -1);
  }

  private recurse(tree: Tree, data: Float64Array, offset: number, phi: Float64Array, phiOffset: number, node: number, parentAt: number, depth: number, zero: number, one: number, feature: number): void {
    const p = this.path;
    // Each level works on its own copy of the path, placed right after the parent's.
    const at = parentAt + depth;
    // Plain loops: paths are a few elements long, where copyWithin's call costs more than the copy.
    for (let i = 0; i < depth; i++) {
      p.feature[at + i] = p.feature[parentAt + i] as number;
      p.zero[at + i] = p.zero[parentAt + i] as number;
      p.one[at + i] = p.one[parentAt + i] as number;
      p.weight[at + i] = p.weight[parentAt + i] as number;
    }
    extendPath(p, at, depth, zero, one, feature);
    const split = tree.feature[node] as number;
    if (split < 0) {
      const value = tree.value[node] as number;
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(p, at, depth, i);
        phi[phiOffset + (p.feature[at + i] as number)]! += w * ((p.one[at + i] as number) - (p.zero[at + i] as number)) * value;
      }
      return;
    }
    const goesLeft = tree.goesLeft(node, data[offset + split] as number);
    const hot = (goesLeft ? tree.left[node] : tree.right[node]) as number;
    const cold = (goesLeft ? tree.right[node] : tree.left[node]) as number;
    const cover = tree.cover[node] as number;
    let incomingZero = 1;
    let incomingOne = 1;
    let d = depth;
    let k = 0;
    while (k <= d && p.feature[at + k] !== split) k++;
    if (k <= d) {
      incomingZero = p.zero[at + k] as number;
      incomingOne = p.one[at + k] as number;
      unwindPath(p, at, d, k);
      d -= 1;
    }
    this.recurse(tree, data, offset, phi, phiOffset, hot, at, d + 1, ((tree.cover[hot] as number) / cover) * incomingZero, incomingOne, split);
    this.recurse(tree, data, offset, phi, phiOffset, cold, at, d + 1, ((tree.cover[cold] as number) / cover) * incomingZero, 0, split);
  }
}

/** Cover-weighted mean of a tree's leaf values: its expected output over the training rows. */
export function treeExpectedValue(tree: Tree): number {
  const walk = (node: number): number => {
    if (tree.isLeaf(node)) return tree.value[node] as number;
    const l = tree.left[node] as number;
    const r = tree.right[node] as number;
    return ((tree.cover[l] as number) * walk(l) + (tree.cover[r] as number) * walk(r)) / ((tree.cover[l] as number) + (tree.cover[r] as number));
  };
  return walk(0);
}
