/**
 * Publication to `dialer.*`: the list of a date, its exclusions, deferrals, control group and
 * publication record replace the previous ones of that date in one transaction. Readers of
 * `dialer.call_list` (each statement sees one snapshot under MVCC) see the old list or the new
 * one, never a mix; re-running a date leaves the same rows. Publishing a list clears the stale
 * marking of the earlier ones (src/ranking/stale-list.ts).
 */
import type { Knex } from 'knex';
import type { Database } from '../db';
import { runSql } from '../db';
import type { Clock } from '../core/clock';
import type { CallList, CallListRow, DeferredRow, ExclusionRow, HoldoutRow } from './call-list';

/** Advisory-lock class serialising publications of one list date. */
const PUBLISH_LOCK = 727_400;
const CHUNK = 500;

/** Counts of what a publication wrote. */
export interface PublishCounts {
  /** Rows of dialer.call_list. */
  listed: number;
  /** Rows of dialer.exclusions (a debtor has one per rule that applies). */
  excluded: number;
  /** Distinct excluded debtors. */
  excludedDebtors: number;
  /** Rows of dialer.deferred. */
  deferred: number;
  /** Rows of dialer.holdout. */
  holdout: number;
  /** Sum of the listed rows' expected recovery (€). */
  expectedRecovery: number;
}

async function insertChunks(trx: Knex.Transaction, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
}

/** The list and run a published row belongs to. */
export type ListKey = Pick<CallList, 'listDate' | 'runId'>;

/** The `dialer.call_list` row of a listed debtor. */
export function callListRecord(list: ListKey, r: CallListRow, publishedAt: Date): Record<string, unknown> {
  return {
    list_date: list.listDate,
    team_id: r.teamId,
    rank: r.rank,
    debtor_id: r.debtorId,
    office_code: r.officeCode,
    phone_e164: r.phoneE164,
    time_zone: r.timeZone,
    window_start: r.windowStart.toISOString(),
    window_end: r.windowEnd.toISOString(),
    p_pay: r.pPay,
    expected_amount: r.expectedAmount,
    amount_basis: r.amountBasis,
    p_contact: r.pContact,
    expected_recovery: r.expectedRecovery,
    expected_minutes: r.expectedMinutes,
    priority: r.priority,
    balance: r.balance,
    reasons: JSON.stringify(r.reasons),
    call_reasons: JSON.stringify(r.callReasons ?? []),
    p_pay_called: r.pPayCalled ?? null,
    p_pay_not_called: r.pPayNotCalled ?? null,
    incremental_recovery: r.incrementalRecovery ?? null,
    model_version_id: r.modelVersionId,
    run_id: list.runId,
    published_at: publishedAt.toISOString(),
  };
}

/** The `dialer.exclusions` row of one rule keeping a debtor off the list. */
export function exclusionRecord(list: ListKey, e: ExclusionRow): Record<string, unknown> {
  return { list_date: list.listDate, debtor_id: e.debtorId, rule: e.rule, detail: e.detail, run_id: list.runId };
}

/** The `dialer.deferred` row of a debtor that did not fit. */
export function deferredRecord(list: ListKey, x: DeferredRow): Record<string, unknown> {
  return { list_date: list.listDate, debtor_id: x.debtorId, team_id: x.teamId, reason: x.reason, p_pay: x.pPay, expected_amount: x.expectedAmount, p_contact: x.pContact, priority: x.priority, expected_recovery: x.expectedRecovery, incremental_recovery: x.incrementalRecovery ?? null, expected_minutes: x.expectedMinutes, run_id: list.runId };
}

/** The `dialer.holdout` row of a control-group debtor. */
export function holdoutRecord(list: ListKey, h: HoldoutRow): Record<string, unknown> {
  return { list_date: list.listDate, debtor_id: h.debtorId, month: h.month, team_id: h.teamId, p_pay: h.pPay, expected_amount: h.expectedAmount, p_contact: h.pContact, priority: h.priority, expected_recovery: h.expectedRecovery, incremental_recovery: h.incrementalRecovery ?? null, would_be_listed: h.wouldBeListed, run_id: list.runId };
}

