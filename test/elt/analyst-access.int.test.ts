/**
 * The analysts' contract on real Postgres: after a clean, a log-in role made member of
 * relance_analyst reads the documented views and the clean tables, and can change nothing.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';
import { cleanAll, extractSource, runQualityChecks } from '../../src/elt';
import { silentLogger } from '../../src/core';
import { SMALL_EXPORT, officeSource, run, shippedConfig } from './elt-fixtures';

describeIfPostgres('analyst views and the read-only role (Postgres)', () => {
  let t: TestDatabase;
  const login = `relance_test_analyst_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    t = await freshPostgres();
    await extractSource(t.db, officeSource(SMALL_EXPORT), run('run-1'));
    await cleanAll(t.db, { runId: 'run-1', log: silentLogger });
    await t.db.knex.raw(`create role ${login} login password 'x' in role relance_analyst`);
  });
  afterAll(async () => {
    await t.db.knex.raw(`drop role if exists ${login}`).catch(() => undefined);
    await t.close();
  });

  async function asAnalyst<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const url = new URL(t.url as string);
    url.username = login;
    url.password = 'x';
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  test('the analyst reads every documented view and the clean tables', async () => {
    await asAnalyst(async (c) => {
      const debtors = await c.query('select debtor_id, n_cases, balance, total_paid, n_valid_phones from analyst.debtors order by debtor_id');
      expect(debtors.rows).toEqual([
        { debtor_id: 'D001', n_cases: 2, balance: 1134.56, total_paid: 1434.5, n_valid_phones: 1 },
        { debtor_id: 'D002', n_cases: 1, balance: 500, total_paid: 0, n_valid_phones: 1 },
        { debtor_id: 'D003', n_cases: 0, balance: 0, total_paid: 0, n_valid_phones: 0 },
      ]);
      const calls = await c.query(`select call_id, local_day, local_hour, reached from analyst.calls order by call_id`);
      expect(calls.rows.map((r) => [r.call_id, r.local_hour, r.reached])).toEqual([['K1', 23, true], ['K2', 10, false], ['K3', 9, true]]);
      const reasons = await c.query(`select table_name, reason, field, n_rows from analyst.quarantine_reasons where table_name = 'cases' order by first_line`);
      expect(reasons.rows.map((r) => `${r.reason} ${r.field} ${r.n_rows}`)).toEqual(['invalid_amount principal 1', 'invalid_value legal_stage 1', 'negative_amount principal 1', 'future_date opened_on 1']);
      for (const view of ['analyst.cases', 'analyst.payments_monthly', 'analyst.loads', 'analyst.orphans', 'clean.debtors', 'clean.payments']) {
        await expect(c.query(`select count(*) from ${view}`)).resolves.toBeDefined();
      }
    });
  });

  test('the analyst can change nothing and cannot read the raw rows or the orchestrator', async () => {
    await asAnalyst(async (c) => {
      await expect(c.query(`update clean.debtors set do_not_call = false`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`insert into clean.payments (payment_id) values ('X')`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`select * from quarantine.rows`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`select * from raw.debtors`)).rejects.toThrow(/permission denied/);
      await expect(c.query(`create table analyst.mine (x int)`)).rejects.toThrow(/permission denied/);
    });
  });

  test('the same export gives the same clean tables as on PGlite, and the quality checks pass with the fixture faults allowed', async () => {
    const config = shippedConfig();
    const report = await runQualityChecks(t.db, { ...config.quality, maxOrphanRate: 0.5, maxQuarantineRate: 0.6 }, { log: silentLogger });
    expect(report.ok).toBe(true);
    const [row] = (await t.db.knex.raw(`select count(*) as n, sum(principal) as total from clean.cases`)).rows;
    expect([Number(row.n), Number(row.total)]).toEqual([3, 1935.06]);
  });
});
