/**
 * Reads what tonight's list is built from — the scores of the list date with their features and
 * facts (`sql/ranking/candidates.sql`) and the call log per local weekday and hour
 * (`sql/ranking/contact-slots.sql`) — and assembles the list. No writes.
 */
import type { Knex } from 'knex';
import type { Database } from '../db';
import { runSql } from '../db';
import type { IsoDate } from '../core/ids';
import type { RankingConfig } from '../config/schema/ranking';
import { toCandidate } from './candidate';
import type { CallList } from './call-list';
import { assembleCallList, reasonsOf } from './assemble-call-list';
import type { Contribution, FeaturePhrasebook } from './reasons';
import type { SlotCount } from './contact-profile';
import { callReasons, type CallHistoryFacts } from './call-reasons';

/**
 * Explains the scores of the given debtors (exact contributions, stored with the scores) and
 * returns them by debtor, through `runner` when given (the publication's transaction). Supplied
 * by the pipeline, which knows the models.
 */
export type ExplainScores = (debtorIds: readonly string[], runner?: Knex.Transaction) => Promise<Map<string, Contribution[]>>;

/**
 * The debtors whose explanation is shown: every listed one, and the `head` highest-priority
 * deferred and control-group debtors.
 */
export function shownDebtors(list: CallList, head: number): string[] {
  const top = <T extends { debtorId: string; priority: number }>(rows: readonly T[]): string[] =>
    [...rows].sort((a, b) => b.priority - a.priority || (a.debtorId < b.debtorId ? -1 : 1)).slice(0, head).map((r) => r.debtorId);
  return [...new Set([...list.rows.map((r) => r.debtorId), ...top(list.deferred), ...top(list.holdout)])];
}

/**
 * Builds the call list of `listDate` from the database. With `explain`, scores stored without an
 * explanation are explained for the debtors shown ({@link shownDebtors}) and the listed rows'
 * reasons come from those explanations.
 */
export async function buildCallList(
  db: Database,
  options: { listDate: IsoDate; runId: string; ranking: RankingConfig; timeZone: string; explain?: ExplainScores; phrasebook?: FeaturePhrasebook },
): Promise<CallList> {
  const { rows } = await runSql<Record<string, unknown>>(db.knex, 'ranking/candidates', { list_date: options.listDate });
  const slots = await runSql<{ debtor_id: string; office_code: string | null; weekday: number; hour: number; attempts: number; contacts: number }>(db.knex, 'ranking/contact-slots', {
    list_date: options.listDate,
    history_days: options.ranking.contact.historyDays,
  });
  const counts: (SlotCount & { officeCode: string | null })[] = slots.rows.map((r) => ({
    debtorId: r.debtor_id,
    officeCode: r.office_code,
    weekday: Number(r.weekday),
    hour: Number(r.hour),
    attempts: Number(r.attempts),
    contacts: Number(r.contacts),
  }));
  const settle = await runSql<{ settle_share: number | null }>(db.knex, 'ranking/settle-share', { list_date: options.listDate });
  const settleShare = Number(settle.rows[0]?.settle_share ?? 0);
  const candidates = rows.map(toCandidate);
  const assembled = assembleCallList({ listDate: options.listDate, runId: options.runId, candidates, slots: counts, ranking: options.ranking, settleShare, timeZone: options.timeZone, phrasebook: options.phrasebook });
  const byId = new Map(candidates.map((c) => [c.debtorId, c]));
  // Why each call matters, from the listed debtors' history (read for the listed rows only).
  const history = await callHistoryOf(db.knex, options.listDate, assembled.rows.map((r) => r.debtorId));
  const list = { ...assembled, rows: assembled.rows.map((r) => ({ ...r, callReasons: callReasons(history.get(r.debtorId), byId.get(r.debtorId)?.uplift ?? null) })) };
  if (!options.explain) return list;
  const explanations = await options.explain(shownDebtors(list, options.ranking.explainHead));
  return { ...list, rows: list.rows.map((r) => ({ ...r, reasons: reasonsOf(byId.get(r.debtorId)!, options.listDate, options.phrasebook, explanations.get(r.debtorId) ?? []) })) };
}

/** The call, promise and payment history of the given debtors (`sql/ranking/call-history-facts.sql`). */
export async function callHistoryOf(knex: Knex, listDate: IsoDate, debtorIds: readonly string[]): Promise<Map<string, CallHistoryFacts>> {
  const out = new Map<string, CallHistoryFacts>();
  for (let i = 0; i < debtorIds.length; i += 5000) {
    const { rows } = await runSql<{ debtor_id: string; phone_promises: number; phone_promises_kept: number; payments: number; payments_after_call: number }>(knex, 'ranking/call-history-facts', {
      list_date: listDate,
      debtor_ids: debtorIds.slice(i, i + 5000) as string[],
    });
    for (const r of rows) out.set(r.debtor_id, { phonePromises: Number(r.phone_promises), phonePromisesKept: Number(r.phone_promises_kept), payments: Number(r.payments), paymentsAfterCall: Number(r.payments_after_call) });
  }
  return out;
}
