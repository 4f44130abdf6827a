/**
 * The second target: VICIdial's `vicidial_list` table in MariaDB/MySQL. The list is loaded into a
 * staging list id, then swapped with the live list id in one UPDATE (atomic on InnoDB and on
 * MyISAM, whose table lock makes the statement all-or-nothing for readers), then the previous
 * leads are deleted. The campaign's hopper sees the old leads or the new ones, never a mix.
 * The order goes through `rank`, for the campaign's UP RANK list order (highest rank first).
 */
import { createConnection } from 'mysql2/promise';
import type { DialerTarget } from '../config/schema/ranking';
import type { Clock } from '../core/clock';
import { systemClock } from '../core/clock';
import { ValidationError } from '../core/errors';
import type { CallList } from './call-list';
import { utcOffsetMinutes } from './zoned-time';

/** The columns relance writes in `vicidial_list`. */
export interface VicidialLead {
  list_id: number;
  entry_date: string;
  status: string;
  vendor_lead_code: string;
  source_id: string;
  gmt_offset_now: number;
  called_since_last_reset: 'N';
  phone_code: string;
  phone_number: string;
  title: string | null;
  first_name: string | null;
  last_name: string | null;
  postal_code: string | null;
  country_code: string | null;
  comments: string;
  called_count: number;
  rank: number;
  owner: string;
}

/** VICIdial's `rank` is a signed SMALLINT. */
const MAX_RANK = 32767;
/** Staging list ids are the live list id plus this offset (BIGINT(14) leaves room). */
export const STAGING_OFFSET = 1_000_000_000;

// Country calling codes of the numbers relance publishes (longest first when matching).
const CALLING_CODES = ['1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49', '212', '213', '216', '262', '269', '351', '352', '377', '508', '590', '594', '596', '681', '687', '689'];

/** Splits an E.164 number into VICIdial's `phone_code` (country code) and national `phone_number`. */
export function splitE164(e164: string): { phoneCode: string; phoneNumber: string } {
  const digits = e164.replace(/^\+/, '');
  if (!/^\d{6,15}$/.test(digits)) throw new ValidationError('phone number is not in E.164', { context: { field: 'phone_e164' } });
  for (const len of [3, 2, 1]) {
    const code = digits.slice(0, len);
    if (CALLING_CODES.includes(code)) return { phoneCode: code, phoneNumber: digits.slice(len) };
  }
  return { phoneCode: digits.slice(0, 2), phoneNumber: digits.slice(2) };
}

const cut = (s: string | null, n: number): string | null => (s === null ? null : s.slice(0, n));
const mysqlDateTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/**
 * The leads of a list for `vicidial_list`: teams' rows in priority order (the order in which the
 * capacity fit placed them), `rank` counting down from the list's length so that UP RANK dials
 * them in that order, `owner` the team, `vendor_lead_code` the debtor id.
 */
export function toVicidialLeads(list: Pick<CallList, 'listDate' | 'rows'>, listId: number, clock: Clock = systemClock): VicidialLead[] {
  const ordered = [...list.rows].sort((a, b) => b.priority - a.priority || a.rank - b.rank || (a.debtorId < b.debtorId ? -1 : 1));
  const n = Math.min(ordered.length, MAX_RANK);
  const now = mysqlDateTime(clock.now());
  return ordered.map((r, i) => {
    if (r.debtorId.length > 20) throw new ValidationError(`debtor id longer than vicidial_list.vendor_lead_code (20 characters)`, { context: { field: 'vendor_lead_code' } });
    const { phoneCode, phoneNumber } = splitE164(r.phoneE164);
    return {
      list_id: listId,
      entry_date: now,
      status: 'NEW',
      vendor_lead_code: r.debtorId,
      source_id: `relance ${list.listDate}`,
      gmt_offset_now: Math.round((utcOffsetMinutes(r.windowStart, r.timeZone) / 60) * 100) / 100,
      called_since_last_reset: 'N',
      phone_code: phoneCode,
      phone_number: phoneNumber,
      title: cut(r.contact.title, 4),
      first_name: cut(r.contact.firstName, 30),
      last_name: cut(r.contact.lastName, 30),
      postal_code: cut(r.contact.postalCode, 10),
      country_code: cut(r.contact.country, 3),
      comments: r.reasons.map((x) => x.fr).join(' | ').slice(0, 255),
      called_count: 0,
      rank: Math.max(1, n - i),
      owner: r.teamId.slice(0, 20),
    };
  });
}

/** What a VICIdial publication did. */
export interface VicidialReport {
  listId: number;
  leads: number;
  replaced: number;
}

/** Publishes the list to a VICIdial database: staging load, atomic swap, removal of the old leads. */
export async function publishToVicidial(list: Pick<CallList, 'listDate' | 'rows'>, target: DialerTarget, options: { clock?: Clock } = {}): Promise<VicidialReport> {
  const leads = toVicidialLeads(list, target.listId + STAGING_OFFSET, options.clock);
  const staging = target.listId + STAGING_OFFSET;
  const conn = await createConnection({ uri: target.url, dateStrings: true });
  try {
    await conn.query('DELETE FROM vicidial_list WHERE list_id = ?', [staging]);
    const columns = Object.keys(leads[0] ?? { list_id: 0 }) as (keyof VicidialLead)[];
    for (let i = 0; i < leads.length; i += 500) {
      const chunk = leads.slice(i, i + 500);
      await conn.query(`INSERT INTO vicidial_list (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [chunk.map((l) => columns.map((c) => l[c]))]);
    }
    // The swap: live leads move to the staging id, staged leads become the live list, in one statement.
    const [swap] = await conn.query('UPDATE vicidial_list SET list_id = CASE WHEN list_id = ? THEN ? ELSE ? END WHERE list_id IN (?, ?)', [staging, target.listId, staging, target.listId, staging]);
    const [removed] = await conn.query('DELETE FROM vicidial_list WHERE list_id = ?', [staging]);
    void swap;
    return { listId: target.listId, leads: leads.length, replaced: (removed as { affectedRows: number }).affectedRows };
  } finally {
    await conn.end();
  }
}
