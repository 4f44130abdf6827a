import type { Knex } from 'knex';
import { NotFoundError, ValidationError } from '../core/errors';
import type { SerializedModel } from './classifier';

/** The two aliases a model version can hold. */
export type ModelAlias = 'champion' | 'challenger';

/** Metrics that decide a promotion, measured on the same time holdout. */
export interface HoldoutMetrics {
  auc: number;
  /** Business cost per row at the chosen threshold (lower is better). */
  cost: number;
  [name: string]: unknown;
}

/** A model version as stored in `scoring.model_versions`. */
export interface ModelVersion {
  versionId: string;
  kind: string;
  trainingRunId: string | null;
  createdAt: Date;
  featureNames: string[];
  model: SerializedModel;
  threshold: number | null;
  metrics: HoldoutMetrics;
  reference: unknown;
}

/** What a promotion attempt decided. */
export interface PromotionDecision {
  promoted: boolean;
  reason: string;
  championVersionId: string;
}

/** Starts a training run record; returns its id. */
export async function startTrainingRun(knex: Knex, run: { trainingRunId: string; trigger: string; params: unknown; dataDigest?: string }): Promise<void> {
  await knex('scoring.training_runs').insert({
    training_run_id: run.trainingRunId,
    trigger: run.trigger,
    params: JSON.stringify(run.params),
    data_digest: run.dataDigest ?? null,
  });
}

/** Closes a training run with its metrics and artefacts, or its error. */
export async function finishTrainingRun(knex: Knex, trainingRunId: string, outcome: { metrics?: unknown; artefacts?: unknown; error?: string }): Promise<void> {
  await knex('scoring.training_runs')
    .where({ training_run_id: trainingRunId })
    .update({
      finished_at: knex.fn.now(),
      status: outcome.error ? 'failed' : 'success',
      metrics: JSON.stringify(outcome.metrics ?? {}),
      artefacts: JSON.stringify(outcome.artefacts ?? {}),
      error: outcome.error ?? null,
    });
}

/** Stores a fitted model version. */
export async function registerModelVersion(knex: Knex, version: Omit<ModelVersion, 'createdAt'>): Promise<void> {
  await knex('scoring.model_versions').insert({
    version_id: version.versionId,
    kind: version.kind,
    training_run_id: version.trainingRunId,
    feature_names: JSON.stringify(version.featureNames),
    model: JSON.stringify(version.model),
    threshold: version.threshold,
    metrics: JSON.stringify(version.metrics),
    reference: version.reference === undefined ? null : JSON.stringify(version.reference),
  });
}

function fromRow(row: Record<string, unknown>): ModelVersion {
  const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    versionId: row.version_id as string,
    kind: row.kind as string,
    trainingRunId: (row.training_run_id as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
    featureNames: json<string[]>(row.feature_names),
    model: json<SerializedModel>(row.model),
    threshold: (row.threshold as number | null) ?? null,
    metrics: json<HoldoutMetrics>(row.metrics),
    reference: json<unknown>(row.reference),
  };
}

/** One model version by id. */
export async function getModelVersion(knex: Knex, versionId: string): Promise<ModelVersion> {
  const row = await knex('scoring.model_versions').where({ version_id: versionId }).first();
  if (!row) throw new NotFoundError(`no model version ${versionId}`);
  return fromRow(row);
}

/** The version an alias points at, or undefined. */
export async function getAliasVersion(knex: Knex, alias: ModelAlias): Promise<ModelVersion | undefined> {
  const row = await knex('scoring.model_aliases as a')
    .join('scoring.model_versions as v', 'v.version_id', 'a.version_id')
    .where('a.alias', alias)
    .first('v.*');
  return row ? fromRow(row) : undefined;
}

