/**
 * "Never a mix": while a publication of a list date is under way, readers of dialer.call_list see
 * the previous list whole; once it commits, the new one whole. The publication is stopped
 * mid-way deterministically — a concurrent transaction holding a share lock on dialer.publications
 * makes its last step wait, after it has already replaced the list rows — and readers look then.
 */
import { FixedClock } from '../../src/core';
import { publishCallList, type CallList } from '../../src/ranking';
import { describeIfPostgres } from '../helpers/services';
import { freshPostgres, type TestDatabase } from '../helpers/db';

const LIST_DATE = '2026-11-24';
const clock = new FixedClock('2026-11-24T01:30:00Z');

function list(runId: string, n: number): CallList {
  return {
    listDate: LIST_DATE,
    runId,
    modelVersionId: 'm1',
    settleShare: 0,
    candidates: n,
    rows: Array.from({ length: n }, (_, i) => ({
      teamId: 'equipe-1',
      rank: i + 1,
      debtorId: `${runId}-D${i}`,
      officeCode: 'ETU01',
      contact: { title: null, firstName: null, lastName: null, postalCode: null, country: 'FR' },
      phoneE164: '+33612345678',
      timeZone: 'Europe/Paris',
      windowStart: new Date('2026-11-24T08:00:00Z'),
      windowEnd: new Date('2026-11-24T10:00:00Z'),
      pPay: 0.5,
      expectedAmount: 100,
      amountBasis: 'balance_share' as const,
      pContact: 0.3,
      expectedRecovery: 15,
      expectedMinutes: 2.85,
      priority: 15 / 2.85,
      balance: 400,
      reasons: [],
      modelVersionId: 'm1',
    })),
    exclusions: [],
    deferred: [],
    holdout: [],
  };
}

async function snapshot(t: TestDatabase): Promise<{ n: number; runs: string[] }> {
  const r = await t.db.knex.raw(`select count(*)::int as n, array_agg(distinct run_id) as runs from dialer.call_list where list_date = ?`, [LIST_DATE]);
  const row = r.rows[0] as { n: number; runs: string[] | null };
  return { n: row.n, runs: row.runs ?? [] };
}

describeIfPostgres('atomic publication on Postgres', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPostgres();
  }, 120_000);
  afterAll(async () => t?.close());

  it('shows readers the old list while the new one is being written, then the new one whole', async () => {
    await publishCallList(t.db, list('old', 300), clock);
    expect(await snapshot(t)).toEqual({ n: 300, runs: ['old'] });

    // A share lock on dialer.publications holds the publisher at its last step.
    const blocker = await t.db.knex.transaction();
    await blocker.raw('lock table dialer.publications in share mode');
    const publishing = publishCallList(t.db, list('new', 500), clock);
    // Wait until the publisher waits for that lock: by then it has replaced the list rows.
    for (;;) {
      const r = await t.db.knex.raw(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%delete from dialer.publications%'`);
      if ((r.rows[0] as { n: number }).n > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Inside the publisher's transaction the new rows are there; outside, the old list is whole.
    const pending = await t.db.knex.raw(`select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'call_list' and l.mode = 'RowExclusiveLock' and l.granted`);
    expect((pending.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
    expect(await snapshot(t)).toEqual({ n: 300, runs: ['old'] });
    await blocker.commit();
    await publishing;
    expect(await snapshot(t)).toEqual({ n: 500, runs: ['new'] });
  });

  it('never shows a mix to readers polling through repeated publications', async () => {
    let stop = false;
    const seen: string[] = [];
    const readers = Array.from({ length: 2 }, async () => {
      while (!stop) {
        const s = await snapshot(t);
        seen.push(`${s.n}:${s.runs.join(',')}`);
      }
    });
    for (let k = 0; k < 6; k++) await publishCallList(t.db, k % 2 ? list('a', 400) : list('b', 700), clock);
    stop = true;
    await Promise.all(readers);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of new Set(seen)) expect(['400:a', '700:b', '500:new']).toContain(s);
  });
});
