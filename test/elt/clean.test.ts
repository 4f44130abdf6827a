import { freshPglite, type TestDatabase } from '../helpers/db';
import { cleanAll, extractSource } from '../../src/elt';
import { silentLogger } from '../../src/core';
import { SMALL_EXPORT, officeSource, run } from './elt-fixtures';

describe('cleanAll (PGlite)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
    await extractSource(t.db, officeSource(SMALL_EXPORT), run('run-1'));
  });
  afterAll(() => t.close());

  test('rebuilds clean.* with the exact contract of docs/data-contract.md, and again gives the same tables', async () => {
    const first = await cleanAll(t.db, { runId: 'run-1', asOf: '2026-11-24', log: silentLogger });
    expect(first.rows).toEqual({ debtors: 3, debtor_keys: 4, cases: 3, payments: 3, calls: 3, promises: 2, phones: 3 });
    expect(first.orphans).toEqual({ cases: 1, payments: 2 });
    expect(first.mergedDebtors).toBe(1);
    expect(first.invalidPhones).toBe(1);
    const snapshot = async () => Promise.all(['debtors', 'debtor_keys', 'cases', 'payments', 'calls', 'promises', 'phones'].map((x) => t.db.knex(`clean.${x}`).select('*').orderByRaw('1, 2')));
    const before = await snapshot();
    const second = await cleanAll(t.db, { runId: 'run-2', log: silentLogger });
    expect(second.rows).toEqual(first.rows);
    expect(await snapshot()).toEqual(before);

    const columns = await t.db.knex.raw(`select table_name, string_agg(column_name, ',' order by ordinal_position) as cols
      from information_schema.columns where table_schema = 'clean' group by table_name order by table_name`);
    expect(Object.fromEntries(columns.rows.map((r: { table_name: string; cols: string }) => [r.table_name, r.cols]))).toEqual({
      calls: 'call_id,debtor_id,case_id,phone_e164,called_at,duration_s,outcome,agent,_load_id,promise_amount,promise_due_on,do_not_call',
      cases: 'case_id,debtor_id,office_code,creditor,claim_type,principal,fees,opened_on,legal_stage,status,disputed,_load_id',
      debtor_keys: 'office_code,source_debtor_id,debtor_id,_load_id',
      debtors: 'debtor_id,office_code,title,last_name,first_name,birth_date,postal_code,city,country,time_zone,do_not_call,updated_on,_load_id',
      payments: 'payment_id,case_id,debtor_id,paid_on,amount,method,_load_id',
      phones: 'debtor_id,phone_e164,phone_type,valid,added_on,_load_id',
      promises: 'promise_id,case_id,debtor_id,promised_on,amount,due_on,_load_id',
    });
  });

  test('the same person exported by two offices becomes one debtor; a do-not-call request in either applies', async () => {
    await cleanAll(t.db, { runId: 'run-1', log: silentLogger });
    const keys = await t.db.knex('clean.debtor_keys').orderBy(['office_code', 'source_debtor_id']).select('office_code', 'source_debtor_id', 'debtor_id');
    expect(keys).toEqual([
      { office_code: 'ETU01', source_debtor_id: 'D001', debtor_id: 'D001' },
      { office_code: 'ETU01', source_debtor_id: 'D002', debtor_id: 'D002' },
      { office_code: 'ETU02', source_debtor_id: 'D003', debtor_id: 'D003' },
      { office_code: 'ETU02', source_debtor_id: 'D101', debtor_id: 'D001' },
    ]);
    const debtors = await t.db.knex('clean.debtors').orderBy('debtor_id').select('debtor_id', 'office_code', 'title', 'first_name', 'birth_date', 'time_zone', 'do_not_call', 'updated_on');
    expect(debtors).toEqual([
      { debtor_id: 'D001', office_code: 'ETU01', title: 'mrs', first_name: 'Léa', birth_date: '1980-06-15', time_zone: 'Europe/Paris', do_not_call: true, updated_on: '2026-11-01' },
      { debtor_id: 'D002', office_code: 'ETU01', title: 'mr', first_name: 'Jean', birth_date: '1990-01-01', time_zone: 'Indian/Reunion', do_not_call: false, updated_on: '2026-11-01' },
      { debtor_id: 'D003', office_code: 'ETU02', title: 'mr', first_name: 'Paul', birth_date: '1975-03-31', time_zone: 'Europe/Paris', do_not_call: false, updated_on: '2026-11-20' },
    ]);
  });

  test('amounts, dates and office codes are typed and mapped; payments are linked to cases and orphans reported', async () => {
    await cleanAll(t.db, { runId: 'run-1', log: silentLogger });
    const cases = await t.db.knex('clean.cases').orderBy('case_id').select('case_id', 'debtor_id', 'principal', 'fees', 'opened_on', 'legal_stage', 'status', 'disputed');
    expect(cases).toEqual([
      { case_id: 'C1', debtor_id: 'D001', principal: 1234.56, fees: 100, opened_on: '2025-10-01', legal_stage: 'injunction', status: 'open', disputed: false },
      { case_id: 'C2', debtor_id: 'D001', principal: 200.5, fees: 0, opened_on: '2026-04-20', legal_stage: 'amicable', status: 'open', disputed: true },
      { case_id: 'C3', debtor_id: 'D002', principal: 500, fees: 0, opened_on: '2026-01-05', legal_stage: 'over_indebtedness', status: 'suspended', disputed: false },
    ]);
    const payments = await t.db.knex('clean.payments').orderBy('payment_id').select('payment_id', 'case_id', 'debtor_id', 'paid_on', 'amount', 'method');
    expect(payments).toEqual([
      { payment_id: 'Y1', case_id: 'C1', debtor_id: 'D001', paid_on: '2026-01-10', amount: 50, method: 'transfer' },
      { payment_id: 'Y2', case_id: 'C1', debtor_id: 'D001', paid_on: '2026-03-20', amount: 150, method: 'card' },
      { payment_id: 'Y5', case_id: 'C2', debtor_id: 'D001', paid_on: '2026-03-20', amount: 1234.5, method: 'cash' },
    ]);
    const orphans = await t.db.knex('quarantine.orphans').orderBy(['table_name', 'row_id']).select('table_name', 'row_id', 'missing', 'missing_id');
    expect(orphans).toEqual([
      { table_name: 'cases', row_id: 'C4', missing: 'debtor', missing_id: 'D999' },
      { table_name: 'payments', row_id: 'Y3', missing: 'case', missing_id: 'C4' },
      { table_name: 'payments', row_id: 'Y4', missing: 'case', missing_id: 'C9' },
    ]);
  });

  test('phones are normalised to E.164 (overseas prefixes included) and call times read in the debtor’s time zone', async () => {
    await cleanAll(t.db, { runId: 'run-1', log: silentLogger });
    const phones = await t.db.knex('clean.phones').orderBy(['debtor_id', 'phone_e164']).select('debtor_id', 'phone_e164', 'phone_type', 'valid', 'added_on');
    expect(phones).toEqual([
      { debtor_id: 'D001', phone_e164: '+33612345678', phone_type: 'mobile', valid: true, added_on: '2025-10-01' },
      { debtor_id: 'D001', phone_e164: null, phone_type: 'landline', valid: false, added_on: '2025-10-01' },
      { debtor_id: 'D002', phone_e164: '+262692123456', phone_type: 'mobile', valid: true, added_on: '2026-01-01' },
    ]);
    const calls = await t.db.knex('clean.calls').orderBy('call_id').select('call_id', 'debtor_id', 'case_id', 'phone_e164', 'called_at', 'duration_s', 'outcome');
    expect(calls.map((c: { called_at: Date }) => ({ ...c, called_at: new Date(c.called_at).toISOString() }))).toEqual([
      { call_id: 'K1', debtor_id: 'D001', case_id: 'C1', phone_e164: '+33612345678', called_at: '2026-04-30T21:30:00.000Z', duration_s: 120, outcome: 'promise' },
      { call_id: 'K2', debtor_id: 'D002', case_id: 'C3', phone_e164: '+262692123456', called_at: '2026-04-30T06:00:00.000Z', duration_s: 0, outcome: 'no_answer' },
      { call_id: 'K3', debtor_id: 'D001', case_id: null, phone_e164: '+33612345678', called_at: '2026-05-01T07:00:00.000Z', duration_s: 30, outcome: 'right_party_contact' },
    ]);
    const normalised = await t.db.knex.raw(`select clean.phone_e164(x) as e from unnest(array['06.12.34.56.78', '0033612345678', '+33 6 12 34 56 78', '0590 12 34 56',
      '06 12 34', '0000000000', '12345', '06123456789', 'inconnu', '+33 6 XX']) with ordinality as u(x, i) order by i`);
    expect(normalised.rows.map((r: { e: string | null }) => r.e)).toEqual(['+33612345678', '+33612345678', '+33612345678', '+590590123456', null, null, null, null, null, null]);
  });

  test('a newer load of a row replaces the older version in clean.*', async () => {
    await t.db.knex('raw.payments').insert({ payment_id: 'Y1', case_id: 'C1', paid_on: '2026-01-10', amount: '55.00', method: 'CHQ', _load_id: '29991231T000000000-0001-aaaaaa', _source: 'office_csv', _row_number: 2 });
    await cleanAll(t.db, { runId: 'run-3', log: silentLogger });
    expect(await t.db.knex('clean.payments').where({ payment_id: 'Y1' }).first('amount', 'method')).toEqual({ amount: 55, method: 'cheque' });
    await t.db.knex('raw.payments').where({ _load_id: '29991231T000000000-0001-aaaaaa' }).delete();
  });
});
