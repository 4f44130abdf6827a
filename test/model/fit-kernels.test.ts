/**
 * The fit's WebAssembly kernels against plain loops: histograms entry for entry (the same additions
 * in the same order, so equal to the last bit), partitions against a stable filter, and the
 * committed module against its .wat source.
 */
import { Rng } from '../../src/core/rng';
import { FIT_KERNELS_BASE64 } from '../../src/model/fit-kernels-wasm';
import { instantiateFitKernels, kernelMemory, memoryLayout, unsharedModuleBytes } from '../../src/model/fit-kernels';
import { HIST_STRIDE } from '../../src/model/gbdt/histogram-kernel';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { assemble } = require('../../scripts/build-kernels.js') as { assemble(): Promise<{ shared: Buffer; unshared: Buffer }> };

/** One memory laid out like a fit's, with typed views and their byte addresses. */
function fitMemory(nRows: number, nCols: number) {
  const at = memoryLayout({ bins: nRows * nCols, binsRow: nRows * nCols, rows: nRows * 4, right: nRows * 4, grad: nRows * 8, hess: nRows * 8, hist: 2 * nCols * HIST_STRIDE * 8, features: nCols * 4, nBins: nCols * 4, route: 256, treeFeature: 64 * 4, treeLeft: 64 * 4, treeRight: 64 * 4, treeValue: 64 * 8, treeRoutes: 64 * 256 });
  const memory = kernelMemory(at.bytes, () => new Error('too large'));
  const b = memory.buffer;
  return {
    at,
    kernels: instantiateFitKernels(memory),
    bins: new Uint8Array(b, at.bins, nRows * nCols),
    binsRow: new Uint8Array(b, at.binsRow, nRows * nCols),
    rows: new Int32Array(b, at.rows, nRows),
    right: new Int32Array(b, at.right, nRows),
    grad: new Float64Array(b, at.grad, nRows),
    hess: new Float64Array(b, at.hess, nRows),
    hist: new Float64Array(b, at.hist, 2 * nCols * HIST_STRIDE),
    features: new Int32Array(b, at.features, nCols),
    nBins: new Int32Array(b, at.nBins, nCols),
    route: new Uint8Array(b, at.route, 256),
  };
}