/** Every version, newest first, with the aliases it holds (without the model bodies). */
export async function listModelVersions(knex: Knex): Promise<(Omit<ModelVersion, 'model' | 'reference'> & { aliases: string[] })[]> {
  const rows = await knex('scoring.model_versions as v')
    .leftJoin('scoring.model_aliases as a', 'a.version_id', 'v.version_id')
    .groupBy('v.version_id')
    .orderBy('v.created_at', 'desc')
    .select('v.version_id', 'v.kind', 'v.training_run_id', 'v.created_at', 'v.feature_names', 'v.threshold', 'v.metrics', knex.raw(`coalesce(array_agg(a.alias) filter (where a.alias is not null), '{}') as aliases`));
  return rows.map((r: Record<string, unknown>) => {
    const { model: _m, reference: _r, ...rest } = fromRow({ ...r, model: '{}', reference: 'null' });
    return { ...rest, aliases: r.aliases as string[] };
  });
}

/** The history of alias moves, newest first. */
export async function aliasHistory(knex: Knex, limit = 50): Promise<Record<string, unknown>[]> {
  return knex('scoring.alias_history').orderBy('id', 'desc').limit(limit);
}

async function moveAlias(trx: Knex.Transaction, alias: ModelAlias, versionId: string, reason: string): Promise<void> {
  const previous = await trx('scoring.model_aliases').where({ alias }).first();
  await trx('scoring.model_aliases').insert({ alias, version_id: versionId, updated_at: trx.fn.now() }).onConflict('alias').merge();
  await trx('scoring.alias_history').insert({ alias, version_id: versionId, previous_version_id: previous?.version_id ?? null, accepted: true, reason });
}

/**
 * Registers `versionId` as challenger and promotes it to champion only if it beats the current
 * champion on the same holdout on both business cost (lower) and AUC (higher). The first model
 * becomes champion. Every decision, including a refusal, is recorded with its reason.
 */
export async function proposeChallenger(knex: Knex, versionId: string): Promise<PromotionDecision> {
  return knex.transaction(async (trx) => {
    const challenger = await getModelVersion(trx, versionId);
    await moveAlias(trx, 'challenger', versionId, 'registered by training');
    const champion = await getAliasVersion(trx, 'champion');
    if (!champion) {
      await moveAlias(trx, 'champion', versionId, 'first model: no champion to beat');
      return { promoted: true, reason: 'first model: no champion to beat', championVersionId: versionId };
    }
    const c = challenger.metrics;
    const k = champion.metrics;
    const fmt = (x: number) => x.toFixed(4);
    if (c.auc > k.auc && c.cost < k.cost) {
      const reason = `beats ${champion.versionId}: AUC ${fmt(c.auc)} > ${fmt(k.auc)} and cost ${fmt(c.cost)} < ${fmt(k.cost)}`;
      await moveAlias(trx, 'champion', versionId, reason);
      return { promoted: true, reason, championVersionId: versionId };
    }
    const lacks = [c.auc > k.auc ? null : `AUC ${fmt(c.auc)} ≤ ${fmt(k.auc)}`, c.cost < k.cost ? null : `cost ${fmt(c.cost)} ≥ ${fmt(k.cost)}`].filter(Boolean).join(' and ');
    const reason = `kept ${champion.versionId}: challenger ${versionId} has ${lacks}`;
    await trx('scoring.alias_history').insert({ alias: 'champion', version_id: versionId, previous_version_id: champion.versionId, accepted: false, reason });
    return { promoted: false, reason, championVersionId: champion.versionId };
  });
}

/** Points `champion` at a version by hand (IT decision), recording who asked and why. */
export async function promote(knex: Knex, versionId: string, reason: string): Promise<void> {
  await knex.transaction(async (trx) => {
    await getModelVersion(trx, versionId);
    await moveAlias(trx, 'champion', versionId, `manual: ${reason}`);
  });
}

/** Moves `champion` back to the version it held before its last accepted move. */
export async function rollback(knex: Knex, reason: string): Promise<string> {
  return knex.transaction(async (trx) => {
    const last = await trx('scoring.alias_history').where({ alias: 'champion', accepted: true }).orderBy('id', 'desc').first();
    if (!last?.previous_version_id) throw new ValidationError('the champion has no previous version to roll back to');
    await moveAlias(trx, 'champion', last.previous_version_id, `rollback: ${reason}`);
    return last.previous_version_id as string;
  });
}
