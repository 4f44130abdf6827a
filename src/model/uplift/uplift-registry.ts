/**
 * Uplift models in `scoring.uplift_models`: one per retrain, the newest scores the nightly. They
 * are not champions: nothing compares two uplift models on the same rows yet, so the newest one
 * (fitted on the most recent history) is used, and each keeps its own evaluation on a later
 * snapshot than it was fitted on for the IT team and analysts to read.
 */
import type { Knex } from 'knex';
import { loadUpliftModel, type SerializedUpliftModel, type UpliftModel } from './uplift-model';

/** An uplift model as stored. */
export interface UpliftModelVersion {
  versionId: string;
  trainingRunId: string | null;
  createdAt: Date;
  kind: string;
  featureNames: string[];
  treatmentDays: number;
  horizonDays: number;
  fitSnapshots: string[];
  /** Rows fitted on: followed by a call in the treatment window (treated), the control arm, those followed by a contact and by a promise (structural). */
  fitRows: { treated: number; control: number; contacted?: number; promised?: number };
  evaluationAsOf: string | null;
  evaluation: Record<string, unknown>;
  fitSeconds: number | null;
}

/** What is stored for a new uplift model. */
export interface NewUpliftModelVersion extends Omit<UpliftModelVersion, 'createdAt'> {
  model: SerializedUpliftModel;
}

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const isoDate = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};

function fromRow(r: Record<string, unknown>): UpliftModelVersion {
  return {
    versionId: String(r.version_id),
    trainingRunId: (r.training_run_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    kind: String(r.kind),
    featureNames: json<string[]>(r.feature_names),
    treatmentDays: Number(r.treatment_days),
    horizonDays: Number(r.horizon_days),
    fitSnapshots: json<string[]>(r.fit_snapshots),
    fitRows: json<UpliftModelVersion['fitRows']>(r.fit_rows),
    evaluationAsOf: isoDate(r.evaluation_as_of),
    evaluation: json<Record<string, unknown>>(r.evaluation),
    fitSeconds: r.fit_seconds === null || r.fit_seconds === undefined ? null : Number(r.fit_seconds),
  };
}

/** Stores an uplift model. */
export async function registerUpliftModel(knex: Knex, v: NewUpliftModelVersion): Promise<void> {
  await knex('scoring.uplift_models').insert({
    version_id: v.versionId,
    training_run_id: v.trainingRunId,
    kind: v.kind,
    feature_names: JSON.stringify(v.featureNames),
    model: JSON.stringify(v.model),
    treatment_days: v.treatmentDays,
    horizon_days: v.horizonDays,
    fit_snapshots: JSON.stringify(v.fitSnapshots),
    fit_rows: JSON.stringify(v.fitRows),
    evaluation_as_of: v.evaluationAsOf,
    evaluation: JSON.stringify(v.evaluation),
    fit_seconds: v.fitSeconds,
  });
}

/** Every uplift model, newest first, without the model bodies. */
export async function listUpliftModels(knex: Knex): Promise<UpliftModelVersion[]> {
  const rows = (await knex('scoring.uplift_models').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'version_id', order: 'desc' }]).select(
    'version_id', 'training_run_id', 'created_at', 'kind', 'feature_names', 'treatment_days', 'horizon_days', 'fit_snapshots', 'fit_rows', 'evaluation_as_of', 'evaluation', 'fit_seconds',
  )) as Record<string, unknown>[];
  return rows.map(fromRow);
}

/** One uplift model's record by id, or undefined. */
export async function getUpliftModelVersion(knex: Knex, versionId: string): Promise<UpliftModelVersion | undefined> {
  const row = (await knex('scoring.uplift_models').where({ version_id: versionId }).first()) as Record<string, unknown> | undefined;
  return row ? fromRow(row) : undefined;
}

/** The newest uplift model, ready to predict, or undefined when none was trained yet. */
export async function latestUpliftModel(knex: Knex): Promise<{ version: UpliftModelVersion; model: UpliftModel } | undefined> {
  const row = (await knex('scoring.uplift_models').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'version_id', order: 'desc' }]).first()) as Record<string, unknown> | undefined;
  if (!row) return undefined;
  return { version: fromRow(row), model: loadUpliftModel(json<SerializedUpliftModel>(row.model)) };
}
