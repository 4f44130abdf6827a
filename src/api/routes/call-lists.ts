import type { FastifyPluginAsync } from 'fastify';
import { containsPattern, runSql } from '../../db';
import { isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import { ACCESS, maskPhone, type Role } from '../auth/roles';
import { principalOf } from '../auth/access';
import { isoDate } from '../../core/ids';
import type { ApiContext } from '../context';
import { LANGUAGES, resolveLanguage, t, type Language } from '../i18n';
import { callListCsv } from '../call-list-csv';
import type { CallListEntry } from '../call-list-entry';
export type { CallListEntry } from '../call-list-entry';

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

/** A stored call-list row as the API returns it, the phone masked by role. */
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
    incrementalRecovery: numberOrNull(r.incremental_recovery),
    pPayCalled: numberOrNull(r.p_pay_called),
    pPayNotCalled: numberOrNull(r.p_pay_not_called),
    callReasons: (typeof r.call_reasons === 'string' ? JSON.parse(r.call_reasons) : r.call_reasons) ?? [],
    phone: maskPhone(r.phone_e164 as string | null, role),
    modelVersionId: (r.model_version_id as string | null) ?? null,
    threshold: r.threshold === null || r.threshold === undefined ? null : Number(r.threshold),
  };
}

/**
 * Whether a list is stale: a later night could not replace it (missing, empty or old export, or a
 * failed check), so the team is working from old data. The dashboard shows it as a banner.
 */
export interface StaleState {
  stale: boolean;
  /** When the first night failed to replace it (ISO timestamp), null when not stale. */
  staleSince: string | null;
  /** Why (the failed checks), null when not stale. */
  staleReason: string | null;
}

function staleOf(r: Record<string, unknown> | undefined): StaleState {
  const stale = Boolean(r?.stale);
  return { stale, staleSince: stale ? timeText(r?.stale_since) : null, staleReason: stale ? ((r?.stale_reason as string | null) ?? null) : null };
}

/** How a list was ordered (docs/call-list.md): by what the call adds, or by the chance of payment. */
export interface Ordering {
  objective: 'uplift' | 'propensity' | null;
  /** The configured objective, when it differs from `objective` (a fallback). */
  objectiveConfigured: 'uplift' | 'propensity' | null;
  /** Why the list is not ordered as configured, `fr` then `en`; null when it is. */
  note: { fr: string; en: string } | null;
}

function orderingOf(r: Record<string, unknown> | undefined): Ordering {
  const note = typeof r?.note === 'string' && r.note ? r.note.split('\n') : null;
  return {
    objective: (r?.objective as Ordering['objective']) ?? null,
    objectiveConfigured: (r?.objective_configured as Ordering['objectiveConfigured']) ?? null,
    note: note ? { fr: note[0] ?? '', en: note[1] ?? note[0] ?? '' } : null,
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

/** Call lists by date: JSON pages with filters, and the CSV export (in French: `;`, decimal commas, local times, as French Excel expects). */
export function callListRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/api/call-lists',
      { config: { access: ACCESS.everyone }, schema: { tags: ['call lists'], summary: 'Published call lists, newest first' } },
      async () => {
        const { rows } = await runSql<Record<string, unknown>>(ctx.db.knex, 'api/call-list-dates', { limit: 90 });
        return rows.map((r) => ({ listDate: isoDate(r.list_date) as string, n: Number(r.n), teams: r.teams, offices: (r.offices as unknown[]).filter(Boolean), expectedRecovery: Number(r.expected_recovery), ...staleOf(r) }));
      },
    );

    app.get<{ Params: { date: string }; Querystring: CallListQuery }>(
      '/api/call-lists/:date',
      { config: { access: ACCESS.everyone }, schema: { tags: ['call lists'], summary: 'One call list in rank order, filtered', params: dateParams, querystring: filterSchema } },
      async (request) => {
        const date = checkDate(request.params.date);
        const [{ total, entries }, publication] = await Promise.all([
          readList(ctx, date, request.query, principalOf(request).role),
          runSql<Record<string, unknown>>(ctx.db.knex, 'api/publication', { list_date: date }),
        ]);
        return { listDate: request.params.date, ...staleOf(publication.rows[0]), ...orderingOf(publication.rows[0]), total, offset: request.query.offset ?? 0, entries };
      },
    );

    app.get<{ Params: { date: string }; Querystring: CallListQuery & { lang?: Language } }>(
      '/api/call-lists/:date/export.csv',
      { config: { access: ACCESS.everyone }, schema: { tags: ['call lists'], summary: 'One call list as CSV (same filters, up to 100 000 rows)', params: dateParams, querystring: { ...filterSchema, properties: { ...filterSchema.properties, limit: { type: 'integer', minimum: 1, maximum: 100000, default: 100000 }, lang: { type: 'string', enum: [...LANGUAGES], description: 'language of the headers and formats (default: the caller\'s)' } } } } },
      async (request, reply) => {
        const lang = resolveLanguage(request);
        const { lang: _lang, ...filters } = request.query;
        const { entries } = await readList(ctx, request.params.date, { ...filters, limit: filters.limit ?? 100_000 }, principalOf(request).role, false);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${t(lang, 'call-list:csv.filename', { date: request.params.date })}"`)
          .send(callListCsv(entries, lang, ctx.config.timezone));
      },
    );
  };
}
