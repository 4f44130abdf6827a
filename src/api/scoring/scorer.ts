/**
 * On-demand scoring of one feature row: the model stays in memory, a posted payload is validated
 * against the model's feature names (a missing or malformed field is an error naming it, never a
 * silent zero), and the answer carries P(pay) and the additive explanation.
 */
import { ValidationError } from '../../core/errors';
import type { FittedModel } from '../../model/classifier';
import { CalibratedModel, probabilitiesFromRaw } from '../../model/calibrated-model';

/** One feature's part in a score, in log-odds. */
export interface Contribution {
  feature: string;
  value: number | null;
  contribution: number;
}

/** What scoring one row returns. */
export interface ScoreResult {
  pPay: number;
  rawScore: number;
  /** Expected raw score over the training data: the base of the waterfall. */
  expectedValue: number;
  /** Every feature's contribution, largest |contribution| first. */
  contributions: Contribution[];
}

/** Scores one feature row; features missing from the model's list are refused before this. */
export interface Scorer {
  readonly featureNames: readonly string[];
  /** Registry version id, when the model came from the registry. */
  readonly versionId: string | null;
  readonly kind: string;
  /** Business-cost threshold on P(pay), when known. */
  readonly threshold: number | null;
  score(features: Readonly<Record<string, number | null>>): ScoreResult;
  /** P(pay) and the raw score only, without the explanation (cheaper for tree models). */
  predict(features: Readonly<Record<string, number | null>>): { pPay: number; rawScore: number };
}

/** A {@link Scorer} around a fitted model (logistic or GBDT). */
export function modelScorer(model: FittedModel, meta: { versionId?: string | null; threshold?: number | null } = {}): Scorer {
  const names = model.featureNames;
  const nCols = names.length;
  const row = (features: Readonly<Record<string, number | null>>) => {
    const data = new Float64Array(nCols);
    for (let j = 0; j < nCols; j++) {
      const v = features[names[j] as string];
      data[j] = v === null || v === undefined ? NaN : v;
    }
    return { nRows: 1, nCols, data };
  };
  return {
    featureNames: names,
    versionId: meta.versionId ?? null,
    kind: model.kind,
    threshold: meta.threshold ?? null,
    predict(features) {
      // The raw score is the uncalibrated model's log-odds, as in `score`; P(pay) is calibrated.
      const base = model instanceof CalibratedModel ? model.base : model;
      const q = base.predictProba(row(features))[0] as number;
      const rawScore = Math.log(q / (1 - q));
      return { pPay: probabilitiesFromRaw(model, [rawScore])[0] as number, rawScore };
    },
    score(features) {
      const x = row(features);
      const data = x.data;
      const e = model.explain(x);
      const rawScore = e.rawScores[0] as number;
      const contributions: Contribution[] = [];
      for (let j = 0; j < nCols; j++) {
        const value = data[j] as number;
        contributions.push({ feature: names[j] as string, value: Number.isNaN(value) ? null : value, contribution: e.contributions[j] as number });
      }
      contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
      return { pPay: probabilitiesFromRaw(model, [rawScore])[0] as number, rawScore, expectedValue: e.expectedValue, contributions };
    },
  };
}

/**
 * Checks a posted feature payload against the model's features: every feature must be present,
 * as a finite number, a boolean (1/0) or null (missing); unknown fields are refused too, since they
 * usually mean a misspelt name. Throws a {@link ValidationError} naming the first bad field.
 */
export function validateFeaturePayload(payload: unknown, featureNames: readonly string[]): Record<string, number | null> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ValidationError('features must be an object of feature name → number or null', { context: { field: 'features' } });
  }
  const input = payload as Record<string, unknown>;
  const out: Record<string, number | null> = {};
  for (const name of featureNames) {
    if (!Object.prototype.hasOwnProperty.call(input, name)) {
      throw new ValidationError(`features.${name} is missing (send null for an unknown value)`, { context: { field: `features.${name}` } });
    }
    const v = input[name];
    if (v === null) out[name] = null;
    else if (typeof v === 'boolean') out[name] = v ? 1 : 0;
    else if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
    else throw new ValidationError(`features.${name} must be a finite number, a boolean or null (got ${JSON.stringify(v) ?? typeof v})`, { context: { field: `features.${name}` } });
  }
  if (Object.keys(input).length !== featureNames.length) {
    const known = new Set(featureNames);
    const extra = Object.keys(input).find((k) => !known.has(k));
    if (extra !== undefined) throw new ValidationError(`features.${extra} is not a feature of this model`, { context: { field: `features.${extra}` } });
  }
  return out;
}
