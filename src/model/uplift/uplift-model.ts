/**
 * The uplift model the nightly scores with: a fitted {@link TLearner} with the shrinkage of its
 * per-debtor effect towards the mean effect it learned, serialisable to JSON for the registry
 * (`scoring.uplift_models`). The learned difference P(pay | called) − P(pay | not called) is the
 * difference of two noisy estimates; multiplied by an amount, its noise would decide the order of
 * large balances. Keeping `shrink` of a debtor's deviation from the mean effect (0.25, chosen on
 * one synthetic office of 5,000 debtors and checked out of sample at 20,000: bench/ranking/RESULTS.md)
 * trades that noise for a little bias.
 */
import type { FeatureMatrix, FittedModel, SerializedModel } from '../classifier';
import { loadFittedModel } from '../model-kinds';
import { ValidationError } from '../../core/errors';
import { predictUplift, type TLearner } from './t-learner';

/** Share of a debtor's deviation from the mean learned effect that is kept. @defaultValue 0.25 */
export const DEFAULT_UPLIFT_SHRINK = 0.25;

/** A stored uplift model, ready to predict. */
export interface UpliftModel {
  readonly kind: 't_learner';
  readonly featureNames: readonly string[];
  readonly treated: FittedModel;
  readonly control: FittedModel;
  /** Mean learned effect on P(pay) over the rows it was fitted on. */
  readonly meanUplift: number;
  /** Share of a debtor's deviation from {@link meanUplift} kept. */
  readonly shrink: number;
}

/** What the nightly stores per debtor. */
export interface UpliftScores {
  /** P(pay) if called, as learned (unshrunk). */
  readonly pCalled: Float64Array;
  /** P(pay) if not called, as learned (unshrunk). */
  readonly pNotCalled: Float64Array;
  /** The shrunk effect of a call on P(pay): meanUplift + shrink × (pCalled − pNotCalled − meanUplift). */
  readonly uplift: Float64Array;
}

/** The JSON form of an {@link UpliftModel}. */
export interface SerializedUpliftModel {
  readonly kind: 't_learner';
  readonly formatVersion: 1;
  readonly featureNames: readonly string[];
  readonly treated: SerializedModel;
  readonly control: SerializedModel;
  readonly meanUplift: number;
  readonly shrink: number;
}

/** Wraps fitted arms; `fitFrame` gives the mean learned effect (its rows, any treatment). */
export function upliftModelOf(learner: TLearner, fitFrame: FeatureMatrix, shrink = DEFAULT_UPLIFT_SHRINK): UpliftModel {
  if (!(shrink >= 0 && shrink <= 1)) throw new ValidationError(`shrink must be within [0, 1] (got ${shrink})`, { context: { field: 'shrink' } });
  const { uplift } = predictUplift(learner, fitFrame);
  let sum = 0;
  for (const u of uplift) sum += u;
  return { kind: 't_learner', featureNames: learner.treated.featureNames, treated: learner.treated, control: learner.control, meanUplift: uplift.length ? sum / uplift.length : 0, shrink };
}

/** Predicts both arms and the shrunk effect on `x` (columns in {@link UpliftModel.featureNames} order). */
export function predictUpliftScores(model: UpliftModel, x: FeatureMatrix): UpliftScores {
  const { pCalled, pNotCalled, uplift } = predictUplift(model, x);
  const shrunk = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) shrunk[i] = model.meanUplift + model.shrink * ((uplift[i] as number) - model.meanUplift);
  return { pCalled, pNotCalled, uplift: shrunk };
}

/** The JSON stored in `scoring.uplift_models.model`. */
export function serializeUpliftModel(model: UpliftModel): SerializedUpliftModel {
  return { kind: 't_learner', formatVersion: 1, featureNames: [...model.featureNames], treated: model.treated.toJSON(), control: model.control.toJSON(), meanUplift: model.meanUplift, shrink: model.shrink };
}

/** An uplift model back from its JSON. */
export function loadUpliftModel(json: SerializedUpliftModel): UpliftModel {
  if (json.kind !== 't_learner') throw new ValidationError(`unknown uplift model kind ${String(json.kind)}`, { context: { field: 'kind' } });
  return { kind: 't_learner', featureNames: json.featureNames, treated: loadFittedModel(json.treated), control: loadFittedModel(json.control), meanUplift: json.meanUplift, shrink: json.shrink };
}
