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
import { maskPhone } from '../../src/api/auth/roles';
import { migrate } from '../../src/db';

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

  test('the analyst reads phone numbers masked as the API shows them to the analyst role, never in clear', async () => {
    const clear = (await t.db.knex.raw(`select debtor_id, phone_e164 from clean.phones where phone_e164 is not null order by debtor_id, phone_e164`)).rows as { debtor_id: string; phone_e164: string }[];
    expect(clear.length).toBeGreaterThan(0);
    await asAnalyst(async (c) => {
      const masked = await c.query(`select debtor_id, phone_masked from analyst.phones where phone_masked is not null order by debtor_id, phone_masked`);
      expect(masked.rows.map((r) => [r.debtor_id, r.phone_masked]).sort()).toEqual(clear.map((r) => [r.debtor_id, maskPhone(r.phone_e164, 'analyst')]).sort());
      expect(JSON.stringify(masked.rows)).not.toMatch(/\+\d{6,}/);
      for (const [table, column] of [['clean.phones', 'phone_e164'], ['clean.calls', 'phone_e164'], ['dialer.call_list', 'phone_e164']]) {
        await expect(c.query(`select ${column} from ${table}`)).rejects.toThrow(/permission denied/);
        await expect(c.query(`select * from ${table}`)).rejects.toThrow(/permission denied/);
      }
      // Every other column stays readable.
      const valid = await c.query(`select debtor_id, phone_type, valid from clean.phones order by debtor_id limit 1`);
      expect(valid.rows).toHaveLength(1);
      await expect(c.query(`select call_id, outcome from clean.calls limit 1`)).resolves.toBeDefined();
    });
  });

  test('a phone column added by a later migration is hidden from the analyst as well', async () => {
    await migrate(t.db, [{ name: '999_test_callbacks', checksum: 'x', script: `create table dialer.test_callbacks (debtor_id text, callback_phone text, note text)` }]);
    try {
      await asAnalyst(async (c) => {
        await expect(c.query(`select callback_phone from dialer.test_callbacks`)).rejects.toThrow(/permission denied/);
        await expect(c.query(`select debtor_id, note from dialer.test_callbacks`)).resolves.toBeDefined();
      });
    } finally {
      await t.db.knex.raw(`drop table dialer.test_callbacks`);
      await t.db.knex('public.relance_migrations').where({ name: '999_test_callbacks' }).delete();
    }
  });

  test('the same export gives the same clean tables as on PGlite, and the quality checks pass with the fixture faults allowed', async () => {
    const config = shippedConfig();
    const report = await runQualityChecks(t.db, { ...config.quality, maxOrphanRate: 0.5, maxQuarantineRate: 0.6 }, { log: silentLogger });
    expect(report.ok).toBe(true);
    const [row] = (await t.db.knex.raw(`select count(*) as n, sum(principal) as total from clean.cases`)).rows;
    expect([Number(row.n), Number(row.total)]).toEqual([3, 1935.06]);
  });
});
