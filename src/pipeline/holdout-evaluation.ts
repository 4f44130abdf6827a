/**
 * How an office model is judged, the same way for a new model and for the current champion: its
 * decision threshold is chosen by the business-cost rule on the validation snapshot, then its
 * metrics, reliability curve and calibration error are measured on the holdout snapshot (the
 * newest one). The champion is scored on the challenger's snapshots, so that the two are compared
 * on the same rows.
 */
import type { Knex } from 'knex';
import type { IsoDate } from '../core/ids';
import { isErrorNamed } from '../core/errors';
import { selectFeatures } from '../features';
import type { Dataset, FittedModel } from '../model/classifier';
import { expectedCalibrationError, reliabilityCurve, type ReliabilityBin } from '../model/calibration';
import { auc, averagePrecision, brier, costAt, ks, logLoss, minimumCost, type CostModel } from '../model/metrics';
import { loadFittedModel } from '../model/model-kinds';
import { getAliasVersion, type HoldoutComparison } from '../model/registry';

/** Bins of the reliability curve kept with each version (equal width on [0, 1]). */
export const RELIABILITY_BINS = 10;

/** Metrics of one model on the holdout snapshot. */
export interface HoldoutResult {
  threshold: number;
  /** Holdout probabilities (calibrated when the model is). */
  p: Float64Array;
  metrics: {
    auc: number;
    cost: number;
    prAuc: number;
    brier: number;
    logLoss: number;
    ks: number;
    /** Expected calibration error over {@link RELIABILITY_BINS} equal-width bins. */
    ece: number;
    rows: number;
    positives: number;
    reliability: ReliabilityBin[];
  };
}

/** Threshold by the cost rule on `validation`, metrics on `holdout`. */
export function judgeOnHoldout(model: FittedModel, validation: Dataset, holdout: Dataset, costs: CostModel): HoldoutResult {
  // The decision threshold is chosen on the validation snapshot, never on the holdout.
  const chosen = minimumCost(validation.y, model.predictProba(validation), costs).threshold;
  const threshold = Number.isFinite(chosen) ? chosen : 1;
  const p = model.predictProba(holdout);
  const positives = holdout.y.reduce((s, v) => s + v, 0);
  return {
    threshold,
    p,
    metrics: {
      auc: auc(holdout.y, p),
      cost: costAt(holdout.y, p, threshold, costs),
      prAuc: averagePrecision(holdout.y, p),
      brier: brier(holdout.y, p),
      logLoss: logLoss(holdout.y, p),
      ks: ks(holdout.y, p),
      ece: expectedCalibrationError(holdout.y, p, RELIABILITY_BINS),
      rows: holdout.nRows,
      positives,
      reliability: reliabilityCurve(holdout.y, p, RELIABILITY_BINS, 'uniform'),
    },
  };
}

/**
 * The current champion judged like the challenger: on the challenger's validation and holdout
 * snapshots, its features read by name.
 * Undefined without a champion. A champion that lacks a feature of tonight's frame cannot score
 * it: its metrics are the worst possible, so a challenger that can replaces it.
 */
export async function championOnSameHoldout(
  knex: Knex,
  data: { validation: Dataset; holdout: Dataset; holdoutAsOf: IsoDate },
  challenger: HoldoutResult['metrics'],
  costs: CostModel,
): Promise<HoldoutComparison | undefined> {
  const champion = await getAliasVersion(knex, 'champion');
  if (!champion) return undefined;
  const model = loadFittedModel(champion.model);
  let validation: Dataset;
  let holdout: Dataset;
  try {
    validation = selectFeatures(data.validation, model.featureNames);
    holdout = selectFeatures(data.holdout, model.featureNames);
  } catch (error) {
    if (!isErrorNamed(error, 'MissingFeatureError')) throw error;
    return { holdoutAsOf: data.holdoutAsOf, championVersionId: champion.versionId, challenger, champion: { auc: Number.NEGATIVE_INFINITY, cost: Number.POSITIVE_INFINITY, error: (error as Error).message } };
  }
  const judged = judgeOnHoldout(model, validation, holdout, costs);
  return { holdoutAsOf: data.holdoutAsOf, championVersionId: champion.versionId, challenger, champion: { ...judged.metrics, threshold: judged.threshold } };
}
