/**
 * Gradient boosting of histogram trees on the binary log-loss: each round fits a tree to the
 * gradients of the current raw scores, on a bagged row sample and a sampled feature subset, and
 * stops early when the validation log-loss stops improving.
 */
import { ValidationError } from '../../core/errors';
import { Rng } from '../../core/rng';
import type { Classifier, Dataset, FitOptions } from '../classifier';
import { MISSING_BIN, binMatrix, fitBinnings, valueBinCount } from './binning';
import { autoThreads } from './cpu-budget';
import { GbdtModel } from './gbdt-model';
import { HistogramBuilder } from './histogram-builder';
import { baseScore, meanLogLoss } from './objective';
import { resolveGbdtOptions, type GbdtOptions, type ResolvedGbdtOptions } from './options';
import type { FeatureLayout } from './split-finder';
import type { Tree } from './tree';
import { growTree, type GrowthContext } from './tree-builder';

function fail(field: string, message: string): never {
  throw new ValidationError(message, { context: { field } });
}

function checkDataset(d: Dataset, role: string): void {
  if (d.nRows < 1 || d.nCols < 1) fail(role, `${role} set must have at least one row and one column`);
  if (d.data.length !== d.nRows * d.nCols) fail(`${role}.data`, `${role}.data has ${d.data.length} values, expected nRows × nCols = ${d.nRows * d.nCols}`);
  if (d.featureNames.length !== d.nCols) fail(`${role}.featureNames`, `${role}.featureNames has ${d.featureNames.length} names for ${d.nCols} columns`);
  if (d.y.length !== d.nRows) fail(`${role}.y`, `${role}.y has ${d.y.length} labels for ${d.nRows} rows`);
  for (let i = 0; i < d.nRows; i++) if (d.y[i]! > 1) fail(`${role}.y`, `${role}.y must hold 0 or 1, got ${d.y[i]} at row ${i}`);
  if (d.weights) {
    if (d.weights.length !== d.nRows) fail(`${role}.weights`, `${role}.weights has ${d.weights.length} values for ${d.nRows} rows`);
    for (let i = 0; i < d.nRows; i++) {
      const w = d.weights[i] as number;
      if (!(w >= 0 && w < Infinity)) fail(`${role}.weights`, `${role}.weights must be finite and ≥ 0, got ${w} at row ${i}`);
    }
  }
  for (const c of d.categorical ?? []) {
    if (!Number.isInteger(c) || c < 0 || c >= d.nCols) fail(`${role}.categorical`, `${role}.categorical lists column ${c}, outside 0..${d.nCols - 1}`);
  }
}

/** Draws the in-bag rows into rows[0..n) and the out-of-bag ones into oob[0..m); returns n. */
function drawBag(rng: Rng, nRows: number, fraction: number, rows: Int32Array, oob: Int32Array): number {
  let n = 0;
  let m = 0;
  if (fraction >= 1) {
    for (let r = 0; r < nRows; r++) rows[r] = r;
    return nRows;
  }
  // One draw per row per round adds up (10⁷ a fit): an inline xorshift32, seeded from the fit's
  // Rng each round, costs a few shifts where a method call per row costs several times more.
  const threshold = fraction * 4294967296;
  let x = rng.nextUint32() | 1;
  for (let r = 0; r < nRows; r++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // both writes, then one cursor moves: a fifth of the rows go out of bag at random, which a
    // branch would mispredict
    const inBag = +(x >>> 0 < threshold);
    rows[n] = r;
    oob[m] = r;
    n += inBag;
    m += 1 - inBag;
  }
  return n;
}

function drawFeatures(rng: Rng, nCols: number, fraction: number): number[] {
  const all = Array.from({ length: nCols }, (_, f) => f);
  if (fraction >= 1) return all;
  const k = Math.max(1, Math.round(nCols * fraction));
  return rng.shuffle(all).slice(0, k).sort((a, b) => a - b);
}

