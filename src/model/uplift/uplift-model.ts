/**
 * The uplift model the nightly scores with, serialisable to JSON for the registry
 * (`scoring.uplift_models`). Two kinds:
 *
 * - `structural` (what the retrain fits): the effect of a call that reaches the debtor, decomposed
 *   along what a call does — P(promise | right-party contact) × P(kept | promise) × (1 − P(pay if
 *   not called)), the last factor being the payment the kept promise would only replace. The first
 *   two are learned from call and promise outcomes, which are not confounded the way "called or
 *   not" is (the office decides whom to call, not how the debtor answers); the third is the control
 *   arm of a T-learner (the snapshots not followed by a call in the treatment window). P(pay if
 *   called) is then P(pay if not called) + that effect, for a call that reaches the debtor; the
 *   ranking multiplies by P(contact in the window) itself.
 * - `t_learner` (kept readable): one classifier per arm, the effect their difference shrunk towards
 *   the mean effect it learned (`shrink` of a debtor's deviation kept: the difference of two noisy
 *   fits, multiplied by an amount, would otherwise decide the order of large balances).
 *
 * Measured against the synthetic truth in bench/ranking/RESULTS.md.
 */
import type { FeatureMatrix, FittedModel, SerializedModel } from '../classifier';
import { loadFittedModel } from '../model-kinds';
import { ValidationError } from '../../core/errors';
import { predictUplift, type TLearner } from './t-learner';

/** Share of a T-learner's per-debtor deviation from its mean effect that is kept. @defaultValue 0.25 */
export const DEFAULT_UPLIFT_SHRINK = 0.25;

/** A T-learner with its shrinkage. */
export interface TLearnerUpliftModel {
  readonly kind: 't_learner';
  readonly featureNames: readonly string[];
  readonly treated: FittedModel;
  readonly control: FittedModel;
  /** Mean learned effect on P(pay) over the rows it was fitted on. */
  readonly meanUplift: number;
  readonly shrink: number;
}

/** The structural decomposition of the effect of a call that reaches the debtor. */
export interface StructuralUpliftModel {
  readonly kind: 'structural';
  readonly featureNames: readonly string[];
  /** P(promise) given a right-party contact in the horizon. */
  readonly promise: FittedModel;
  /** P(kept) given a promise on the phone in the horizon. */
  readonly kept: FittedModel;
  /** P(pay in the horizon) when not called in the treatment window. */
  readonly control: FittedModel;
}

/** A stored uplift model, ready to predict. */
export type UpliftModel = TLearnerUpliftModel | StructuralUpliftModel;

/** What the nightly stores per debtor. */
export interface UpliftScores {
  /** P(pay) if called (structural: if the call reaches the debtor). */
  readonly pCalled: Float64Array;
  /** P(pay) if not called. */
  readonly pNotCalled: Float64Array;
  /** The effect of a call on P(pay) the list ranks by. */
  readonly uplift: Float64Array;
}

/** The JSON form of an {@link UpliftModel}. */
export type SerializedUpliftModel =
  | { readonly kind: 't_learner'; readonly formatVersion: 1; readonly featureNames: readonly string[]; readonly treated: SerializedModel; readonly control: SerializedModel; readonly meanUplift: number; readonly shrink: number }
  | { readonly kind: 'structural'; readonly formatVersion: 1; readonly featureNames: readonly string[]; readonly promise: SerializedModel; readonly kept: SerializedModel; readonly control: SerializedModel };

/** Wraps fitted T-learner arms; `fitFrame` gives the mean learned effect (its rows, any treatment). */
export function upliftModelOf(learner: TLearner, fitFrame: FeatureMatrix, shrink = DEFAULT_UPLIFT_SHRINK): TLearnerUpliftModel {
  if (!(shrink >= 0 && shrink <= 1)) throw new ValidationError(`shrink must be within [0, 1] (got ${shrink})`, { context: { field: 'shrink' } });
  const { uplift } = predictUplift(learner, fitFrame);
  let sum = 0;
  for (const u of uplift) sum += u;
  return { kind: 't_learner', featureNames: learner.treated.featureNames, treated: learner.treated, control: learner.control, meanUplift: uplift.length ? sum / uplift.length : 0, shrink };
}

/** Predicts P(pay) called and not called and the effect on `x` (columns in the model's feature order). */
export function predictUpliftScores(model: UpliftModel, x: FeatureMatrix): UpliftScores {
  if (model.kind === 'structural') {
    const promise = model.promise.predictProba(x);
    const kept = model.kept.predictProba(x);
    const pNotCalled = model.control.predictProba(x);
    const pCalled = new Float64Array(x.nRows);
    const uplift = new Float64Array(x.nRows);
    for (let i = 0; i < x.nRows; i++) {
      const p0 = pNotCalled[i] as number;
      uplift[i] = (promise[i] as number) * (kept[i] as number) * (1 - p0);
      pCalled[i] = p0 + (uplift[i] as number);
    }
    return { pCalled, pNotCalled, uplift };
  }
  const { pCalled, pNotCalled, uplift } = predictUplift(model, x);
  const shrunk = new Float64Array(x.nRows);
  for (let i = 0; i < x.nRows; i++) shrunk[i] = model.meanUplift + model.shrink * ((uplift[i] as number) - model.meanUplift);
  return { pCalled, pNotCalled, uplift: shrunk };
}

/** The JSON stored in `scoring.uplift_models.model`. */
export function serializeUpliftModel(model: UpliftModel): SerializedUpliftModel {
  if (model.kind === 'structural') return { kind: 'structural', formatVersion: 1, featureNames: [...model.featureNames], promise: model.promise.toJSON(), kept: model.kept.toJSON(), control: model.control.toJSON() };
  return { kind: 't_learner', formatVersion: 1, featureNames: [...model.featureNames], treated: model.treated.toJSON(), control: model.control.toJSON(), meanUplift: model.meanUplift, shrink: model.shrink };
}

/** An uplift model back from its JSON. */
export function loadUpliftModel(json: SerializedUpliftModel): UpliftModel {
  switch (json.kind) {
    case 'structural':
      return { kind: 'structural', featureNames: json.featureNames, promise: loadFittedModel(json.promise), kept: loadFittedModel(json.kept), control: loadFittedModel(json.control) };
    case 't_learner':
      return { kind: 't_learner', featureNames: json.featureNames, treated: loadFittedModel(json.treated), control: loadFittedModel(json.control), meanUplift: json.meanUplift, shrink: json.shrink };
    default:
      throw new ValidationError(`unknown uplift model kind ${String((json as { kind?: unknown }).kind)}`, { context: { field: 'kind' } });
  }
}
