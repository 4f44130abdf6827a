import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Database } from '../db';
import { runSql } from '../db';
import { NotFoundError } from '../core/errors';
import type { IsoDate } from '../core/ids';
import { readFeatureBatches, readFeatureRowsOf, selectFeatures, toModelFrame, type ModelFrame } from '../features';
import { getAliasVersion, getModelVersion } from '../model/registry';
import { loadFittedModel } from '../model/model-kinds';
import type { FittedModel } from '../model/classifier';
import { CalibratedModel, probabilitiesFromRaw } from '../model/calibrated-model';
import { latestUpliftModel } from '../model/uplift/uplift-registry';
import { predictUpliftScores } from '../model/uplift/uplift-model';
import { expectedAmount, type AmountFallback } from '../ranking/expected-value';
import type { RankingConfig } from '../config/schema/ranking';

/** Contributions kept with each explained score (the largest in absolute value). */
const TOP_CONTRIBUTIONS = 8;

/** Debtors read, scored and written per batch: memory stays flat whatever the office's size. */
export const SCORE_BATCH_ROWS = 50_000;

/** What scoring one snapshot did. */
export interface ScoreReport {
  asOf: IsoDate;
  modelVersionId: string;
  kind: string;
  rows: number;
  meanPPay: number;
  /** The uplift model that predicted P(pay) called and not called; null when none was trained yet. */
  upliftModelVersionId: string | null;
  /** Mean incremental recovery of a call (EUR) over the scored debtors; null without an uplift model. */
  meanIncrementalRecovery: number | null;
}

