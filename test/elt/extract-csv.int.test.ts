/**
 * CSV loads on real Postgres, where COPY streams over the network: a fault found deep in a file,
 * while COPY is under way, aborts it cleanly (nothing kept, the connection still usable), and a
 * sound file then loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';
import { extractSource } from '../../src/elt';
import { isErrorNamed } from '../../src/core';
import { countRows, officeSource, run } from './elt-fixtures';

const HEADER = 'id_paiement;id_dossier;date_paiement;montant;mode_reglement';

function payments(n: number): string {
  const rows = Array.from({ length: n }, (_, i) => `P${i + 1};C${i % 97};${String(1 + (i % 28)).padStart(2, '0')}/03/2026;${i % 500},${String(i % 100).padStart(2, '0')};VIR`);
  return `${HEADER}\r\n${rows.join('\r\n')}\r\n`;
}

describeIfPostgres('CSV loads on Postgres', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await freshPostgres();
    dir = mkdtempSync(path.join(tmpdir(), 'relance-elt-pg-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  test('a fault 60,000 lines into a file aborts the COPY under way and keeps nothing; the next file loads', async () => {
    const source = officeSource(dir);
    const tables = source.tables.filter((x) => x.table === 'payments');
    writeFileSync(path.join(dir, 'paiements.csv'), payments(60_000) + 'P60001;C1;2026-03-01;1\u0000,00;VIR\r\n');
    const error = await extractSource(t.db, { ...source, tables }, run('run-1')).catch((e: unknown) => e);
    expect(isErrorNamed(error, 'InputFileError')).toBe(true);
    expect((error as Error).message).toBe(`${path.join(dir, 'paiements.csv')} line 60002, column 4 (montant), character 23: a NUL byte`);
    expect(await countRows(t.db.knex, 'raw.payments')).toBe(0);
    expect(await countRows(t.db.knex, 'quarantine.loads', { status: 'failed' })).toBe(1);

    writeFileSync(path.join(dir, 'paiements.csv'), payments(60_000) + 'P60001;C1;2026-03-01;1 000,00;VIR\r\nP1;C1;2026-03-01;1,00;VIR\r\n');
    const [report] = await extractSource(t.db, { ...source, tables }, run('run-2'));
    expect(report).toMatchObject({ status: 'loaded', rowsRead: 60_002, rowsLoaded: 60_001, rowsQuarantined: 1, reasons: { duplicate_key: 1 } });
    expect(await t.db.knex('raw.payments').where({ payment_id: 'P60001' }).first('amount', 'paid_on')).toEqual({ amount: '1000.00', paid_on: '2026-03-01' });
  });
});
