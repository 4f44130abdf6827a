/**
 * A stale list on a VICIdial target: the live leads of the list id stay (the campaign keeps
 * dialling yesterday's list rather than nothing) but carry the mark where agents and supervisors
 * see it — `comments` (shown on the agent screen) starts with `LISTE PÉRIMÉE`, and `source_id`
 * ends with ` stale`. The next publication replaces the leads, and with them the mark.
 */
import { createConnection } from 'mysql2/promise';
import type { DialerTarget } from '../config/schema/ranking';

/** The prefix written in front of the comments of a stale list's leads. */
export const STALE_COMMENT_PREFIX = 'LISTE PÉRIMÉE — ';

/** Marks the live leads of a VICIdial target stale (once); returns how many leads were marked. */
export async function markVicidialListStale(target: DialerTarget): Promise<number> {
  const conn = await createConnection({ uri: target.url, dateStrings: true });
  try {
    const [result] = await conn.query(
      `UPDATE vicidial_list
          SET comments = LEFT(CONCAT(?, COALESCE(comments, '')), 255), source_id = LEFT(CONCAT(source_id, ' stale'), 50)
        WHERE list_id = ? AND source_id LIKE 'relance %' AND source_id NOT LIKE '% stale'`,
      [STALE_COMMENT_PREFIX, target.listId],
    );
    return (result as { affectedRows: number }).affectedRows;
  } finally {
    await conn.end();
  }
}