/** One feature's part in a score, in log-odds, as stored in `scoring.scores.explanation`. */
export interface StoredContribution {
  feature: string;
  value: number | null;
  contribution: number;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const COPY_SCORES =
  "COPY scoring.scores (as_of, debtor_id, run_id, model_version_id, p_pay, raw_score, expected_value, explanation, uplift_model_version_id, p_pay_called, p_pay_not_called, uplift_p, incremental_recovery) FROM STDIN (FORMAT csv, NULL '')";

/**
 * What the expected amount of a payment falls back on tonight, as the ranking computes it
 * (src/ranking/expected-value.ts): the typical payment of the snapshot's payers and the share of
 * recent payments that settled their case.
 */
async function amountFallback(runner: Knex | Knex.Transaction, asOf: IsoDate, ranking: Pick<RankingConfig, 'amount'> | undefined): Promise<AmountFallback> {
  const typical = await runSql<{ typical_payment: number | null }>(runner, 'scoring/typical-payment', { as_of: asOf });
  const settle = await runSql<{ settle_share: number | null }>(runner, 'ranking/settle-share', { list_date: asOf });
  const t = typical.rows[0]?.typical_payment;
  return { typicalPayment: t === null || t === undefined ? null : Number(t), firstPaymentShare: ranking?.amount.firstPaymentShare ?? 0.25, settleShare: Number(settle.rows[0]?.settle_share ?? 0) };
}

/**
 * Scores the feature snapshot of `asOf` with the champion model by plain batch prediction and
 * stores P(pay) and the raw score per debtor in `scoring.scores`, replacing that date's scores in
 * one transaction. With an uplift model (the newest of `scoring.uplift_models`), each debtor also
 * gets P(pay) if called and if not called and the incremental recovery of a call: the shrunk
 * effect on P(pay) × the expected amount of a payment (the ranking's rule, with `ranking.amount`).
 * Features are read, scored and copied in batches of {@link SCORE_BATCH_ROWS}. Explanations are
 * left empty: {@link explainScores} computes them for the debtors that are shown.
 */
export async function scoreSnapshot(db: Database, options: { asOf: IsoDate; runId?: string; batchRows?: number; ranking?: Pick<RankingConfig, 'amount'> }): Promise<ScoreReport> {
  const champion = await getAliasVersion(db.knex, 'champion');
  if (!champion) throw new NotFoundError('no champion model: run `relance train` first');
  const model = loadFittedModel(champion.model);
  const base = model instanceof CalibratedModel ? model.base : model;
  const expected = expectedRawScore(model);
  const uplift = await latestUpliftModel(db.knex);
  let rows = 0;
  let sum = 0;
  let sumIncremental = 0;
  await db.knex.transaction(async (trx) => {
    const fallback = uplift ? await amountFallback(trx, options.asOf, options.ranking) : undefined;
    await runSql(trx, 'scoring/delete-scores', { as_of: options.asOf });
    // Reads and COPYs share the transaction's connection (PGlite has only one): one batch at a time.
    for await (const batch of readFeatureBatches(trx, options.asOf, options.batchRows ?? SCORE_BATCH_ROWS)) {
      // Columns are matched by name to the model's stored feature list, never by position.
      const full = toModelFrame(batch);
      const frame = selectFeatures(full, model.featureNames);
      const lift = uplift ? predictUpliftScores(uplift.model, selectFeatures(full, uplift.model.featureNames)) : undefined;
      // The raw score is the uncalibrated model's log-odds (what explanations add up to); P(pay) is calibrated.
      const raw = Float64Array.from(base.predictProba(frame), (q) => Math.log(q / (1 - q)));
      const p = probabilitiesFromRaw(model, raw);
      const lines: string[] = [];
      for (let i = 0; i < frame.nRows; i++) {
        const pi = p[i] as number;
        sum += pi;
        let upliftFields = ',,,,';
        if (lift && uplift && fallback) {
          // toModelFrame keeps the rows' order: batch[i] is the debtor of row i.
          const f = batch[i]!;
          const amount = expectedAmount({ balance: Number(f.balance ?? 0), openPromiseAmount: Number(f.open_promise_amount ?? 0), avgPaymentAmount: nullableNumber(f.avg_payment_amount), lastPaymentAmount: nullableNumber(f.last_payment_amount) }, fallback);
          const incremental = (lift.uplift[i] as number) * amount.amount;
          sumIncremental += incremental;
          upliftFields = `${uplift.version.versionId},${lift.pCalled[i]},${lift.pNotCalled[i]},${lift.uplift[i]},${incremental}`;
        }
        lines.push(`${options.asOf},${frame.debtorIds[i] as string},${options.runId ?? ''},${champion.versionId},${pi},${raw[i]},${expected},,${upliftFields}\n`);
      }
      rows += frame.nRows;
      await db.copyFrom(COPY_SCORES, Readable.from([lines.join('')]), trx);
    }
  });
  return {
    asOf: options.asOf,
    modelVersionId: champion.versionId,
    kind: champion.kind,
    rows,
    meanPPay: rows ? sum / rows : 0,
    upliftModelVersionId: uplift?.version.versionId ?? null,
    meanIncrementalRecovery: uplift && rows ? sumIncremental / rows : null,
  };
}

function nullableNumber(v: unknown): number | null {
  return v === null || v === undefined || v === '' ? null : Number(v);
}

/** The model's expected raw score over its training data: the base of every explanation. */
function expectedRawScore(model: FittedModel): number {
  const probe = model.explain({ nRows: 0, nCols: model.featureNames.length, data: new Float64Array(0) });
  return probe.expectedValue;
}

/** The top contributions of row `i` of an explained frame, largest |contribution| first. */
export function topContributions(frame: ModelFrame, contributions: Float64Array, i: number, limit = TOP_CONTRIBUTIONS): StoredContribution[] {
  const nCols = frame.nCols;
  const all: StoredContribution[] = [];
  for (let j = 0; j < nCols; j++) {
    const value = frame.data[i * nCols + j] as number;
    all.push({ feature: frame.featureNames[j] as string, value: Number.isNaN(value) ? null : value, contribution: contributions[i * nCols + j] as number });
  }
  all.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return all.slice(0, limit).map((c) => ({ ...c, contribution: Number(c.contribution.toPrecision(6)) }));
}

/**
 * Computes the exact explanation (TreeSHAP for trees, coefficients × centred values for the
 * logistic model) of the given debtors' scores of `asOf`, with the model that scored them, stores
 * it in `scoring.scores.explanation` and returns it by debtor. Scores already explained are read
 * back, not recomputed; debtors without a score are left out.
 */
export async function explainScores(
  runner: Knex | Knex.Transaction,
  options: { asOf: IsoDate; debtorIds: readonly string[] },
): Promise<Map<string, StoredContribution[]>> {
  const out = new Map<string, StoredContribution[]>();
  if (options.debtorIds.length === 0) return out;
  const scored = (await runner('scoring.scores')
    .where('as_of', options.asOf)
    .whereIn('debtor_id', [...options.debtorIds])
    .select('debtor_id', 'model_version_id', 'explanation')) as { debtor_id: string; model_version_id: string; explanation: unknown }[];
  const todo = new Map<string, string[]>();
  for (const s of scored) {
    const stored = typeof s.explanation === 'string' ? (JSON.parse(s.explanation) as StoredContribution[] | null) : (s.explanation as StoredContribution[] | null);
    if (stored) out.set(s.debtor_id, stored);
    else todo.set(s.model_version_id, [...(todo.get(s.model_version_id) ?? []), s.debtor_id]);
  }
  for (const [versionId, ids] of todo) {
    const version = await getModelVersion(runner, versionId);
    if (!version) throw new NotFoundError(`model version ${versionId} of the scores of ${options.asOf} is no longer in the registry`);
    const model = loadFittedModel(version.model);
    const rows = await readFeatureRowsOf(runner, options.asOf, ids);
    const frame = selectFeatures(toModelFrame(rows), model.featureNames);
    const explanation = await model.explainBatch(frame);
    const values: { debtor_id: string; explanation: string }[] = [];
    for (let i = 0; i < frame.nRows; i++) {
      const top = topContributions(frame, explanation.contributions, i);
      out.set(frame.debtorIds[i] as string, top);
      values.push({ debtor_id: frame.debtorIds[i] as string, explanation: JSON.stringify(top) });
    }
    for (let k = 0; k < values.length; k += 1000) {
      const chunk = values.slice(k, k + 1000);
      await runner.raw(
        `update scoring.scores s set explanation = v.explanation::jsonb
           from (select * from jsonb_to_recordset(?::jsonb) as x(debtor_id text, explanation text)) v
          where s.as_of = ? and s.debtor_id = v.debtor_id`,
        [JSON.stringify(chunk), options.asOf],
      );
    }
  }
  return out;
}
