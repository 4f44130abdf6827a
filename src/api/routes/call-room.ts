import type { FastifyPluginAsync } from 'fastify';
import { principalOf } from '../auth/access';
import { ACCESS, type RouteAccess } from '../auth/roles';
import { ValidationError } from '../../core/errors';
import { parseOutcomeInput } from '../call-room/outcome-input';
import { currentListDate, recordOutcome, type CallAgent } from '../call-room/record-outcome';
import { claimNext, heldClaim, releaseClaim } from '../call-room/claims';
import { debtorBrief } from '../call-room/debtor-brief';
import type { ApiContext } from '../context';

/** The people who call: agents and their lead. */
const CALLERS: RouteAccess = { roles: ['agent', 'lead'] };

const dateQuery = { type: 'object', properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }, additionalProperties: false } as const;
const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] } as const;

/**
 * The call room: an agent claims the next debtor of the day's list, reads its brief, and logs
 * what the call gave (`POST /api/outcomes`, idempotent on `idempotencyKey`). The debtor brief is
 * also what the debtor page leads with.
 */
export function callRoomRoutes(ctx: ApiContext): FastifyPluginAsync {
  const knex = ctx.db.knex;
  const agentOf = (request: Parameters<typeof principalOf>[0]): CallAgent => {
    const p = principalOf(request);
    return { agentId: p.tokenId, name: p.name };
  };
  const listDateOr = async (date: string | undefined): Promise<string> => {
    const listDate = date ?? (await currentListDate(knex));
    if (!listDate) throw new ValidationError('date: no list is published yet', { context: { field: 'date' } });
    return listDate;
  };

  return async (app) => {
    app.get<{ Querystring: { date?: string } }>(
      '/api/call-room',
      { config: { access: CALLERS }, schema: { tags: ['call room'], summary: "The caller's day: list date, the debtor held, calls logged and the pool left", querystring: dateQuery } },
      async (request) => {
        const agent = agentOf(request);
        const listDate = await listDateOr(request.query.date);
        const now = ctx.clock.now();
        const [held, mine, pool] = await Promise.all([
          heldClaim(knex, { listDate, agent, now }),
          knex('dialer.call_outcomes').where({ list_date: listDate, agent_id: agent.agentId }).select('outcome').count({ n: '*' }).groupBy('outcome'),
          knex('dialer.call_list as l')
            .where('l.list_date', listDate)
            .whereNotExists(knex('dialer.claims as c').whereRaw('c.list_date = l.list_date and c.debtor_id = l.debtor_id').where((q) => q.whereNotNull('c.worked_at').orWhere('c.expires_at', '>', now)))
            .count({ n: '*' })
            .first(),
        ]);
        const outcomes = Object.fromEntries((mine as { outcome: string; n: unknown }[]).map((r) => [r.outcome, Number(r.n)]));
        return { listDate, agent: agent.name, held: held ?? null, calls: Object.values(outcomes).reduce((a, b) => a + b, 0), outcomes, pool: Number((pool as { n?: unknown } | undefined)?.n ?? 0), claimMinutes: ctx.config.api.claimMinutes };
      },
    );

    app.post<{ Body: { team?: string; date?: string } | null }>(
      '/api/call-room/next',
      { config: { access: CALLERS }, schema: { tags: ['call room'], summary: 'Claims the next debtor for the caller (or returns the one held) with its brief; null when the list is worked out' } },
      async (request) => {
        const agent = agentOf(request);
        const body = request.body ?? {};
        if (body.team !== undefined && (typeof body.team !== 'string' || body.team.length > 100)) throw new ValidationError('team: must be a team id', { context: { field: 'team' } });
        const listDate = await listDateOr(typeof body.date === 'string' ? body.date : undefined);
        const claim = await claimNext(knex, { listDate, agent, now: ctx.clock.now(), claimMinutes: ctx.config.api.claimMinutes, teamId: body.team });
        if (!claim) return { listDate, claim: null, brief: null };
        return { listDate, claim, brief: await debtorBrief(knex, claim.debtorId, listDate, principalOf(request).role) };
      },
    );

    app.post<{ Body: { debtorId?: unknown; date?: string } | null }>(
      '/api/call-room/release',
      { config: { access: CALLERS }, schema: { tags: ['call room'], summary: 'Gives back a debtor the caller holds without logging a call' } },
      async (request) => {
        const debtorId = request.body?.debtorId;
        if (typeof debtorId !== 'string' || !debtorId) throw new ValidationError('debtorId: is required', { context: { field: 'debtorId' } });
        const listDate = await listDateOr(request.body?.date);
        return { released: await releaseClaim(knex, { listDate, debtorId, agent: agentOf(request) }) };
      },
    );

    app.post(
      '/api/outcomes',
      { config: { access: CALLERS }, schema: { tags: ['call room'], summary: 'Logs what a call gave (idempotent on idempotencyKey): 201 when stored, 200 when the key was already used' } },
      async (request, reply) => {
        const input = parseOutcomeInput(request.body);
        const logged = await recordOutcome(knex, input, agentOf(request), ctx.clock.now());
        return reply.code(logged.created ? 201 : 200).send(logged);
      },
    );

    app.get<{ Params: { id: string }; Querystring: { date?: string } }>(
      '/api/debtors/:id/brief',
      { config: { access: ACCESS.everyone }, schema: { tags: ['debtors'], summary: 'What to say: balance, cases, last payment, promise, rank and window, last contacts, explanation in points of probability, similar debtors', params: idParams, querystring: dateQuery } },
      async (request) => debtorBrief(knex, request.params.id, await listDateOr(request.query.date), principalOf(request).role),
    );
  };
}
