/**
 * A fitted gradient-boosted tree model: raw score = baseScore + Σ tree outputs, P(y = 1) = σ(raw).
 * Serialises to compact JSON (one array per node attribute and tree) and back through loadGbdt.
 */
import { ValidationError } from '../../core/errors';
import { sigmoid, type Explanation, type FeatureImportance, type FeatureMatrix, type FittedModel, type SerializedModel } from '../classifier';
import { CodedForest } from './coded-forest';
import { FlatForest } from './flat-forest';
import { Tree, type TreeJson } from './tree';
import { TreeShap, treeExpectedValue } from './tree-shap';
import { explainAcrossThreads } from './shap-threads';

/** The JSON form of a {@link GbdtModel}. */
export interface GbdtModelJson extends SerializedModel {
  readonly kind: 'gbdt';
  readonly formatVersion: 1;
  /** Raw score before any tree: log-odds of the weighted training positive rate. */
  readonly baseScore: number;
  /** Indices of categorical features. */
  readonly categorical: number[];
  readonly trees: TreeJson[];
}

/** A fitted GBDT; see the module comment for the score. */
export class GbdtModel implements FittedModel {
  readonly kind = 'gbdt';
  private forest: CodedForest | FlatForest | null = null;
  private depth = -1;
  private expected: number | undefined;

  constructor(
    readonly featureNames: readonly string[],
    readonly baseScore: number,
    readonly trees: readonly Tree[],
    readonly categorical: readonly number[] = [],
  ) {}

  private checkWidth(x: FeatureMatrix): void {
    if (x.nCols !== this.featureNames.length) {
      throw new ValidationError(`gbdt model expects ${this.featureNames.length} columns, got ${x.nCols}`, { context: { field: 'nCols' } });
    }
    if (x.data.length !== x.nRows * x.nCols) {
      throw new ValidationError(`feature matrix data has ${x.data.length} values, expected nRows × nCols = ${x.nRows * x.nCols}`, { context: { field: 'data' } });
    }
  }

  /** Raw scores (log-odds) per row. */
  predictRaw(x: FeatureMatrix): Float64Array {
    this.checkWidth(x);
    this.forest ??= CodedForest.tryBuild(this.trees, this.featureNames.length) ?? new FlatForest(this.trees);
    const out = new Float64Array(x.nRows).fill(this.baseScore);
    this.forest.addRaw(x.data, x.nCols, x.nRows, out);
    return out;
  }

  /** P(y = 1) per row; batches of 10 000 rows or more are split across the cores. */
  predictProba(x: FeatureMatrix): Float64Array {
    const out = this.predictRaw(x);
    for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i] as number);
    return out;
  }

  /** P(y = 1) of one row given as an array of feature values (NaN for missing). */
  predictRow(row: ArrayLike<number>): number {
    if (row.length !== this.featureNames.length) {
      throw new ValidationError(`gbdt model expects ${this.featureNames.length} values, got ${row.length}`, { context: { field: 'row' } });
    }
    const data = Float64Array.from(row);
    let raw = this.baseScore;
    for (const tree of this.trees) raw += tree.value[tree.leafOf(data, 0)] as number;
    return sigmoid(raw);
  }

  /** Expected raw score over the training rows: baseScore + Σ cover-weighted tree means. */
  expectedValue(): number {
    this.expected ??= this.trees.reduce((sum, tree) => sum + treeExpectedValue(tree), this.baseScore);
    return this.expected;
  }

  /** Exact path-dependent TreeSHAP contributions per row and feature, in log-odds. */
  explain(x: FeatureMatrix): Explanation {
    this.checkWidth(x);
    const contributions = new Float64Array(x.nRows * x.nCols);
    this.addContributions(x.data, x.nCols, 0, x.nRows, contributions);
    return { expectedValue: this.expectedValue(), contributions, rawScores: this.predictRaw(x) };
  }

  /** The same as {@link explain}, with large batches shared among worker threads (same numbers). */
  async explainBatch(x: FeatureMatrix): Promise<Explanation> {
    this.checkWidth(x);
    const contributions = await explainAcrossThreads(this, x);
    return { expectedValue: this.expectedValue(), contributions, rawScores: this.predictRaw(x) };
  }

  /** Adds the TreeSHAP contributions of rows [rowStart, rowEnd) of row-major `data` into `out`. */
  addContributions(data: Float64Array, nCols: number, rowStart: number, rowEnd: number, out: Float64Array): void {
    if (this.depth < 0) this.depth = this.trees.reduce((d, t) => Math.max(d, t.maxDepth()), 0);
    const shap = new TreeShap(this.depth);
    for (let r = rowStart; r < rowEnd; r++) {
      for (const tree of this.trees) shap.addContributions(tree, data, r * nCols, out, r * nCols);
    }
  }

  /**
   * Total split gain per feature, and mean |TreeSHAP contribution| over `x` when given (from
   * `contributions` when the caller already has them, e.g. from {@link explainBatch}).
   */
  importance(x?: FeatureMatrix, contributions?: Float64Array): FeatureImportance[] {
    const gain = new Float64Array(this.featureNames.length);
    for (const tree of this.trees) {
      for (let i = 0; i < tree.nNodes; i++) {
        const f = tree.feature[i] as number;
        if (f >= 0) gain[f]! += tree.gain[i] as number;
      }
    }
    const meanAbs = new Float64Array(this.featureNames.length);
    if (x && x.nRows > 0) {
      const c = contributions ?? this.explain(x).contributions;
      const nCols = x.nCols;
      for (let i = 0; i < c.length; i++) meanAbs[i % nCols]! += Math.abs(c[i] as number);
      for (let f = 0; f < nCols; f++) meanAbs[f]! /= x.nRows;
    }
    return this.featureNames.map((feature, f) => ({ feature, meanAbsContribution: meanAbs[f] as number, gain: gain[f] as number }));
  }

  /** Compact JSON: one array per node attribute and tree; read back by {@link loadGbdt}. */
  toJSON(): GbdtModelJson {
    return {
      kind: 'gbdt',
      formatVersion: 1,
      featureNames: [...this.featureNames],
      baseScore: this.baseScore,
      categorical: [...this.categorical],
      trees: this.trees.map((t) => t.toJSON()),
    };
  }
}

/** Rebuilds a model from {@link GbdtModel.toJSON} output (parsed JSON), validating its shape. */
export function loadGbdt(json: unknown): GbdtModel {
  const j = json as Partial<GbdtModelJson> | null;
  if (j === null || typeof j !== 'object' || j.kind !== 'gbdt') {
    throw new ValidationError('not a serialised gbdt model (kind must be "gbdt")', { context: { field: 'kind' } });
  }
  if (j.formatVersion !== 1) {
    throw new ValidationError(`unsupported gbdt formatVersion ${String(j.formatVersion)}`, { context: { field: 'formatVersion' } });
  }
  if (!Array.isArray(j.featureNames) || typeof j.baseScore !== 'number' || !Array.isArray(j.trees)) {
    throw new ValidationError('gbdt model JSON needs featureNames, baseScore and trees', { context: { field: 'trees' } });
  }
  const nFeatures = j.featureNames.length;
  return new GbdtModel(j.featureNames, j.baseScore, j.trees.map((t) => Tree.fromJSON(t, nFeatures)), j.categorical ?? []);
}
