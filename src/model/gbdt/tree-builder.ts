/**
 * Grows one tree best-first (leaf-wise): the leaf whose best split gains most is split next,
 * until numLeaves leaves or no admissible split. Each split builds the histogram of the smaller
 * child only; the larger child's is the parent's minus it, in the parent's slot.
 */
import { BINS_PER_FEATURE, MISSING_BIN, type FeatureBinning } from './binning';
import type { HistogramBuilder } from './histogram-builder';
import { HIST_STRIDE } from './histogram-kernel';
import { findBestSplit, type FeatureLayout, type LeafTotals, type SplitInfo, type SplitParams } from './split-finder';
import { Tree } from './tree';

/** Growth limits and penalties for one tree. */
export interface GrowthParams extends SplitParams {
  readonly numLeaves: number;
  readonly maxDepth: number;
  readonly learningRate: number;
}

/** A grown tree plus what the boosting loop needs to update training scores. */
export interface GrownTree {
  readonly tree: Tree;
  /** Bin-code routing tables, 256 per node (1 = left); a row of bin codes descends exactly as its raw values do. */
  readonly routes: Uint8Array;
  /** Leaves with their ranges of `rows` (in-bag rows only). */
  readonly leaves: readonly { readonly node: number; readonly start: number; readonly end: number }[];
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  slot: number;
  depth: number;
  totals: LeafTotals;
  split: SplitInfo | null;
}

class NodeList {
  feature: number[] = [];
  threshold: number[] = [];
  defaultLeft: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];
  gain: number[] = [];
  cover: number[] = [];
  categories: (Float64Array | null)[] = [];
  rightCategories: (Float64Array | null)[] = [];
  routes: (Uint8Array | null)[] = [];

  add(cover: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.gain.push(0);
    this.cover.push(cover);
    this.categories.push(null);
    this.rightCategories.push(null);
    this.routes.push(null);
    return this.feature.length - 1;
  }

  toTree(): Tree {
    return new Tree({
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      gain: Float64Array.from(this.gain),
      cover: Float64Array.from(this.cover),
      categories: this.categories,
      rightCategories: this.rightCategories,
    });
  }
}

/** Everything one fit shares across its trees. */
export interface GrowthContext {
  readonly builder: HistogramBuilder;
  readonly binnings: readonly FeatureBinning[];
  readonly layout: FeatureLayout;
  readonly params: GrowthParams;
  readonly weights: Float64Array | null;
}

function codesOf(binning: FeatureBinning, bins: number[]): Float64Array {
  if (binning.kind !== 'categorical') throw new Error('category set on a numeric feature');
  return Float64Array.from(bins, (b) => binning.categories[b] as number).sort();
}

/**
 * A leaf's gradient and hessian sums, read off one feature's histogram (in slot 0) as the sum of
 * its bins: 256 additions where summing the rows takes one per row, and a fixed order, so the
 * totals do not depend on the threads either.
 */
function histogramTotals(hist: Float64Array, f: number, layout: FeatureLayout, count: number): LeafTotals {
  const off = f * HIST_STRIDE;
  let sumG = 0;
  let sumH = 0;
  for (let b = 0, end = (layout.valueBins[f] as number) * 3; b < end; b += 3) {
    sumG += hist[off + b] as number;
    sumH += hist[off + b + 1] as number;
  }
  return { sumG: sumG + (hist[off + MISSING_BIN * 3] as number), sumH: sumH + (hist[off + MISSING_BIN * 3 + 1] as number), count };
}

