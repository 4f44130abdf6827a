import type { FastifyPluginAsync } from 'fastify';
import { runSql } from '../../db';
import { addDays, dateInZone, isoDate, type IsoDate } from '../../core/ids';
import { ACCESS } from '../auth/roles';
import { leadCalendar, leadDay, supersede, type CallingDays, type LeadDayRow } from '../lead-calendar';
import type { ApiContext } from '../context';
import { resolveLanguage } from '../i18n';
import { exclusionDetail } from '../exclusion-detail';

const NIGHTLY_DAG = 'nightly_call_list';
const dateParams = { type: 'object', properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }, required: ['date'] } as const;

function toDayRow(r: Record<string, unknown>): LeadDayRow & { candidates: number | null; excluded: number | null; deferred: number | null; holdout: number | null; publishedAt: unknown; runStartedAt: unknown; runEndedAt: unknown } {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    listDate: isoDate(r.list_date) as string,
    listed: Number(r.listed),
    published: Boolean(r.published),
    markedStale: Boolean(r.marked_stale),
    runId: (r.run_id as string | null) ?? null,
    runState: (r.run_state as string | null) ?? null,
    candidates: num(r.candidates),
    excluded: num(r.excluded),
    deferred: num(r.deferred),
    holdout: num(r.holdout),
    publishedAt: r.published_at ?? null,
    runStartedAt: r.run_started_at ?? null,
    runEndedAt: r.run_ended_at ?? null,
  };
}

/**
 * The lead's morning view: the calendar of list dates (empty ones say why), one date's
 * composition (listed, excluded by rule with the debtors, deferred for capacity, control group),
 * whether the team works from a stale list, and the day's progress per agent.
 */
