/**
 * The clean tables are rebuilt only when what they are built from changed: a second clean on the
 * same raw tables (the nightly after the retrain, a rerun) reuses the last rebuild, and any write
 * to raw.* or clean.* since then, by a load or by hand, brings the rebuild back. The export's
 * do-not-call requests are recorded on every clean, rebuilt or not.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '../../src/core';
import { cleanAll, extractCallLog, extractSource } from '../../src/elt';
import { engines, type TestDatabase } from '../helpers/db';
import { SMALL_EXPORT, copyOf, officeSource, run } from './elt-fixtures';

const TABLES = ['debtors', 'debtor_keys', 'cases', 'payments', 'calls', 'promises', 'phones'];

describe.each(engines)('clean rebuilds on $name', ({ open }) => {
  let t: TestDatabase;
  const snapshot = async (): Promise<unknown[]> => Promise.all(TABLES.map((x) => t.db.knex(`clean.${x}`).select('*').orderByRaw('1, 2')));
  const builds = async (): Promise<string[]> => ((await t.db.knex('quarantine.clean_builds').orderBy('built_at').select('run_id')) as { run_id: string }[]).map((b) => b.run_id);

  beforeAll(async () => {
    t = await open();
    await extractSource(t.db, officeSource(SMALL_EXPORT), run('run-1'));
  }, 120_000);
  afterAll(async () => t?.close());

  test('a clean on unchanged raw tables reuses the last rebuild, with its report, and leaves the tables as they were', async () => {
    const first = await cleanAll(t.db, { runId: 'run-1', asOf: '2026-11-23', log: silentLogger });
    expect(first.reusedFrom).toBeUndefined();
    const before = await snapshot();
    const second = await cleanAll(t.db, { runId: 'run-2', asOf: '2026-11-24', log: silentLogger });
    expect(second.reusedFrom?.runId).toBe('run-1');
    expect(second).toMatchObject({ runId: 'run-2', asOf: '2026-11-24', rows: first.rows, orphans: first.orphans, mergedDebtors: first.mergedDebtors, invalidPhones: first.invalidPhones });
    expect(await snapshot()).toEqual(before);
    expect(await builds()).toEqual(['run-1']);

    // Tonight's call log with nothing in it (no call taken since): a write of no rows changes nothing.
    await extractCallLog(t.db, { runId: 'run-2b', log: silentLogger });
    expect((await cleanAll(t.db, { runId: 'run-2c', log: silentLogger })).reusedFrom?.runId).toBe('run-1');
  });

  test('a new load, a row written by hand in raw.* or clean.*, or a truncated clean table brings the rebuild back', async () => {
    await cleanAll(t.db, { runId: 'run-3', log: silentLogger });
    const reference = await snapshot();

    // A row inserted by hand in raw.*: the rebuild picks it up.
    await t.db.knex('raw.payments').insert({ payment_id: 'Z1', case_id: 'C1', paid_on: '2026-01-10', amount: '12.00', method: 'CHQ', _load_id: '29991231T000000000-0001-zzzzzz', _source: 'office_csv', _row_number: 2 });
    const afterInsert = await cleanAll(t.db, { runId: 'run-4', log: silentLogger });
    expect(afterInsert.reusedFrom).toBeUndefined();
    expect(await t.db.knex('clean.payments').where({ payment_id: 'Z1' }).first('amount')).toEqual({ amount: 12 });

    // Deleted again: the count is back to what it was, the rebuild happens all the same.
    await t.db.knex('raw.payments').where({ payment_id: 'Z1' }).delete();
    expect((await cleanAll(t.db, { runId: 'run-5', log: silentLogger })).reusedFrom).toBeUndefined();
    expect(await snapshot()).toEqual(reference);

    // A clean table emptied by hand.
    await t.db.knex.raw('truncate clean.calls');
    expect((await cleanAll(t.db, { runId: 'run-6', log: silentLogger })).reusedFrom).toBeUndefined();
    expect(await snapshot()).toEqual(reference);

    // A clean row changed by hand.
    await t.db.knex('clean.debtors').update({ city: 'Ailleurs' });
    expect((await cleanAll(t.db, { runId: 'run-7', log: silentLogger })).reusedFrom).toBeUndefined();
    expect(await snapshot()).toEqual(reference);

    // Tonight's export with one more payment: a new load.
    const tonight = copyOf(SMALL_EXPORT);
    try {
      appendFileSync(path.join(tonight.dir, 'paiements.csv'), 'Y6;C2;2026-03-21;20,00;CHQ\r\n');
      await extractSource(t.db, officeSource(tonight.dir), run('run-8'));
    } finally {
      tonight.remove();
    }
    expect((await cleanAll(t.db, { runId: 'run-8', log: silentLogger })).reusedFrom).toBeUndefined();
    expect(await t.db.knex('clean.payments').where({ payment_id: 'Y6' }).first('amount')).toEqual({ amount: 20 });

    // Asked for explicitly.
    expect((await cleanAll(t.db, { runId: 'run-9', log: silentLogger, rebuild: true })).reusedFrom).toBeUndefined();
    expect((await cleanAll(t.db, { runId: 'run-10', log: silentLogger })).reusedFrom?.runId).toBe('run-9');
  });

  test('a lifted do-not-call request whose export flag is still set is recorded again by a clean that reuses the rebuild', async () => {
    await cleanAll(t.db, { runId: 'run-11', log: silentLogger });
    const open = await t.db.knex('dialer.contact_requests').where({ source: 'office_export', kind: 'do_not_call' }).whereNull('lifted_on').select('debtor_id', 'request_id');
    expect(open.length).toBeGreaterThan(0);
    await t.db.knex('dialer.contact_requests').where({ source: 'office_export' }).whereNull('lifted_on').update({ lifted_on: '2026-11-23' });
    const again = await cleanAll(t.db, { runId: 'run-12', log: silentLogger });
    expect(again.reusedFrom).toBeDefined();
    const reopened = await t.db.knex('dialer.contact_requests').where({ source: 'office_export', kind: 'do_not_call' }).whereNull('lifted_on').select('debtor_id');
    expect(reopened.map((r: { debtor_id: string }) => r.debtor_id).sort()).toEqual(open.map((r: { debtor_id: string }) => r.debtor_id).sort());
  });
});
