/**
 * A T-learner of the effect of a call: one classifier of P(pay in the horizon) fitted on the
 * snapshots after which the debtor was called (treated), one on those after which he was not
 * (control); the uplift of a debtor is the difference of the two predictions. Under the usual
 * calling policy who gets called depends on balance, stage and chance; the features hold balance
 * and stage, so within equal features the treatment is as good as random (the assumption every
 * observational uplift model makes, stated here rather than hidden).
 */
import type { Classifier, Dataset, FeatureMatrix, FittedModel } from '../classifier';
import { ValidationError } from '../../core/errors';

/** The two fitted arms. */
export interface TLearner {
  readonly treated: FittedModel;
  readonly control: FittedModel;
  /** Treated and control rows fitted on. */
  readonly rows: { treated: number; control: number };
}

/** Predictions of both arms and their difference. */
export interface UpliftPrediction {
  /** P(pay) if called. */
  readonly pCalled: Float64Array;
  /** P(pay) if not called. */
  readonly pNotCalled: Float64Array;
  /** pCalled − pNotCalled. */
  readonly uplift: Float64Array;
}

/** The rows of `ds` whose flag equals `keep`, as a dataset of their own. */
function subset(ds: Dataset, treated: Uint8Array, keep: number): Dataset {
  const rows: number[] = [];
  for (let i = 0; i < ds.nRows; i++) if (treated[i] === keep) rows.push(i);
  const data = new Float64Array(rows.length * ds.nCols);
  const y = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    data.set(ds.data.subarray(r * ds.nCols, (r + 1) * ds.nCols), i * ds.nCols);
    y[i] = ds.y[r] as number;
  });
  return { nRows: rows.length, nCols: ds.nCols, data, y, featureNames: ds.featureNames, ...(ds.categorical ? { categorical: ds.categorical } : {}) };
}

/**
 * Fits both arms with `classifier` (the same kind and options for both). `treated[i]` is 1 when
 * row i was followed by a call in the treatment window. Throws when an arm has no positive or no
 * negative row: its probability could not be learned.
 */
export async function fitTLearner(ds: Dataset, treated: Uint8Array, classifier: Classifier, seed = 1): Promise<TLearner> {
  if (treated.length !== ds.nRows) throw new ValidationError(`treated: has ${treated.length} flags for ${ds.nRows} rows`);
  const arms = [subset(ds, treated, 1), subset(ds, treated, 0)] as const;
  for (const [name, arm] of [['treated', arms[0]], ['control', arms[1]]] as const) {
    let positives = 0;
    for (const v of arm.y) positives += v;
    if (positives === 0 || positives === arm.nRows) throw new ValidationError(`treated: the ${name} arm has ${positives} payers out of ${arm.nRows} rows, nothing to learn`);
  }
  const treatedModel = await classifier.fit(arms[0], { seed });
  const controlModel = await classifier.fit(arms[1], { seed });
  return { treated: treatedModel, control: controlModel, rows: { treated: arms[0].nRows, control: arms[1].nRows } };
}

/** Predicts both arms on `x` (columns in the fitted feature order). */
export function predictUplift(model: Pick<TLearner, 'treated' | 'control'>, x: FeatureMatrix): UpliftPrediction {
  const pCalled = model.treated.predictProba(x);
  const pNotCalled = model.control.predictProba(x);
  const uplift = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) uplift[i] = (pCalled[i] as number) - (pNotCalled[i] as number);
  return { pCalled, pNotCalled, uplift };
}
