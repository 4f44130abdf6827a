import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { extractSource } from '../../src/elt';
import { isErrorNamed } from '../../src/core';
import { SMALL_EXPORT, column, copyOf, countRows, officeSource, quarantined, run } from './elt-fixtures';

describe('extractSource on a CSV drop (PGlite)', () => {
  let t: TestDatabase;
  let folder: { dir: string; remove: () => void };
  beforeEach(async () => {
    t = await freshPglite();
    folder = copyOf(SMALL_EXPORT);
  });
  afterEach(async () => {
    folder.remove();
    await t.close();
  });

  test('every file is loaded with its row accounting, bad rows quarantined with reason, field and line', async () => {
    const reports = await extractSource(t.db, officeSource(folder.dir), run('run-1'));
    const byTable = Object.fromEntries(reports.map((r) => [r.table, r]));
    expect(Object.keys(byTable).sort()).toEqual(['calls', 'cases', 'debtors', 'payments', 'phones', 'promises']);
    for (const r of reports) expect(r.rowsRead).toBe(r.rowsLoaded + r.rowsQuarantined);
    expect(byTable.debtors).toMatchObject({ status: 'loaded', rowsRead: 8, rowsLoaded: 4, rowsQuarantined: 4 });
    expect(await quarantined(t.db.knex, 'debtors')).toEqual([
      '6 duplicate_key debtor_id',
      '7 missing_value debtor_id',
      '8 invalid_date birth_date',
      '9 wrong_field_count',
    ]);
    expect(await quarantined(t.db.knex, 'cases')).toEqual([
      '6 invalid_amount principal',
      '7 invalid_value legal_stage',
      '8 negative_amount principal',
      '9 future_date opened_on',
    ]);
    expect(await quarantined(t.db.knex, 'calls')).toEqual(['5 invalid_timestamp called_at']);
    expect(byTable.payments).toMatchObject({ rowsRead: 5, rowsLoaded: 5, rowsQuarantined: 0 });

    // Quarantined records are kept verbatim, as the office wrote them.
    const lines = readFileSync(path.join(folder.dir, 'debiteurs.csv'), 'utf8').split('\r\n');
    const short = await t.db.knex('quarantine.rows').where({ table_name: 'debtors', line: 9 }).first();
    expect(short.raw_record).toBe(lines[8]);
    expect(short.file).toBe(path.join(folder.dir, 'debiteurs.csv'));

    // The audit agrees with the reports.
    const loads = await t.db.knex('quarantine.loads').orderBy('load_id');
    expect(loads.map((l: { table_name: string }) => l.table_name)).toEqual(['debtors', 'cases', 'payments', 'calls', 'promises', 'phones']);
    for (const l of loads) expect(Number(l.rows_read)).toBe(Number(l.rows_loaded) + Number(l.rows_quarantined));
  });

  test('raw rows carry their lineage, quoted fields keep their delimiter, and amounts and dates are written canonically', async () => {
    const [debtors] = await extractSource(t.db, officeSource(folder.dir, { tables: officeSource(folder.dir).tables.filter((x) => x.table !== 'calls') }), run('run-1'));
    const lea = await t.db.knex('raw.debtors').where({ debtor_id: 'D001' }).first();
    expect(lea).toMatchObject({
      first_name: 'Léa', address: '12 rue des Lilas; Bât. A', birth_date: '1980-06-15', updated_on: '2026-11-01',
      _source: 'office_csv', _file: path.join(folder.dir, 'debiteurs.csv'), _row_number: 2, _load_id: debtors!.loadId,
    });
    expect(await column(t.db.knex, 'raw.cases', 'principal')).toEqual(['1234.56', '200.50', '50.00', '500']);
    expect(await column(t.db.knex, 'raw.payments', 'amount')).toEqual(['10.00', '10.00', '1234.5', '150', '50.00']);
  });

  test('a file already loaded is skipped; a changed file is loaded again', async () => {
    const source = officeSource(folder.dir);
    await extractSource(t.db, source, run('run-1'));
    const again = await extractSource(t.db, source, run('run-2'));
    expect(again.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    appendFileSync(path.join(folder.dir, 'paiements.csv'), 'Y6;C1;2026-04-01;20,00;VIR\r\n');
    const third = await extractSource(t.db, source, run('run-3'));
    expect(third.filter((r) => r.status === 'loaded').map((r) => [r.table, r.rowsRead])).toEqual([['payments', 6]]);
    expect(await countRows(t.db.knex, 'raw.payments')).toBe(11);
  });

  test('a file-level fault fails the load, names file, line and column, and leaves no row of that file', async () => {
    const file = path.join(folder.dir, 'paiements.csv');
    writeFileSync(file, readFileSync(file, 'utf8') + 'Y7;C1;2026-04-01');
    const source = officeSource(folder.dir);
    const error = await extractSource(t.db, source, run('run-1')).catch((e: unknown) => e);
    expect(isErrorNamed(error, 'InputFileError')).toBe(true);
    expect((error as Error).message).toBe(`${file} line 7: truncated file, the last record ends without a line break and has 3 of 5 fields`);
    expect((error as { context: object }).context).toMatchObject({ file, line: 7, field: 'montant' });
    expect(await countRows(t.db.knex, 'raw.payments')).toBe(0);
    expect(await countRows(t.db.knex, 'quarantine.rows', { table_name: 'payments' })).toBe(0);
    const failed = await t.db.knex('quarantine.loads').where({ table_name: 'payments' });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 'failed', rows_loaded: 0 });
    // Files before the faulty one were committed; a fixed file loads on the next run.
    expect(await column(t.db.knex, 'quarantine.loads', 'status')).toEqual(['failed', 'loaded', 'loaded']);
    writeFileSync(file, readFileSync(file, 'utf8') + ';30,00;VIR\r\n');
    const next = await extractSource(t.db, source, run('run-2'));
    expect(next.find((r) => r.table === 'payments')).toMatchObject({ status: 'loaded', rowsRead: 6, rowsLoaded: 6 });
  });
});