/** The gradient-boosted tree classifier; `fit` returns a {@link GbdtModel}. */
export class GbdtClassifier implements Classifier {
  readonly kind = 'gbdt';
  /** The options with defaults filled in. */
  readonly options: ResolvedGbdtOptions;

  /** Validates the options at once; a ValidationError names the offending option. */
  constructor(options: GbdtOptions = {}) {
    this.options = resolveGbdtOptions(options);
  }

  /**
   * Fits on `train`; with `fitOptions.validation`, stops early on its log-loss and keeps the best
   * round. Its worker threads come from a pool of idle, unref'd workers and go back to it when the
   * call ends.
   */
  async fit(train: Dataset, fitOptions: FitOptions = {}): Promise<GbdtModel> {
    checkDataset(train, 'train');
    const validation = fitOptions.validation;
    if (validation) {
      checkDataset(validation, 'validation');
      if (validation.nCols !== train.nCols) fail('validation.nCols', `validation has ${validation.nCols} columns, train has ${train.nCols}`);
    }
    const o = this.options;
    const { nRows, nCols, y } = train;
    const weights = train.weights ?? null;
    const categorical = [...new Set(train.categorical ?? [])].sort((a, b) => a - b);
    const binnings = fitBinnings(train, new Set(categorical), o.maxBins, train.featureNames);
    const layout: FeatureLayout = {
      categorical: Uint8Array.from(binnings, (b) => (b.kind === 'categorical' ? 1 : 0)),
      valueBins: Int32Array.from(binnings, (b) => Math.min(valueBinCount(b), MISSING_BIN)),
    };
    const base = baseScore(y, weights);
    const threads = nRows < o.parallelMinRows ? 1 : o.nThreads > 0 ? o.nThreads : autoThreads();
    const builder = await HistogramBuilder.create(nRows, nCols, o.numLeaves, threads, y, weights, layout.valueBins, validation?.nRows ?? 0);
    try {
      binMatrix(train, binnings, builder.bins);
      builder.transposeBins();
      const trees = this.boost(train, validation, builder, { binnings, layout, params: o, weights, builder }, base, fitOptions.seed ?? 42);
      return new GbdtModel(train.featureNames, base, trees, categorical);
    } finally {
      await builder.close();
    }
  }

  private boost(train: Dataset, validation: Dataset | undefined, builder: HistogramBuilder, ctx: GrowthContext, base: number, seed: number): Tree[] {
    const o = this.options;
    const { nRows, nCols } = train;
    const { rows, oob, scores, grad, hess, valScores } = builder;
    scores.fill(base);
    const rng = new Rng(seed);
    const bagRng = rng.fork('bagging');
    const featureRng = rng.fork('colsample');
    if (validation) {
      valScores.fill(base);
      binMatrix(validation, ctx.binnings, builder.valBins);
    }
    const patience = validation && o.earlyStoppingRounds > 0 ? o.earlyStoppingRounds : Infinity;
    let bestLoss = Infinity;
    let bestRound = -1;
    const trees: Tree[] = [];
    for (let round = 0; round < o.numRounds; round++) {
      const nInBag = drawBag(bagRng, nRows, o.subsample, rows, oob);
      builder.gradients(nInBag);
      builder.setFeatures(drawFeatures(featureRng, nCols, o.colsample));
      const grown = growTree(ctx, grad, hess, nInBag);
      // in-bag rows by their leaves; out-of-bag and validation rows descend on their bin codes,
      // which route exactly as their raw values do
      builder.addTree(grown.tree, grown.routes, grown.leaves, nRows - nInBag);
      trees.push(grown.tree);
      if (validation) {
        const loss = meanLogLoss(valScores, validation.y, validation.weights ?? null);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestRound = round;
        } else if (round - bestRound >= patience) break;
      }
    }
    if (validation && patience < Infinity && bestRound >= 0) trees.length = bestRound + 1;
    return trees;
  }
}
