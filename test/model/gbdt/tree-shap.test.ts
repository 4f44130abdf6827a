/**
 * TreeSHAP against brute-force Shapley values: every subset of features enumerated, with the
 * conditional expectation E[f(x) | x_S] taken by cover-weighted traversal of the tree.
 */
import { Rng } from '../../../src/core/rng';
import { GbdtClassifier } from '../../../src/model/gbdt';
import { Tree } from '../../../src/model/gbdt/tree';
import { TreeShap } from '../../../src/model/gbdt/tree-shap';
import { explainAcrossThreads } from '../../../src/model/gbdt/shap-threads';
import { logisticData, matrix } from './synthetic';

/** Direction at an internal node, re-derived from the documented rule rather than the model code. */
function left(tree: Tree, node: number, v: number): boolean {
  const cats = tree.categories[node];
  if (v !== v) return tree.defaultLeft[node] === 1;
  if (cats) {
    if (cats.includes(v)) return true;
    if (tree.rightCategories[node]!.includes(v)) return false;
    return tree.defaultLeft[node] === 1;
  }
  return v <= tree.threshold[node]!;
}

function conditional(tree: Tree, node: number, x: Float64Array, known: Set<number>): number {
  const f = tree.feature[node]!;
  if (f < 0) return tree.value[node]!;
  const l = tree.left[node]!;
  const r = tree.right[node]!;
  if (known.has(f)) return conditional(tree, left(tree, node, x[f]!) ? l : r, x, known);
  return (tree.cover[l]! * conditional(tree, l, x, known) + tree.cover[r]! * conditional(tree, r, x, known)) / tree.cover[node]!;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

function bruteForceShapley(tree: Tree, x: Float64Array, m: number): Float64Array {
  const phi = new Float64Array(m);
  for (let mask = 0; mask < 1 << m; mask++) {
    const s = new Set<number>();
    for (let f = 0; f < m; f++) if (mask & (1 << f)) s.add(f);
    const base = conditional(tree, 0, x, s);
    const weight = (factorial(s.size) * factorial(m - s.size - 1)) / factorial(m);
    for (let i = 0; i < m; i++) {
      if (s.has(i)) continue;
      phi[i]! += weight * (conditional(tree, 0, x, new Set([...s, i])) - base);
    }
  }
  return phi;
}

/** A random numeric tree in preorder, with covers that add up and features repeated along paths. */
function randomTree(rng: Rng, m: number, maxDepth: number): Tree {
  const nodes: { feature: number; threshold: number; defaultLeft: number; left: number; right: number; value: number; cover: number }[] = [];
  const grow = (depth: number, cover: number): number => {
    const id = nodes.length;
    nodes.push({ feature: -1, threshold: 0, defaultLeft: 0, left: -1, right: -1, value: rng.normal(), cover });
    if (depth < maxDepth && rng.bernoulli(depth === 0 ? 1 : 0.75)) {
      const node = nodes[id]!;
      node.feature = rng.int(m);
      node.threshold = rng.normal(0, 0.8);
      node.defaultLeft = rng.bernoulli(0.5) ? 1 : 0;
      node.value = 0;
      const share = rng.uniform(0.1, 0.9);
      node.left = grow(depth + 1, cover * share);
      node.right = grow(depth + 1, cover * (1 - share));
    }
    return id;
  };
  grow(0, rng.uniform(50, 500));
  const col = <K extends keyof (typeof nodes)[number]>(k: K): number[] => nodes.map((n) => n[k]);
  return new Tree({
    feature: Int32Array.from(col('feature')),
    threshold: Float64Array.from(col('threshold')),
    defaultLeft: Uint8Array.from(col('defaultLeft')),
    left: Int32Array.from(col('left')),
    right: Int32Array.from(col('right')),
    value: Float64Array.from(col('value')),
    gain: new Float64Array(nodes.length),
    cover: Float64Array.from(col('cover')),
    categories: nodes.map(() => null),
    rightCategories: nodes.map(() => null),
  });
}

describe('TreeSHAP', () => {
  it('equals brute-force Shapley values on random trees, and adds up to the prediction', () => {
    const rng = new Rng(7);
    const m = 5;
    for (let t = 0; t < 30; t++) {
      const tree = randomTree(rng, m, 2 + (t % 5));
      const shap = new TreeShap(tree.maxDepth());
      for (let row = 0; row < 5; row++) {
        const x = Float64Array.from({ length: m }, () => (rng.bernoulli(0.15) ? NaN : rng.normal()));
        const phi = new Float64Array(m);
        shap.addContributions(tree, x, 0, phi, 0);
        const expected = bruteForceShapley(tree, x, m);
        for (let f = 0; f < m; f++) expect(Math.abs(phi[f]! - expected[f]!)).toBeLessThan(1e-9);
        const all = new Set(Array.from({ length: m }, (_, f) => f));
        const total = phi.reduce((a, b) => a + b, 0) + conditional(tree, 0, x, new Set());
        expect(Math.abs(total - conditional(tree, 0, x, all))).toBeLessThan(1e-9);
      }
    }
  });

  it('explains a fitted model (numeric, missing and categorical splits) exactly', async () => {
    const data = logisticData(600, 4, 3, 0.1);
    // Column 3 becomes a categorical code whose effect is not monotone.
    const rng = new Rng(11);
    const x = data.data.slice();
    const y = data.y.slice();
    for (let r = 0; r < data.nRows; r++) {
      const code = rng.int(6);
      x[r * 4 + 3] = code;
      if (code === 1 || code === 4) y[r] = rng.bernoulli(0.8) ? 1 : y[r]!;
    }
    const train = { ...data, data: x, y, categorical: [3] };
    const model = await new GbdtClassifier({ numRounds: 15, numLeaves: 6, minDataInLeaf: 10, learningRate: 0.3, nThreads: 1 }).fit(train);
    expect(model.trees.some((t) => t.categories.some((c) => c !== null))).toBe(true);
    const rows = { nRows: 40, nCols: 4, data: x.slice(0, 160) };
    rows.data[3] = 99; // a category never seen in training
    const explanation = model.explain(rows);
    for (let r = 0; r < rows.nRows; r++) {
      const row = rows.data.subarray(r * 4, r * 4 + 4);
      const expected = new Float64Array(4);
      for (const tree of model.trees) bruteForceShapley(tree, row, 4).forEach((v, f) => (expected[f]! += v));
      let sum = explanation.expectedValue;
      for (let f = 0; f < 4; f++) {
        const got = explanation.contributions[r * 4 + f]!;
        expect(Math.abs(got - expected[f]!)).toBeLessThan(1e-9);
        sum += got;
      }
      expect(Math.abs(sum - explanation.rawScores[r]!)).toBeLessThan(1e-9);
    }
    const importance = model.importance(matrix({ ...train, nRows: 40, data: rows.data }));
    importance.forEach((imp, f) => {
      let mean = 0;
      for (let r = 0; r < 40; r++) mean += Math.abs(explanation.contributions[r * 4 + f]!) / 40;
      expect(imp.meanAbsContribution).toBeCloseTo(mean, 12);
    });
    const totalGain = model.trees.reduce((s, t) => s + t.gain.reduce((a, b) => a + b, 0), 0);
    expect(importance.reduce((s, i) => s + i.gain, 0)).toBeCloseTo(totalGain, 9);
  });

  it('gives the same contributions, to the bit, when a large batch is shared among threads', async () => {
    const data = logisticData(4000, 6, 5);
    const model = await new GbdtClassifier({ numRounds: 60, numLeaves: 15, minDataInLeaf: 20, learningRate: 0.2, nThreads: 1 }).fit(data);
    expect(model.trees.length * data.nRows).toBeGreaterThanOrEqual(200_000); // large enough to use the threads
    const single = model.explain(data);
    const workersOnly = await explainAcrossThreads(model, data, { threads: 3, callerWorks: false });
    expect(Array.from(workersOnly)).toEqual(Array.from(single.contributions));
    const shared = await explainAcrossThreads(model, data, { threads: 2 });
    expect(Array.from(shared)).toEqual(Array.from(single.contributions));
    const batch = await model.explainBatch(data);
    expect(batch.expectedValue).toBe(single.expectedValue);
    expect(Array.from(batch.contributions)).toEqual(Array.from(single.contributions));
    // importance from the threads' contributions: the training run's figures, to the bit
    expect(model.importance(data, batch.contributions)).toEqual(model.importance(data));
  });
});