/** What a publication record counts, besides the list's own figures. */
export type PublicationFacts = Pick<CallList, 'listDate' | 'runId' | 'modelVersionId' | 'candidates' | 'settleShare' | 'objective' | 'objectiveConfigured' | 'upliftModelVersionId' | 'note'>;

/** Writes the listed rows of a list date (after its old ones are deleted). */
export async function insertCallListRows(trx: Knex.Transaction, list: ListKey, rows: readonly CallListRow[], publishedAt: Date): Promise<void> {
  await insertChunks(trx, 'dialer.call_list', rows.map((r) => callListRecord(list, r, publishedAt)));
}

/**
 * Replaces the publication record of a list date, last in the transaction, when everything else
 * is written; the new list replaces a stale one, so no earlier list is stale any more.
 */
export async function recordPublication(trx: Knex.Transaction, list: PublicationFacts, counts: PublishCounts, publishedAt: Date): Promise<void> {
  const d = list.listDate;
  await runSql(trx, 'ranking/delete-publications', { list_date: d });
  await runSql(trx, 'ranking/clear-stale-publications', { list_date: d });
  await runSql(trx, 'ranking/clear-stale-call-list', { list_date: d });
  await trx('dialer.publications').insert({
    list_date: d,
    run_id: list.runId,
    model_version_id: list.modelVersionId,
    candidates: list.candidates,
    listed: counts.listed,
    excluded: counts.excludedDebtors,
    deferred: counts.deferred,
    holdout: counts.holdout,
    expected_recovery: counts.expectedRecovery,
    settle_share: list.settleShare,
    objective: list.objective ?? 'propensity',
    objective_configured: list.objectiveConfigured ?? null,
    uplift_model_version_id: list.upliftModelVersionId ?? null,
    note: list.note ? `${list.note.fr}\n${list.note.en}` : null,
    published_at: publishedAt.toISOString(),
  });
}

/** Takes the lock that serialises publications of a list date, until the transaction ends. */
export async function lockListDate(trx: Knex.Transaction, listDate: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [PUBLISH_LOCK, listDate]);
}

/** Writes `list` as the published list of its date, atomically. */
export async function publishCallList(db: Database, list: CallList, clock: Clock): Promise<PublishCounts> {
  const publishedAt = clock.now();
  const d = list.listDate;
  const counts: PublishCounts = {
    listed: list.rows.length,
    excluded: list.exclusions.length,
    excludedDebtors: new Set(list.exclusions.map((e) => e.debtorId)).size,
    deferred: list.deferred.length,
    holdout: list.holdout.length,
    expectedRecovery: list.rows.reduce((s, r) => s + r.expectedRecovery, 0),
  };
  await db.knex.transaction(async (trx) => {
    await lockListDate(trx, d);
    // Each table is replaced in turn; the publication record last, when everything else is written.
    await runSql(trx, 'ranking/delete-call-list', { list_date: d });
    await insertCallListRows(trx, list, list.rows, publishedAt);
    await runSql(trx, 'ranking/delete-exclusions', { list_date: d });
    await insertChunks(trx, 'dialer.exclusions', list.exclusions.map((e) => exclusionRecord(list, e)));
    await runSql(trx, 'ranking/delete-deferred', { list_date: d });
    await insertChunks(trx, 'dialer.deferred', list.deferred.map((x) => deferredRecord(list, x)));
    await runSql(trx, 'ranking/delete-holdout', { list_date: d });
    await insertChunks(trx, 'dialer.holdout', list.holdout.map((h) => holdoutRecord(list, h)));
    await recordPublication(trx, list, counts, publishedAt);
  });
  return counts;
}
