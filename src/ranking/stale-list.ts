/**
 * A stale list: when a night's run cannot publish a new list (missing, empty or old export, failed
 * check), the list the dialer works from stays published and is marked stale where the team and
 * the dialer see it — `dialer.publications` (stale, since when, why), every row of
 * `dialer.call_list`, and the leads of each VICIdial target. The next publication clears it.
 */
import type { Database } from '../db';
import { runSql } from '../db';
import type { IsoDate } from '../core/ids';
import { isoDate } from '../core/ids';

/** Which list was marked, and since when it is stale. */
export interface StaleMark {
  listDate: IsoDate;
  staleSince: Date;
}

/**
 * Marks the newest list published up to `upTo` stale, with the reason and the run that could not
 * replace it; `staleSince` keeps the first night. Returns null when no list was ever published.
 */
export async function markPublishedListStale(db: Database, options: { upTo: IsoDate; reason: string; runId: string; at: Date }): Promise<StaleMark | null> {
  return db.knex.transaction(async (trx) => {
    const { rows } = await runSql<{ list_date: unknown; stale_since: unknown }>(trx, 'ranking/mark-publication-stale', {
      up_to: options.upTo, at: options.at.toISOString(), reason: options.reason.slice(0, 2000), run_id: options.runId,
    });
    const row = rows[0];
    if (!row) return null;
    const listDate = isoDate(row.list_date) as IsoDate;
    await runSql(trx, 'ranking/mark-call-list-stale', { list_date: listDate });
    return { listDate, staleSince: new Date(row.stale_since as string | Date) };
  });
}
