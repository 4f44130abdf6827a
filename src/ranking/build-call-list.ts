/**
 * Reads what tonight's list is built from — the scores of the list date with their features and
 * facts (`sql/ranking/candidates.sql`) and the call log per local weekday and hour
 * (`sql/ranking/contact-slots.sql`) — and assembles the list. No writes.
 */
import type { Database } from '../db';
import { runSql } from '../db';
import type { IsoDate } from '../core/ids';
import type { RankingConfig } from '../config/schema/ranking';
import { toCandidate } from './candidate';
import type { CallList } from './call-list';
import { assembleCallList } from './assemble-call-list';
import type { SlotCount } from './contact-profile';

/** Builds the call list of `listDate` from the database. */
export async function buildCallList(db: Database, options: { listDate: IsoDate; runId: string; ranking: RankingConfig; timeZone: string }): Promise<CallList> {
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
  return assembleCallList({ listDate: options.listDate, runId: options.runId, candidates: rows.map(toCandidate), slots: counts, ranking: options.ranking, settleShare, timeZone: options.timeZone });
}
