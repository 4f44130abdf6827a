import type { Knex } from 'knex';
import type { Database } from '../db';
import { readRows, runSql } from '../db';
import type { IsoDate } from '../core/ids';
import type { FeatureRow } from './feature-columns';

/** What to compute a feature snapshot for. */
export interface SnapshotOptions {
  asOf: IsoDate;
  /** Time zone in which call timestamps are turned into days. */
  timeZone: string;
  /** True for tonight's list: current-state attributes (legal stage, disputed) are filled in. */
  current: boolean;
  runId?: string;
}

/** (Re)computes the feature snapshot of one date in one transaction; returns its row count. */
export async function computeFeatureSnapshot(db: Database, options: SnapshotOptions): Promise<number> {
  return db.knex.transaction(async (trx) => {
    await runSql(trx, 'features/delete-snapshot', { as_of: options.asOf });
    const { rowCount } = await runSql(trx, 'features/debtor-features', {
      as_of: options.asOf,
      tz: options.timeZone,
      current: options.current,
      run_id: options.runId ?? null,
    });
    return rowCount;
  });
}

/** (Re)computes the labels of an existing snapshot; returns the number of positive labels. */
export async function computeLabels(db: Database, options: { asOf: IsoDate; horizonDays: number; minAmount: number }): Promise<{ rows: number; positives: number }> {
  return db.knex.transaction(async (trx) => {
    await runSql(trx, 'features/delete-labels', { as_of: options.asOf, horizon_days: options.horizonDays });
    const { rowCount } = await runSql(trx, 'features/labels', { as_of: options.asOf, horizon_days: options.horizonDays, min_amount: options.minAmount });
    const positives = await trx('features.labels').where({ as_of: options.asOf, horizon_days: options.horizonDays, label: true }).count<{ n: number }[]>('* as n');
    return { rows: rowCount, positives: Number(positives[0]?.n ?? 0) };
  });
}

/** The feature rows of one or more snapshots, ordered by date and debtor. */
export async function readFeatureRows(db: Database, asOf: IsoDate | IsoDate[]): Promise<FeatureRow[]> {
  const dates = Array.isArray(asOf) ? asOf : [asOf];
  return (await db.knex('features.debtor_features').whereIn('as_of', dates).orderBy(['as_of', 'debtor_id'])) as FeatureRow[];
}

/**
 * The feature rows of one snapshot in batches of `batchRows`, by debtor id (keyset pagination on
 * the primary key): memory holds one batch at a time whatever the office's size. Read through
 * {@link readRows}: on in-process PGlite `computed_at` comes as text.
 */
export async function* readFeatureBatches(runner: Knex | Knex.Transaction, asOf: IsoDate, batchRows: number): AsyncGenerator<FeatureRow[]> {
  let after: string | null = null;
  for (;;) {
    const query = runner('features.debtor_features').where('as_of', asOf);
    if (after !== null) query.andWhere('debtor_id', '>', after);
    const rows = await readRows<FeatureRow>(runner, query.orderBy('debtor_id').limit(batchRows));
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchRows) return;
    after = rows[rows.length - 1]!.debtor_id;
  }
}

/** The feature rows of the given debtors in one snapshot, ordered by debtor id. */
export async function readFeatureRowsOf(runner: Knex | Knex.Transaction, asOf: IsoDate, debtorIds: readonly string[]): Promise<FeatureRow[]> {
  const out: FeatureRow[] = [];
  for (let k = 0; k < debtorIds.length; k += 5000) {
    out.push(...((await runner('features.debtor_features').where('as_of', asOf).whereIn('debtor_id', debtorIds.slice(k, k + 5000)).orderBy('debtor_id')) as FeatureRow[]));
  }
  return out.sort((a, b) => (a.debtor_id < b.debtor_id ? -1 : a.debtor_id > b.debtor_id ? 1 : 0));
}

/** Labels keyed by `as_of|debtor_id`. */
export async function readLabels(db: Database, asOf: IsoDate[], horizonDays: number): Promise<Map<string, boolean>> {
  const rows = (await db.knex('features.labels').whereIn('as_of', asOf).andWhere({ horizon_days: horizonDays }).select('as_of', 'debtor_id', 'label')) as { as_of: string; debtor_id: string; label: boolean }[];
  return new Map(rows.map((r) => [`${r.as_of}|${r.debtor_id}`, r.label]));
}

/** The last day with any event in the clean tables: the end of the known history. */
export async function latestEventDate(db: Database): Promise<IsoDate | undefined> {
  const r = await db.knex.raw(`select greatest(
      (select max(paid_on) from clean.payments),
      (select max(called_at)::date from clean.calls),
      (select max(opened_on) from clean.cases)) as d`);
  const d = (r.rows as { d: string | null }[])[0]?.d;
  return d ?? undefined;
}
