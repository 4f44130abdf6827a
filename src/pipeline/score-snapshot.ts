import { Readable } from 'node:stream';
import type { Database } from '../db';
import { runSql } from '../db';
import { NotFoundError } from '../core/errors';
import type { IsoDate } from '../core/ids';
import { readFeatureRows, selectFeatures, toModelFrame } from '../features';
import { getAliasVersion } from '../model/registry';
import { loadFittedModel } from '../model/model-kinds';
import { probabilitiesFromRaw } from '../model/calibrated-model';

/** Contributions kept with each score (the largest in absolute value). */
const TOP_CONTRIBUTIONS = 8;

/** What scoring one snapshot did. */
export interface ScoreReport {
  asOf: IsoDate;
  modelVersionId: string;
  kind: string;
  rows: number;
  meanPPay: number;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Scores the feature snapshot of `asOf` with the champion model and stores P(pay), the raw score
 * and the top contributions per debtor in `scoring.scores`, replacing that date's scores in one
 * transaction.
 */
export async function scoreSnapshot(db: Database, options: { asOf: IsoDate; runId?: string }): Promise<ScoreReport> {
  const champion = await getAliasVersion(db.knex, 'champion');
  if (!champion) throw new NotFoundError('no champion model: run `relance train` first');
  const model = loadFittedModel(champion.model);
  const rows = await readFeatureRows(db, options.asOf);
  // Columns are matched by name to the model's stored feature list, never by position.
  const frame = selectFeatures(toModelFrame(rows), model.featureNames);
  // The explanation carries the raw scores: P(pay) is their calibrated logistic, no second pass over the trees.
  const explanation = await model.explainBatch(frame);
  const p = probabilitiesFromRaw(model, explanation.rawScores);
  const nCols = frame.nCols;
  const lines: string[] = [];
  let sum = 0;
  for (let i = 0; i < frame.nRows; i++) {
    const contributions: { feature: string; value: number | null; contribution: number }[] = [];
    for (let j = 0; j < nCols; j++) {
      const value = frame.data[i * nCols + j] as number;
      contributions.push({ feature: frame.featureNames[j] as string, value: Number.isNaN(value) ? null : value, contribution: explanation.contributions[i * nCols + j] as number });
    }
    contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    const top = contributions.slice(0, TOP_CONTRIBUTIONS).map((c) => ({ ...c, contribution: Number(c.contribution.toPrecision(6)) }));
    const pi = p[i] as number;
    sum += pi;
    lines.push(
      [options.asOf, frame.debtorIds[i] as string, options.runId ?? '', champion.versionId, String(pi), String(explanation.rawScores[i]), String(explanation.expectedValue), csvField(JSON.stringify(top))].join(',') + '\n',
    );
  }
  await db.knex.transaction(async (trx) => {
    await runSql(trx, 'scoring/delete-scores', { as_of: options.asOf });
    if (lines.length > 0) {
      await db.copyFrom(
        'COPY scoring.scores (as_of, debtor_id, run_id, model_version_id, p_pay, raw_score, expected_value, explanation) FROM STDIN (FORMAT csv, NULL \'\')',
        Readable.from(lines),
        trx,
      );
    }
  });
  return { asOf: options.asOf, modelVersionId: champion.versionId, kind: champion.kind, rows: frame.nRows, meanPPay: frame.nRows ? sum / frame.nRows : 0 };
}
