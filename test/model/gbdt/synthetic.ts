/** Small seeded datasets for the GBDT tests. */
import { Rng } from '../../../src/core/rng';
import type { Dataset, FeatureMatrix } from '../../../src/model/classifier';
import { sigmoid } from '../../../src/model/classifier';

/** A logistic ground truth on nCols features, with some NaN and a non-linear term. */
export function logisticData(nRows: number, nCols: number, seed: number, missingRate = 0.05): Dataset {
  const rng = new Rng(seed);
  const data = new Float64Array(nRows * nCols);
  const y = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r++) {
    let z = -1;
    for (let f = 0; f < nCols; f++) {
      const v = rng.normal();
      data[r * nCols + f] = rng.bernoulli(missingRate) ? NaN : v;
      z += (f % 3 === 0 ? 1 : f % 3 === 1 ? -0.5 : 0) * v + (f === 2 ? v * v * 0.5 : 0);
    }
    y[r] = rng.bernoulli(sigmoid(z)) ? 1 : 0;
  }
  return { nRows, nCols, data, y, featureNames: Array.from({ length: nCols }, (_, f) => `x${f}`) };
}

/** Rows [start, end) of a dataset. */
export function sliceRows(d: Dataset, start: number, end: number): Dataset {
  return { ...d, nRows: end - start, data: d.data.slice(start * d.nCols, end * d.nCols), y: d.y.slice(start, end), weights: d.weights?.slice(start, end) };
}

/** Mean log-loss of probabilities. */
export function logLoss(p: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s -= Math.log(y[i] === 1 ? (p[i] as number) : 1 - (p[i] as number));
  return s / p.length;
}

/** A matrix view of a dataset without labels. */
export function matrix(d: Dataset): FeatureMatrix {
  return { nRows: d.nRows, nCols: d.nCols, data: d.data };
}