/** Grows a tree on the in-bag rows rows[0..nInBag) of the builder, whose features are already set. */
export function growTree(ctx: GrowthContext, grad: Float64Array, hess: Float64Array, nInBag: number): GrownTree {
  const { builder, params, layout, weights } = ctx;
  const { rows, hist } = builder;
  const features = builder.activeFeatures();
  const slotSize = builder.nCols * HIST_STRIDE;
  const nodes = new NodeList();
  const canSplit = (count: number, depth: number): boolean => count >= 2 * params.minDataInLeaf && depth < params.maxDepth;
  const freeSlots: number[] = [];
  for (let s = params.numLeaves - 1; s >= 1; s--) freeSlots.push(s);
  let cover = nInBag;
  if (weights) {
    cover = 0;
    for (let i = 0; i < nInBag; i++) cover += weights[rows[i] as number] as number;
  }
  const root: OpenLeaf = { node: nodes.add(cover), start: 0, end: nInBag, slot: 0, depth: 0, totals: { sumG: 0, sumH: 0, count: nInBag }, split: null };
  if (canSplit(nInBag, 0) && features.length > 0) {
    builder.build(0, 0, nInBag);
    root.totals = histogramTotals(hist, features[0] as number, layout, nInBag);
    root.split = findBestSplit(hist, 0, features, layout, root.totals, params);
  } else {
    let sumG = 0;
    let sumH = 0;
    for (let i = 0; i < nInBag; i++) {
      const r = rows[i] as number;
      sumG += grad[r] as number;
      sumH += hess[r] as number;
    }
    root.totals = { sumG, sumH, count: nInBag };
  }
  const leaves: OpenLeaf[] = [root];
  while (leaves.length < params.numLeaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i]!.split;
      if (s && (pick < 0 || s.gain > leaves[pick]!.split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const parent = leaves[pick]!;
    const split = parent.split!;
    const nLeft = builder.partition(parent.start, parent.end, split.feature, split.goLeft);
    const l = parent.start + nLeft;
    // Unweighted covers are exact counts; weighted ones are summed in row order, so they do not
    // depend on how the partition was shared among threads.
    let coverLeft = nLeft;
    if (weights) {
      coverLeft = 0;
      for (let i = parent.start; i < l; i++) coverLeft += weights[rows[i] as number] as number;
    }
    const coverRight = weights ? nodes.cover[parent.node]! - coverLeft : parent.end - l;
    const route = split.goLeft;
    const node = parent.node;
    const binning = ctx.binnings[split.feature] as FeatureBinning;
    nodes.feature[node] = split.feature;
    nodes.gain[node] = split.gain;
    nodes.defaultLeft[node] = split.defaultLeft ? 1 : 0;
    nodes.routes[node] = route;
    if (split.leftBins && split.rightBins) {
      nodes.categories[node] = codesOf(binning, split.leftBins);
      nodes.rightCategories[node] = codesOf(binning, split.rightBins);
    } else if (binning.kind === 'numeric') {
      nodes.threshold[node] = binning.upperBounds[split.binThreshold] as number;
    }
    const depth = parent.depth + 1;
    const left: OpenLeaf = { node: nodes.add(coverLeft), start: parent.start, end: l, slot: -1, depth, totals: split.left, split: null };
    const right: OpenLeaf = { node: nodes.add(coverRight), start: l, end: parent.end, slot: -1, depth, totals: split.right, split: null };
    nodes.left[node] = left.node;
    nodes.right[node] = right.node;
    leaves.splice(pick, 1, left, right);

    const [small, large] = left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
    const smallSplits = canSplit(small.totals.count, depth);
    const largeSplits = canSplit(large.totals.count, depth);
    if (!smallSplits && !largeSplits) {
      freeSlots.push(parent.slot);
      continue;
    }
    small.slot = freeSlots.pop()!;
    builder.build(small.slot, small.start, small.end);
    if (largeSplits) {
      builder.subtract(parent.slot, small.slot);
      large.slot = parent.slot;
      large.split = findBestSplit(hist, large.slot * slotSize, features, layout, large.totals, params);
    } else freeSlots.push(parent.slot);
    if (smallSplits) small.split = findBestSplit(hist, small.slot * slotSize, features, layout, small.totals, params);
    else freeSlots.push(small.slot);
  }
  for (const leaf of leaves) {
    const denominator = leaf.totals.sumH + params.lambda;
    // An empty bag with λ = 0 would give 0 / 0.
    nodes.value[leaf.node] = denominator > 0 ? (-params.learningRate * leaf.totals.sumG) / denominator : 0;
  }
  const routes = new Uint8Array(nodes.routes.length * BINS_PER_FEATURE);
  nodes.routes.forEach((route, node) => route && routes.set(route, node * BINS_PER_FEATURE));
  return { tree: nodes.toTree(), routes, leaves: leaves.map(({ node, start, end }) => ({ node, start, end })) };
}