export function leadRoutes(ctx: ApiContext): FastifyPluginAsync {
  const knex = ctx.db.knex;
  const zone = ctx.config.timezone;
  const regime = ctx.config.ranking.compliance.regimes[ctx.config.ranking.compliance.defaultRegime];
  const callingDays: CallingDays = { weekdays: regime?.weekdays ?? [1, 2, 3, 4, 5], holidays: regime?.holidays ?? 'none' };
  const today = () => dateInZone(new Date(), zone);

  async function days(from: IsoDate, to: IsoDate) {
    const { rows } = await runSql<Record<string, unknown>>(knex, 'api/lead-days', { from, to, time_zone: zone, dag_id: NIGHTLY_DAG });
    return rows.map(toDayRow);
  }

  return async (app) => {
    app.get<{ Querystring: { to?: string; days?: number } }>(
      '/api/lead/days',
      {
        config: { access: ACCESS.staff },
        schema: {
          tags: ['lead'],
          summary: 'Every list date up to `to` (default: today or the newest list), with its size or why it is empty, and whether it is stale',
          querystring: { type: 'object', properties: { to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, days: { type: 'integer', minimum: 1, maximum: 92, default: 14 } }, additionalProperties: false },
        },
      },
      async (request) => {
        const n = request.query.days ?? 14;
        const now = today();
        let to = request.query.to;
        if (!to) {
          // Tomorrow's list shows as soon as tonight's run published it.
          const ahead = await days(now, addDays(now, 1));
          to = ahead.some((d) => d.listDate > now && (d.published || d.listed > 0)) ? addDays(now, 1) : now;
        }
        const rows = await days(addDays(to, -(n - 1)), to);
        return leadCalendar(rows, to, n, callingDays, now).map((d) => {
          const row = rows.find((r) => r.listDate === d.listDate);
          return { ...d, candidates: row?.candidates ?? null, excluded: row?.excluded ?? null, deferred: row?.deferred ?? null, holdout: row?.holdout ?? null, publishedAt: row?.publishedAt ?? null };
        });
      },
    );

    app.get<{ Params: { date: string } }>(
      '/api/lead/:date',
      { config: { access: ACCESS.staff }, schema: { tags: ['lead'], summary: "One list date: its composition, staleness and the day's progress per agent", params: dateParams } },
      async (request) => {
        const date = request.params.date;
        const [[row], rules, setAside, progress] = await Promise.all([
          days(date, date),
          runSql<Record<string, unknown>>(knex, 'api/lead-exclusion-rules', { list_date: date }),
          runSql<Record<string, unknown>>(knex, 'api/lead-set-aside', { list_date: date }),
          runSql<Record<string, unknown>>(knex, 'api/lead-progress', { list_date: date, time_zone: zone }),
        ]);
        const later = await days(addDays(date, 1), addDays(date, 31));
        const day = supersede(leadDay(row ?? { listDate: date, listed: 0, published: false, markedStale: false, runId: null, runState: null }, callingDays, today()), later.some((d) => d.listed > 0));
        const agents = progress.rows.map((r) => ({ agent: String(r.agent || ''), calls: Number(r.calls), contacts: Number(r.contacts), promises: Number(r.promises), promisedAmount: Number(r.promised_amount), listedDebtorsCalled: Number(r.listed_debtors_called), loggedCalls: Number(r.logged_calls) }));
        const sum = (k: 'calls' | 'contacts' | 'promises' | 'promisedAmount' | 'listedDebtorsCalled' | 'loggedCalls') => agents.reduce((s, a) => s + a[k], 0);
        const setAsideRows = setAside.rows.map((r) => ({ kind: r.kind as 'deferred' | 'holdout', reason: String(r.reason), teamId: (r.team_id as string | null) ?? null, debtors: Number(r.debtors), expectedRecovery: Number(r.expected_recovery ?? 0) }));
        const total = (kind: string, reason?: string) => setAsideRows.filter((r) => r.kind === kind && (reason === undefined || r.reason === reason)).reduce((s, r) => s + r.debtors, 0);
        // The list the team works from when this one is stale: the newest earlier date with debtors.
        // A list marked stale is itself the one the team still works from.
        const previous = day.stale && day.staleReason !== 'marked' ? await days(addDays(date, -31), addDays(date, -1)) : [];
        const fallback = day.staleReason === 'marked' ? { listDate: date } : (previous.find((d) => d.listed > 0) ?? null);
        return {
          ...day,
          candidates: row?.candidates ?? null,
          publishedAt: row?.publishedAt ?? null,
          run: row?.runId ? { runId: row.runId, state: row.runState, startedAt: row.runStartedAt, endedAt: row.runEndedAt } : null,
          workingFrom: fallback ? fallback.listDate : null,
          composition: {
            listed: day.listed,
            excluded: Number(rules.rows[0]?.distinct_debtors ?? 0),
            byRule: rules.rows.map((r) => ({ rule: String(r.rule), debtors: Number(r.debtors) })),
            deferred: total('deferred'),
            deferredForCapacity: total('deferred', 'capacity'),
            deferredNoTeam: total('deferred', 'no_team'),
            deferredNoGain: total('deferred', 'no_gain'),
            holdout: total('holdout'),
            holdoutWouldBeListed: total('holdout', 'would_be_listed'),
            setAside: setAsideRows,
          },
          progress: { agents, totals: { calls: sum('calls'), contacts: sum('contacts'), promises: sum('promises'), promisedAmount: sum('promisedAmount'), listedDebtorsCalled: sum('listedDebtorsCalled'), loggedCalls: sum('loggedCalls') } },
        };
      },
    );

    app.get<{ Params: { date: string }; Querystring: { rule?: string; q?: string; limit?: number; offset?: number } }>(
      '/api/lead/:date/exclusions',
      {
        config: { access: ACCESS.staff },
        schema: {
          tags: ['lead'],
          summary: 'The debtors excluded from a list date, with the rule and its detail in the caller\'s language (recordedDetail: as the run wrote it); filter by rule and name',
          params: dateParams,
          querystring: { type: 'object', properties: { rule: { type: 'string', maxLength: 40 }, q: { type: 'string', maxLength: 100 }, lang: { type: 'string', enum: ['fr', 'en'] }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, offset: { type: 'integer', minimum: 0, default: 0 } }, additionalProperties: false },
        },
      },
      async (request) => {
        const q = request.query;
        const lang = resolveLanguage(request);
        const { rows } = await runSql<Record<string, unknown>>(knex, 'api/lead-exclusions', { list_date: request.params.date, rule: q.rule || null, search: q.q?.trim() || null, limit: q.limit ?? 100, offset: q.offset ?? 0 });
        return {
          total: Number(rows[0]?.total ?? 0),
          entries: rows.map((r) => {
            const shown = exclusionDetail(String(r.detail ?? ''), lang);
            return { debtorId: r.debtor_id, name: [r.last_name, r.first_name].filter(Boolean).join(' '), officeCode: r.office_code ?? null, rule: r.rule, detail: shown.text, detailLanguage: shown.lang, recordedDetail: r.detail };
          }),
        };
      },
    );
  };
}
