/**
 * The call room's API on a seeded Postgres database: outcomes are validated (400 naming the
 * field), role-checked, idempotent under a concurrent double submit, and a do-not-call request or
 * a dispute is recorded at once; claims never give one debtor to two agents and expire when not
 * worked; the debtor brief speaks in points of probability and counts similar debtors.
 */
import { FixedClock } from '../../src/core/clock';
import { claimNext } from '../../src/api/call-room/claims';
import { createApiToken } from '../../src/api/auth/tokens';
import { describeIfPostgres } from '../helpers/services';
import { call, openTestApi, type TestApi } from './api-server';

describeIfPostgres('call room API', () => {
  let api: TestApi;
  const clock = new FixedClock('2026-11-24T09:00:00+01:00');
  const agents: string[] = [];

  beforeAll(async () => {
    api = await openTestApi({ engine: 'postgres', n: 120, clock });
    for (const name of ['agent-a', 'agent-b']) agents.push((await createApiToken(api.database.db.knex, { name, role: 'agent' })).token);
  }, 60_000);
  afterAll(async () => api?.close());

  const knex = () => api.database.db.knex;

  test('an outcome missing a promise field, with an unknown outcome or an extra field is a 400 naming the field', async () => {
    const debtorId = api.fixture.debtorIds[0]!;
    const base = { idempotencyKey: 'key-validation-1', debtorId };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, outcome: 'promise', promiseAmount: 120 }, 'promiseDueOn'],
      [{ ...base, outcome: 'promise', promiseDueOn: '2026-12-01' }, 'promiseAmount'],
      [{ ...base, outcome: 'promise', promiseAmount: -5, promiseDueOn: '2026-12-01' }, 'promiseAmount'],
      [{ ...base, outcome: 'maybe' }, 'outcome'],
      [{ ...base, outcome: 'callback' }, 'callbackAt'],
      [{ ...base, outcome: 'busy', colour: 'blue' }, 'colour'],
      [{ debtorId, outcome: 'busy' }, 'idempotencyKey'],
      [{ ...base, outcome: 'promise', promiseAmount: 10, promiseDueOn: '2026-13-45' }, 'promiseDueOn'],
    ];
    for (const [body, field] of cases) {
      const res = await call(api, 'POST', '/api/outcomes', { token: agents[0], body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json().field).toBe(field);
      expect(res.json().message).toContain(field);
    }
    expect(await knex()('dialer.call_outcomes').count({ n: '*' }).first()).toEqual({ n: expect.anything() });
    expect(Number((await knex()('dialer.call_outcomes').count({ n: '*' }).first())?.n)).toBe(0);
  });

  test('only agents and the lead log calls', async () => {
    const body = { idempotencyKey: 'key-role-1', debtorId: api.fixture.debtorIds[1], outcome: 'busy' };
    expect((await call(api, 'POST', '/api/outcomes', { token: api.fixture.tokens.analyst, body })).status).toBe(403);
    expect((await call(api, 'POST', '/api/outcomes', { token: api.fixture.tokens.it, body })).status).toBe(403);
    expect((await call(api, 'POST', '/api/outcomes', { body })).status).toBe(401);
    expect((await call(api, 'POST', '/api/outcomes', { token: api.fixture.tokens.lead, body })).status).toBe(201);
  });

  test('a double submit stores one row, audited with the agent and the time', async () => {
    const debtorId = api.fixture.debtorIds[2]!;
    const body = { idempotencyKey: 'key-double-1', debtorId, outcome: 'promise', promiseAmount: 150.5, promiseDueOn: '2026-12-05', note: 'paiera le 5' };
    const [a, b] = await Promise.all([call(api, 'POST', '/api/outcomes', { token: agents[0], body }), call(api, 'POST', '/api/outcomes', { token: agents[0], body })]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.json().outcomeId).toBe(b.json().outcomeId);
    const rows = await knex()('dialer.call_outcomes').where({ idempotency_key: 'key-double-1' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ debtor_id: debtorId, agent_name: 'agent-a', created_by: 'agent-a', outcome: 'promise', case_id: `C${debtorId}`, note: 'paiera le 5' });
    expect(Number(rows[0].promise_amount)).toBe(150.5);
    expect(new Date(rows[0].called_at).toISOString()).toBe(clock.now().toISOString());
  });

  test('a do-not-call request and a dispute are recorded at once, for the lists to come', async () => {
    const [dnc, dispute] = [api.fixture.debtorIds[3]!, api.fixture.debtorIds[4]!];
    expect((await call(api, 'POST', '/api/outcomes', { token: agents[1], body: { idempotencyKey: 'key-dnc-1', debtorId: dnc, outcome: 'do_not_call' } })).status).toBe(201);
    expect((await call(api, 'POST', '/api/outcomes', { token: agents[1], body: { idempotencyKey: 'key-dispute-1', debtorId: dispute, outcome: 'dispute', note: 'conteste la dette' } })).status).toBe(201);
    const requests = await knex()('dialer.contact_requests').where({ debtor_id: dnc });
    expect(requests.map((r: Record<string, unknown>) => [r.kind, new Date(r.requested_on as string).toISOString().slice(0, 10)])).toEqual([['do_not_call', expect.stringMatching(/^2026-11-2[34]$/)]]);
    const disputes = await knex()('dialer.disputes').where({ debtor_id: dispute });
    expect(disputes).toHaveLength(1);
    expect(disputes[0]).toMatchObject({ case_id: `C${dispute}`, source: 'relance_call_log', lifted_on: null });
  });

  test('two agents asking at once get different debtors; a claim not worked in time goes to the other agent', async () => {
    const both = await Promise.all(agents.map((token) => call(api, 'POST', '/api/call-room/next', { token, body: { team: 'equipe-1' } })));
    const [a, b] = [both[0]!, both[1]!];
    const [da, db] = [a.json().claim.debtorId, b.json().claim.debtorId];
    expect(da).not.toBe(db);
    // asking again returns the debtor held
    expect((await call(api, 'POST', '/api/call-room/next', { token: agents[0], body: { team: 'equipe-1' } })).json().claim.debtorId).toBe(da);
    // a brief comes with the claim: phone in clear for an agent, explanation in points
    const brief = a.json().brief;
    expect(brief.listing.phone).toMatch(/^\+336\d{8}$/);
    expect(brief.explanation.effects.length).toBeGreaterThan(0);
    for (const e of brief.explanation.effects) expect(Math.abs(e.points)).toBeLessThanOrEqual(100);

    // many concurrent claims on the list never share a debtor (the primary key and skip locked)
    const listDate = api.fixture.listDate;
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => claimNext(knex(), { listDate, agent: { agentId: `bulk-${i}`, name: `bulk-${i}` }, now: clock.now(), claimMinutes: 15, teamId: 'equipe-2' })));
    const ids = many.map((c) => c?.debtorId);
    expect(new Set(ids).size).toBe(ids.length);

    // agent a logs nothing for 16 minutes: its debtor, the best-ranked free one, goes to the next agent asking
    const later = new Date(clock.now().getTime() + 16 * 60_000);
    const c = await claimNext(knex(), { listDate, agent: { agentId: 'agent-c', name: 'agent-c' }, now: later, claimMinutes: 15, teamId: 'equipe-1' });
    const ranks = await knex()('dialer.call_list').where({ list_date: listDate }).whereIn('debtor_id', [da, db]).select('debtor_id', 'rank');
    const best = ranks.sort((x: { rank: number }, y: { rank: number }) => x.rank - y.rank)[0].debtor_id;
    expect(c?.debtorId).toBe(best);
    // but a worked debtor never comes back
    await call(api, 'POST', '/api/outcomes', { token: agents[1], body: { idempotencyKey: 'key-worked-1', debtorId: db, outcome: 'no_answer' } });
    const d = await claimNext(knex(), { listDate, agent: { agentId: 'agent-d', name: 'agent-d' }, now: new Date(later.getTime() + 60 * 60_000), claimMinutes: 15, teamId: 'equipe-1' });
    expect(d?.debtorId).not.toBe(db);
    const status = await call(api, 'GET', '/api/call-room', { token: agents[1] });
    expect(status.json()).toMatchObject({ listDate, calls: 3, outcomes: { no_answer: 1, dispute: 1, do_not_call: 1 } });
  });
});
