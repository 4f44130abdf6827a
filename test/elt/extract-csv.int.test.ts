/**
 * CSV loads on real Postgres, where COPY streams over the network: a fault found deep in a file,
 * while COPY is under way, aborts it cleanly (nothing kept, the connection still usable), and a
 * sound file then loads. Several tables load at once, each on its own connection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres } from '../helpers/services';
import { extractSource } from '../../src/elt';
import { isErrorNamed } from '../../src/core';
import { copyOf, countRows, officeSource, run, SMALL_EXPORT } from './elt-fixtures';

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

  test('tables loaded side by side give what one at a time gives; a failing table loses only its file', async () => {
    const exportCopy = copyOf(SMALL_EXPORT);
    const serial = await freshPostgres();
    const parallel = await freshPostgres();
    const RAW = ['debtors', 'cases', 'payments', 'calls', 'promises', 'phones'];
    const summary = (reports: Awaited<ReturnType<typeof extractSource>>) => reports.map(({ table, file, status, rowsRead, rowsLoaded, rowsQuarantined, reasons }) => ({ table, file, status, rowsRead, rowsLoaded, rowsQuarantined, reasons }));
    try {
      const source = officeSource(exportCopy.dir);
      const oneByOne = await extractSource(serial.db, source, { ...run('serial'), concurrency: 1 });
      const sideBySide = await extractSource(parallel.db, source, { ...run('parallel'), concurrency: 3 });
      expect(summary(sideBySide)).toEqual(summary(oneByOne));
      for (const table of RAW) expect(await countRows(parallel.db.knex, `raw.${table}`)).toBe(await countRows(serial.db.knex, `raw.${table}`));
      expect(oneByOne.map((r) => r.table)).toEqual(source.tables.map((x) => x.table));

      // The cases file is truncated to nothing: that table fails, the others are accounted for.
      const third = await freshPostgres();
      try {
        const casesFile = oneByOne.find((r) => r.table === 'cases')!.file;
        writeFileSync(casesFile, '');
        const error = await extractSource(third.db, source, { ...run('broken'), concurrency: 3 }).catch((e: unknown) => e);
        expect(isErrorNamed(error, 'InputFileError')).toBe(true);
        expect((error as Error).message).toContain(`${casesFile} line 1: empty file`);
        expect(await countRows(third.db.knex, 'raw.cases')).toBe(0);
        const loads = (await third.db.knex('quarantine.loads').select('table_name', 'status', 'rows_read', 'rows_loaded', 'rows_quarantined')) as { table_name: string; status: string; rows_read: unknown; rows_loaded: unknown; rows_quarantined: unknown }[];
        expect(loads.filter((l) => l.status === 'failed').map((l) => l.table_name)).toEqual(['cases']);
        for (const l of loads.filter((x) => x.status === 'loaded')) {
          expect(Number(l.rows_read)).toBe(Number(l.rows_loaded) + Number(l.rows_quarantined));
          expect(await countRows(third.db.knex, `raw.${l.table_name}`)).toBe(Number(l.rows_loaded));
        }
        for (const table of RAW.filter((x) => !loads.some((l) => l.table_name === x))) expect(await countRows(third.db.knex, `raw.${table}`)).toBe(0);
      } finally {
        await third.close();
      }
    } finally {
      await serial.close();
      await parallel.close();
      exportCopy.remove();
    }
  });
});
