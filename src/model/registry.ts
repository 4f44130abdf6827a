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
  /** As-of date of the snapshot the version was judged on (its time holdout); null when unknown. */
  holdoutAsOf: string | null;
}

/**
 * The challenger and the champion measured on the same rows: the challenger's holdout snapshot,
 * each with its threshold chosen by the same rule on the same validation rows.
 */
export interface HoldoutComparison {
  /** As-of date of the snapshot both were scored on: the challenger's holdout. */
  holdoutAsOf: string;
  /** The champion that was scored (the promotion is refused if the champion changed since). */
  championVersionId: string;
  champion: HoldoutMetrics;
  challenger: HoldoutMetrics;
}

/** What an alias move was; `rollback` undoes the last promotion still in force. */
export type AliasAction = 'registration' | 'promotion' | 'manual' | 'refusal' | 'rollback';

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
export async function registerModelVersion(knex: Knex, version: Omit<ModelVersion, 'createdAt' | 'holdoutAsOf'> & { holdoutAsOf?: string | null }): Promise<void> {
  await knex('scoring.model_versions').insert({
    version_id: version.versionId,
    kind: version.kind,
    training_run_id: version.trainingRunId,
    feature_names: JSON.stringify(version.featureNames),
    model: JSON.stringify(version.model),
    threshold: version.threshold,
    metrics: JSON.stringify(version.metrics),
    reference: version.reference === undefined ? null : JSON.stringify(version.reference),
    holdout_as_of: version.holdoutAsOf ?? null,
  });
}

/** A `date` column as YYYY-MM-DD, whether the driver gives a string or a Date. */
function isoDateOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
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
    holdoutAsOf: isoDateOf(row.holdout_as_of),
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
    .select('v.version_id', 'v.kind', 'v.training_run_id', 'v.created_at', 'v.feature_names', 'v.threshold', 'v.metrics', 'v.holdout_as_of', knex.raw(`coalesce(array_agg(a.alias) filter (where a.alias is not null), '{}') as aliases`));
  return rows.map((r: Record<string, unknown>) => {
    const { model: _m, reference: _r, ...rest } = fromRow({ ...r, model: '{}', reference: 'null' });
    return { ...rest, aliases: r.aliases as string[] };
  });
}

/** The history of alias moves, newest first. */
export async function aliasHistory(knex: Knex, limit = 50): Promise<Record<string, unknown>[]> {
  return knex('scoring.alias_history').orderBy('id', 'desc').limit(limit);
}

async function moveAlias(trx: Knex.Transaction, alias: ModelAlias, versionId: string, reason: string, action: AliasAction): Promise<void> {
  const previous = await trx('scoring.model_aliases').where({ alias }).first();
  await trx('scoring.model_aliases').insert({ alias, version_id: versionId, updated_at: trx.fn.now() }).onConflict('alias').merge();
  await trx('scoring.alias_history').insert({ alias, version_id: versionId, previous_version_id: previous?.version_id ?? null, accepted: true, reason, action });
}

/** Locks the champion alias row for the rest of the transaction (promotions and rollbacks serialise). */
async function lockChampion(trx: Knex.Transaction): Promise<void> {
  await trx('scoring.model_aliases').where({ alias: 'champion' }).forUpdate().first();
}

const fmt = (x: number): string => x.toFixed(4);

/** Why the challenger may not replace the champion, or null when it beats it on the same holdout. */
function refusalOf(challenger: ModelVersion, champion: ModelVersion, comparison: HoldoutComparison | undefined): string | null {
  if (champion.holdoutAsOf && (!challenger.holdoutAsOf || challenger.holdoutAsOf < champion.holdoutAsOf)) {
    return `its data ends before the champion's: holdout ${challenger.holdoutAsOf ?? 'unknown'} < ${champion.holdoutAsOf}`;
  }
  if (!comparison) return 'it was not compared with the champion on the same holdout';
  if (comparison.championVersionId !== champion.versionId) return `it was compared with ${comparison.championVersionId}, no longer the champion`;
  if (challenger.holdoutAsOf && comparison.holdoutAsOf !== challenger.holdoutAsOf) return `it was compared on ${comparison.holdoutAsOf}, not on its holdout ${challenger.holdoutAsOf}`;
  const c = comparison.challenger;
  const k = comparison.champion;
  if (c.auc > k.auc && c.cost < k.cost) return null;
  return [c.auc > k.auc ? null : `AUC ${fmt(c.auc)} ≤ ${fmt(k.auc)}`, c.cost < k.cost ? null : `cost ${fmt(c.cost)} ≥ ${fmt(k.cost)}`].filter(Boolean).join(' and ');
}

