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
import type { CallList } from './call-list';

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
    await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [PUBLISH_LOCK, d]);
    // Each table is replaced in turn; the publication record last, when everything else is written.
    await runSql(trx, 'ranking/delete-call-list', { list_date: d });
    await insertChunks(
      trx,
      'dialer.call_list',
      list.rows.map((r) => ({
        list_date: d,
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
      })),
    );
    await runSql(trx, 'ranking/delete-exclusions', { list_date: d });
    await insertChunks(trx, 'dialer.exclusions', list.exclusions.map((e) => ({ list_date: d, debtor_id: e.debtorId, rule: e.rule, detail: e.detail, run_id: list.runId })));
    await runSql(trx, 'ranking/delete-deferred', { list_date: d });
    await insertChunks(
      trx,
      'dialer.deferred',
      list.deferred.map((x) => ({ list_date: d, debtor_id: x.debtorId, team_id: x.teamId, reason: x.reason, p_pay: x.pPay, expected_amount: x.expectedAmount, p_contact: x.pContact, priority: x.priority, expected_recovery: x.expectedRecovery, incremental_recovery: x.incrementalRecovery ?? null, expected_minutes: x.expectedMinutes, run_id: list.runId })),
    );
    await runSql(trx, 'ranking/delete-holdout', { list_date: d });
    await insertChunks(
      trx,
      'dialer.holdout',
      list.holdout.map((h) => ({ list_date: d, debtor_id: h.debtorId, month: h.month, team_id: h.teamId, p_pay: h.pPay, expected_amount: h.expectedAmount, p_contact: h.pContact, priority: h.priority, expected_recovery: h.expectedRecovery, incremental_recovery: h.incrementalRecovery ?? null, would_be_listed: h.wouldBeListed, run_id: list.runId })),
    );
    await runSql(trx, 'ranking/delete-publications', { list_date: d });
    // The new list replaces a stale one: no earlier list is stale any more.
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
  });
  return counts;
}
