import type { FastifyPluginAsync } from 'fastify';
import { containsPattern, runSql } from '../../db';
import { isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import { ACCESS, maskPhone, type Role } from '../auth/roles';
import { principalOf } from '../auth/access';
import { isoDate } from '../../core/ids';
import type { ApiContext } from '../context';

/** Query string of the call-list routes. */
interface CallListQuery {
  team?: string;
  office?: string;
  q?: string;
  limit?: number;
  offset?: number;
}

const filterSchema = {
  type: 'object',
  properties: {
    team: { type: 'string', maxLength: 100, description: 'team id' },
    office: { type: 'string', maxLength: 100, description: 'office code' },
    q: { type: 'string', maxLength: 100, description: 'debtor id or name contains' },
    limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
  additionalProperties: false,
} as const;

const dateParams = { type: 'object', properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }, required: ['date'] } as const;

/** A call-list row as the API returns it. */
export interface CallListEntry {
  listDate: string;
  teamId: string;
  rank: number;
  debtorId: string;
  name: string;
  officeCode: string | null;
  pPay: number;
  expectedRecovery: number;
  /** Amount expected if the debtor pays. */
  expectedAmount: number | null;
  /** P(right-party contact) in the window. */
  pContact: number | null;
  /** Expected recovery per agent minute: the ranking key. */
  priority: number | null;
  balance: number | null;
  window: { start: string | null; end: string | null; timeZone: string | null };
  reasons: unknown;
  phone: string | null;
  modelVersionId: string | null;
  /** The business-cost threshold of the model that scored the row. */
  threshold: number | null;
}

function toEntry(r: Record<string, unknown>, role: Role): CallListEntry {
  return {
    listDate: isoDate(r.list_date) as string,
    teamId: r.team_id as string,
    rank: Number(r.rank),
    debtorId: r.debtor_id as string,
    name: [r.last_name, r.first_name].filter(Boolean).join(' '),
    officeCode: (r.office_code as string | null) ?? null,
    pPay: Number(r.p_pay),
    expectedRecovery: Number(r.expected_recovery),
    expectedAmount: numberOrNull(r.expected_amount),
    pContact: numberOrNull(r.p_contact),
    priority: numberOrNull(r.priority),
    balance: numberOrNull(r.balance),
    window: { start: timeText(r.window_start), end: timeText(r.window_end), timeZone: (r.time_zone as string | null) ?? null },
    reasons: typeof r.reasons === 'string' ? JSON.parse(r.reasons) : r.reasons,
    phone: maskPhone(r.phone_e164 as string | null, role),
    modelVersionId: (r.model_version_id as string | null) ?? null,
    threshold: r.threshold === null || r.threshold === undefined ? null : Number(r.threshold),
  };
}

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

function timeText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : String(v);
}

function checkDate(date: string): string {
  if (!isIsoDate(date)) throw new ValidationError(`date must be a calendar date YYYY-MM-DD (got ${date})`, { context: { field: 'params.date' } });
  return date;
}

async function readList(ctx: ApiContext, date: string, q: CallListQuery, role: Role, withTotal = true): Promise<{ total: number; entries: CallListEntry[] }> {
  const filter = { list_date: checkDate(date), team: q.team || null, office: q.office || null, search: q.q?.trim() ? containsPattern(q.q.trim()) : null };
  // The page reads only its rows through the (list_date, team_id, rank) index; the count is apart.
  const [page, count] = await Promise.all([
    runSql<Record<string, unknown>>(ctx.db.knex, 'api/call-list', { ...filter, limit: q.limit ?? 200, offset: q.offset ?? 0 }),
    withTotal ? runSql<{ total: number }>(ctx.db.knex, 'api/call-list-count', filter) : Promise.resolve(undefined),
  ]);
  return { total: count ? Number(count.rows[0]?.total ?? 0) : page.rows.length, entries: page.rows.map((r) => toEntry(r, role)) };
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading = + - @ would run as a formula in a spreadsheet; numbers and phone numbers are left as they are.
  const safe = /^[=+\-@]/.test(text) && !/^[+-]?[\d .•]+$/.test(text) ? `'${text}` : text;
  return /[";\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function reasonText(reasons: unknown): string {
  if (!Array.isArray(reasons)) return '';
  return reasons.map((r) => (typeof r === 'string' ? r : typeof r === 'object' && r !== null ? String((r as { text?: unknown; label?: unknown; feature?: unknown }).text ?? (r as { label?: unknown }).label ?? (r as { feature?: unknown }).feature ?? '') : '')).filter(Boolean).join(' | ');
}

/** Call lists by date: JSON pages with filters, and the CSV export (`;`-delimited, as offices' spreadsheets expect). */
export function callListRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/call-lists',
      { config: { access: ACCESS.everyone }, schema: { tags: ['call lists'], summary: 'Published call lists, newest first' } },
      async () => {
        const { rows } = await runSql<Record<string, unknown>>(ctx.db.knex, 'api/call-list-dates', { limit: 90 });
        return rows.map((r) => ({ listDate: isoDate(r.list_date) as string, n: Number(r.n), teams: r.teams, offices: (r.offices as unknown[]).filter(Boolean), expectedRecovery: Number(r.expected_recovery) }));
      },
    );

    app.get<{ Params: { date: string }; Querystring: CallListQuery }>(
      '/api/call-lists/:date',
      { config: { access: ACCESS.everyone }, schema: { tags: ['call lists'], summary: 'One call list in rank order, filtered', params: dateParams, querystring: filterSchema } },
      async (request) => {
        const { total, entries } = await readList(ctx, request.params.date, request.query, principalOf(request).role);
        return { listDate: request.params.date, total, offset: request.query.offset ?? 0, entries };
      },
    );

    app.get<{ Params: { date: string }; Querystring: CallListQuery }>(
      '/api/call-lists/:date/export.csv',
      { config: { access: ACCESS.everyone }, schema: { tags: ['call lists'], summary: 'One call list as CSV (same filters, up to 100 000 rows)', params: dateParams, querystring: { ...filterSchema, properties: { ...filterSchema.properties, limit: { type: 'integer', minimum: 1, maximum: 100000, default: 100000 } } } } },
      async (request, reply) => {
        const { entries } = await readList(ctx, request.params.date, { ...request.query, limit: request.query.limit ?? 100_000 }, principalOf(request).role, false);
        const header = ['list_date', 'team', 'rank', 'debtor_id', 'name', 'office', 'p_pay', 'p_contact', 'expected_amount', 'expected_recovery', 'window_start', 'window_end', 'phone', 'reasons'];
        const lines = [header.join(';')];
        for (const e of entries) {
          lines.push([e.listDate, e.teamId, e.rank, e.debtorId, e.name, e.officeCode, e.pPay.toFixed(4), e.pContact?.toFixed(4), e.expectedAmount?.toFixed(2), e.expectedRecovery.toFixed(2), e.window.start, e.window.end, e.phone, reasonText(e.reasons)].map(csvCell).join(';'));
        }
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="call-list-${request.params.date}.csv"`)
          .send('\ufeff' + lines.join('\r\n') + '\r\n');
      },
    );
  };
}
