import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { cleanAll, extractSource, runQualityChecks } from '../../src/elt';
import { isErrorNamed, silentLogger } from '../../src/core';
import { qualitySchema, type QualityConfig } from '../../src/config/schema/sources';
import { SMALL_EXPORT, copyOf, officeSource, run } from './elt-fixtures';

/** The fixture export is deliberately faulty: allow its orphans and quarantined rows. */
const lenient = (more: Partial<QualityConfig> = {}): QualityConfig => qualitySchema.parse({ maxOrphanRate: 0.5, maxQuarantineRate: 0.6, ...more });

async function failure(promise: Promise<unknown>): Promise<Error & { context: { field?: string } }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isErrorNamed(error, 'QualityCheckError')).toBe(true);
  return error as Error & { context: { field?: string } };
}

describe('runQualityChecks (PGlite)', () => {
  let t: TestDatabase;
  let folder: { dir: string; remove: () => void };
  // One database for the file: the tests run in order, the last ones change it.
  beforeAll(async () => {
    t = await freshPglite();
    folder = copyOf(SMALL_EXPORT);
    await extractSource(t.db, officeSource(folder.dir), run('run-1'));
    await cleanAll(t.db, { runId: 'run-1', log: silentLogger });
  });
  afterAll(async () => {
    folder.remove();
    await t.close();
  });

  test('pass on a sound night and report every check with its value and limit', async () => {
    const report = await runQualityChecks(t.db, lenient(), { log: silentLogger });
    expect(report.ok).toBe(true);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName['orphan_rate:payments']).toMatchObject({ ok: true, value: 2 / 5, limit: 0.5 });
    expect(byName['quarantine_rate:office_csv.debtors']).toMatchObject({ ok: true, value: 0.5 });
    expect(byName['references:payments.case_id']).toMatchObject({ ok: true, value: 0 });
    expect(byName.min_debtors).toMatchObject({ ok: true, value: 3 });
  });

  test('the shipped bounds refuse this faulty export: orphans and quarantined rows over their limits', async () => {
    const error = await failure(runQualityChecks(t.db, qualitySchema.parse({}), { log: silentLogger }));
    expect(error.message).toMatch(/^\d+ quality checks failed: /);
    expect(error.message).toContain('clean.payments: 2 orphan rows, 40.0% (limit 1.0%)');
    expect(error.message).toContain('debiteurs.csv: 50.0% of rows quarantined (limit 5.0%)');
  });

  test('null rates are checked per clean column, and a column that does not exist is a failure, not a pass', async () => {
    const error = await failure(runQualityChecks(t.db, lenient({ maxNullRate: { 'calls.case_id': 0.2, 'debtors.birth_date': 0 } }), { log: silentLogger }));
    expect(error.message).toBe('1 quality check failed: clean.calls.case_id: 33.3% null (limit 20.0%)');
    const unknown = await failure(runQualityChecks(t.db, lenient({ maxNullRate: { 'debtors.shoe_size': 0.1 } }), { log: silentLogger }));
    expect(unknown.message).toBe('1 quality check failed: quality.maxNullRate.debtors.shoe_size: clean.debtors has no column shoe_size');
  });

  test('referential integrity of clean.* is checked', async () => {
    await t.db.knex('clean.payments').insert({ payment_id: 'ZZ', case_id: 'NOPE', debtor_id: 'D001', paid_on: '2026-01-01', amount: 1 });
    const error = await failure(runQualityChecks(t.db, lenient(), { log: silentLogger }));
    expect(error.message).toBe('1 quality check failed: clean.payments.case_id: 1 rows reference no clean.cases');
    await t.db.knex('clean.payments').where({ payment_id: 'ZZ' }).delete();
  });
  test('a row count far from the previous load fails the run', async () => {
    const file = path.join(folder.dir, 'paiements.csv');
    writeFileSync(file, 'id_paiement;id_dossier;date_paiement;montant;mode_reglement\r\nY1;C1;2026-01-10;50,00;VIR\r\n');
    await extractSource(t.db, officeSource(folder.dir), run('run-2'));
    await cleanAll(t.db, { runId: 'run-2', log: silentLogger });
    const error = await failure(runQualityChecks(t.db, lenient({ maxRowCountChange: 0.5 }), { log: silentLogger }));
    expect(error.message).toBe('1 quality check failed: office_csv.payments: 1 rows loaded against 5 in the previous load (80.0% change, limit 50.0%)');
    expect(error.context.field).toBe('row_count_change:office_csv.payments');
    // The same change within a wider bound passes.
    await expect(runQualityChecks(t.db, lenient({ maxRowCountChange: 0.9 }), { log: silentLogger })).resolves.toMatchObject({ ok: true });
  });
});