describe('GBDT fit kernels', () => {
  const rng = new Rng(17);
  const nRows = 5000;
  const nCols = 7;
  const m = fitMemory(nRows, nCols);
  // value bins per feature: a binary column, a dozen categories, a full numeric one...
  const valueBins = [2, 12, 255, 40, 1, 255, 100];
  m.nBins.set(valueBins);
  for (let r = 0; r < nRows; r++) {
    m.grad[r] = rng.normal();
    m.hess[r] = rng.next() * 0.25;
    for (let f = 0; f < nCols; f++) {
      // a spike in bin 0 and missing values in bin 255
      const code = rng.bernoulli(0.1) ? 255 : rng.bernoulli(0.3) ? 0 : rng.int(valueBins[f]!);
      m.binsRow[r * nCols + f] = code;
      m.bins[f * nRows + r] = code;
    }
  }

  it('sums each listed feature\'s histogram over the listed rows, as a plain loop does, and writes nothing else', () => {
    const listed = [1, 2, 4, 6];
    for (const features of [Array.from({ length: nCols }, (_, f) => f), listed]) {
      let n = 0;
      for (let r = 0; r < nRows; r++) if (rng.bernoulli(0.7)) m.rows[n++] = r;
      const start = 13;
      const end = n - 29;
      m.features.set(features);
      m.hist.fill(-7); // stale values from an earlier leaf
      const slot = 1;
      m.kernels.histograms(m.at.binsRow, nCols, m.at.rows, start, end, m.at.grad, m.at.hess, m.at.hist + slot * nCols * HIST_STRIDE * 8, m.at.features, features.length, m.at.nBins);
      const expected = new Float64Array(2 * nCols * HIST_STRIDE).fill(-7);
      const base = slot * nCols * HIST_STRIDE;
      for (const f of features) {
        for (let b = 0; b < valueBins[f]!; b++) expected.fill(0, base + f * HIST_STRIDE + b * 3, base + f * HIST_STRIDE + b * 3 + 3);
        expected.fill(0, base + f * HIST_STRIDE + 765, base + f * HIST_STRIDE + 768);
      }
      for (let i = start; i < end; i++) {
        const r = m.rows[i]!;
        for (const f of features) {
          const o = base + f * HIST_STRIDE + m.binsRow[r * nCols + f]! * 3;
          expected[o]! += m.grad[r]!;
          expected[o + 1]! += m.hess[r]!;
          expected[o + 2]! += 1;
        }
      }
      expect(Array.from(m.hist)).toEqual(Array.from(expected));
      // the counts add up to the rows summed, for every listed feature
      for (const f of features) {
        let count = 0;
        for (let b = 0; b < 256; b++) if (b < valueBins[f]! || b === 255) count += m.hist[base + f * HIST_STRIDE + b * 3 + 2]!;
        expect(count).toBe(end - start);
      }
    }
  });

  it('partitions a range of rows stably by a bin routing table', () => {
    let n = 0;
    for (let r = 0; r < nRows; r++) if (rng.bernoulli(0.6)) m.rows[n++] = r;
    const before = Array.from(m.rows.subarray(0, n));
    for (let b = 0; b < 256; b++) m.route[b] = rng.bernoulli(0.5) ? 1 : 0;
    const f = 2;
    const a = 101;
    const b = n - 57;
    const nLeft = m.kernels.partition(m.at.bins + f * nRows, m.at.rows, a, b, m.at.route, m.at.right);
    const range = before.slice(a, b);
    const left = range.filter((r) => m.route[m.bins[f * nRows + r]!] === 1);
    const right = range.filter((r) => m.route[m.bins[f * nRows + r]!] === 0);
    expect(nLeft).toBe(left.length);
    expect(left.length).toBeGreaterThan(100);
    expect(right.length).toBeGreaterThan(100);
    expect(Array.from(m.rows.subarray(a, a + nLeft))).toEqual(left);
    expect(Array.from(m.right.subarray(a, a + right.length))).toEqual(right);
    // rows outside the range are untouched
    expect(Array.from(m.rows.subarray(0, a))).toEqual(before.slice(0, a));
    expect(Array.from(m.rows.subarray(b, n))).toEqual(before.slice(b, n));
  });

  it('adds a tree\'s leaf values to the listed rows\' scores, descending on their bin codes', () => {
    // a random tree of 31 nodes: node k splits on a random feature with a random routing table
    const nNodes = 31;
    const feature = new Int32Array(nNodes).fill(-1);
    const left = new Int32Array(nNodes).fill(-1);
    const right = new Int32Array(nNodes).fill(-1);
    const value = Float64Array.from({ length: nNodes }, () => rng.normal());
    const routes = new Uint8Array(nNodes * 256);
    for (let k = 0; 2 * k + 2 < nNodes; k++) {
      feature[k] = rng.int(nCols);
      left[k] = 2 * k + 1;
      right[k] = 2 * k + 2;
      for (let b = 0; b < 256; b++) routes[k * 256 + b] = rng.bernoulli(0.5) ? 1 : 0;
    }
    const at = { feature: m.at.treeFeature, left: m.at.treeLeft, right: m.at.treeRight, value: m.at.treeValue, routes: m.at.treeRoutes };
    const b = m.rows.buffer;
    new Int32Array(b, at.feature, nNodes).set(feature);
    new Int32Array(b, at.left, nNodes).set(left);
    new Int32Array(b, at.right, nNodes).set(right);
    new Float64Array(b, at.value, nNodes).set(value);
    new Uint8Array(b, at.routes, nNodes * 256).set(routes);
    let n = 0;
    for (let r = 0; r < nRows; r++) if (rng.bernoulli(0.3)) m.rows[n++] = r;
    const before = Float64Array.from({ length: nRows }, () => rng.normal());
    m.grad.set(before); // the grad buffer serves as the scores here
    m.kernels.descend(at.feature, at.left, at.right, at.value, at.routes, m.at.bins, nRows, m.at.rows, n, m.at.grad);
    const expected = Float64Array.from(before);
    for (let i = 0; i < n; i++) {
      const r = m.rows[i]!;
      let node = 0;
      while (feature[node]! >= 0) node = routes[node * 256 + m.bins[feature[node]! * nRows + r]!] === 1 ? left[node]! : right[node]!;
      expected[r]! += value[node]!;
    }
    expect(Array.from(m.grad)).toEqual(Array.from(expected));
    // every listed row moved, and only those
    let moved = 0;
    for (let r = 0; r < nRows; r++) if (m.grad[r] !== before[r]) moved++;
    expect(moved).toBe(n);
  });

  it('carries the modules assembled from fit-kernels.wat (npm run build:kernels), for shared and unshared memories', async () => {
    const { shared, unshared } = await assemble();
    expect(shared.toString('base64')).toBe(FIT_KERNELS_BASE64);
    expect(Buffer.from(unsharedModuleBytes(Buffer.from(FIT_KERNELS_BASE64, 'base64'))).toString('base64')).toBe(unshared.toString('base64'));
    // the unshared module is the same code: only the memory import differs
    expect(unshared.length).toBe(shared.length);
    expect(unshared.equals(shared)).toBe(false);
  });
});