/**
 * Registers `versionId` as challenger and promotes it to champion only if it beats the current
 * champion on both business cost (lower) and AUC (higher) **on the same holdout**: `comparison`
 * holds both models' metrics measured on the challenger's holdout snapshot, thresholds chosen by
 * the same rule. Stored metrics of different holdouts are never compared: without a comparison
 * against the current champion, and whenever the challenger's holdout is older than the
 * champion's, the champion is kept. The first model becomes champion. Every decision, including a
 * refusal, is recorded with its reason.
 */
export async function proposeChallenger(knex: Knex, versionId: string, comparison?: HoldoutComparison): Promise<PromotionDecision> {
  return knex.transaction(async (trx) => {
    await lockChampion(trx);
    const challenger = await getModelVersion(trx, versionId);
    await moveAlias(trx, 'challenger', versionId, 'registered by training', 'registration');
    const champion = await getAliasVersion(trx, 'champion');
    if (!champion) {
      await moveAlias(trx, 'champion', versionId, 'first model: no champion to beat', 'promotion');
      return { promoted: true, reason: 'first model: no champion to beat', championVersionId: versionId };
    }
    const refusal = refusalOf(challenger, champion, comparison);
    if (refusal === null && comparison) {
      const c = comparison.challenger;
      const k = comparison.champion;
      const reason = `beats ${champion.versionId} on the holdout of ${comparison.holdoutAsOf}: AUC ${fmt(c.auc)} > ${fmt(k.auc)} and cost ${fmt(c.cost)} < ${fmt(k.cost)}`;
      await moveAlias(trx, 'champion', versionId, reason, 'promotion');
      return { promoted: true, reason, championVersionId: versionId };
    }
    const reason = `kept ${champion.versionId}: challenger ${versionId}${comparison ? ` (holdout ${comparison.holdoutAsOf})` : ''}: ${refusal}`;
    await trx('scoring.alias_history').insert({ alias: 'champion', version_id: versionId, previous_version_id: champion.versionId, accepted: false, reason, action: 'refusal' });
    return { promoted: false, reason, championVersionId: champion.versionId };
  });
}

/** Points `champion` at a version by hand (IT decision), recording who asked and why. */
export async function promote(knex: Knex, versionId: string, reason: string): Promise<void> {
  await knex.transaction(async (trx) => {
    await lockChampion(trx);
    await getModelVersion(trx, versionId);
    await moveAlias(trx, 'champion', versionId, `manual: ${reason}`, 'manual');
  });
}

/**
 * The champion's versions still in force, oldest first, the current champion last: each promotion
 * (by training or by hand) stacks its version, each rollback removes the top one.
 */
export async function championStack(knex: Knex): Promise<string[]> {
  const moves = (await knex('scoring.alias_history').where({ alias: 'champion', accepted: true }).orderBy('id').select('version_id', 'action', 'reason')) as { version_id: string; action: AliasAction | null; reason: string }[];
  const stack: string[] = [];
  for (const m of moves) {
    const action = m.action ?? (m.reason.startsWith('rollback:') ? 'rollback' : 'promotion');
    if (action === 'rollback') stack.pop();
    else stack.push(m.version_id);
  }
  return stack;
}

/**
 * Gives `champion` back to the version before the last promotion still in force: with champions
 * A → B → C, a rollback makes B champion and a second one A (never C again); one more is refused.
 */
export async function rollback(knex: Knex, reason: string): Promise<string> {
  return knex.transaction(async (trx) => {
    await lockChampion(trx);
    const stack = await championStack(trx);
    const target = stack[stack.length - 2];
    if (target === undefined) throw new ValidationError('the champion has no previous version to roll back to');
    await moveAlias(trx, 'champion', target, `rollback: ${reason}`, 'rollback');
    return target;
  });
}
