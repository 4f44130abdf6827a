/**
 * A fitted model with its probability calibration: P(pay) is the calibration map applied to the
 * model's own probability σ(raw score). Explanations stay in the model's raw (log-odds) space:
 * expected value + Σ contributions = raw score, and the calibration is monotone, so the largest
 * contributions still say why a debtor ranks high. Serialised as the model's own JSON plus a
 * `calibration` field, so the stored kind (logistic, gbdt) does not change.
 */
import { applyCalibrator, isCalibratorState, type CalibratorState } from './calibration';
import { sigmoid, type Explanation, type FeatureImportance, type FeatureMatrix, type FittedModel, type SerializedModel } from './classifier';

/** A {@link FittedModel} whose probabilities go through a fitted calibration map. */
export class CalibratedModel implements FittedModel {
  constructor(
    /** The uncalibrated model: raw scores and explanations. */
    readonly base: FittedModel,
    readonly calibration: CalibratorState,
  ) {}

  get kind(): string {
    return this.base.kind;
  }

  get featureNames(): readonly string[] {
    return this.base.featureNames;
  }

  predictProba(x: FeatureMatrix): Float64Array {
    return applyCalibrator(this.calibration, this.base.predictProba(x));
  }

  explain(x: FeatureMatrix): Explanation {
    return this.base.explain(x);
  }

  explainBatch(x: FeatureMatrix): Promise<Explanation> {
    return this.base.explainBatch(x);
  }

  importance(x?: FeatureMatrix, contributions?: Float64Array): FeatureImportance[] {
    return this.base.importance(x, contributions);
  }

  toJSON(): SerializedModel {
    return { ...this.base.toJSON(), calibration: this.calibration };
  }
}

/** `model` with `calibration` applied to its probabilities (the model itself when it is `none`). */
export function withCalibration(model: FittedModel, calibration: CalibratorState): FittedModel {
  const base = model instanceof CalibratedModel ? model.base : model;
  return calibration.kind === 'none' ? base : new CalibratedModel(base, calibration);
}

/** The calibration stored with a serialised model (`none` when it has none). */
export function storedCalibration(json: SerializedModel): CalibratorState {
  const c = json.calibration;
  if (c === undefined || c === null) return { kind: 'none' };
  if (!isCalibratorState(c)) throw new TypeError('stored model has a malformed calibration');
  return c;
}

/** Calibrated P(pay) from the raw scores (log-odds) of the model's explanation. */
export function probabilitiesFromRaw(model: FittedModel, rawScores: ArrayLike<number>): Float64Array {
  const p = Float64Array.from(rawScores, sigmoid);
  return model instanceof CalibratedModel ? applyCalibrator(model.calibration, p) : p;
}
