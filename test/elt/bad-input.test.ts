/**
 * The bad-input corpus (test/fixtures/bad-input/): every file is a fault seen in real office
 * exports. Each case asserts the exact outcome (rows loaded, rows quarantined with line, reason and
 * field, or the file-level error naming file, line and column) and that nothing else was lost:
 * rows read = rows loaded + rows quarantined, and a refused file leaves no row anywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { extractSource } from '../../src/elt';
import { isErrorNamed } from '../../src/core';
import type { CsvSourceConfig } from '../../src/config/schema/sources';
import { BAD_INPUT, countRows, officeSource, run } from './elt-fixtures';

interface Case {
  file: string;
  table?: 'payments' | 'debtors';
  encoding?: CsvSourceConfig['encoding'];
  /** Ids loaded into raw (payment_id or debtor_id), in line order. */
  loaded?: string[];
  /** Quarantined rows as `line reason [field]`. */
  quarantined?: string[];
  /** Exact message of the file-level error, `{file}` standing for the path. */
  error?: string;
  /** Raw values to check: column → value per loaded id. */
  values?: Record<string, Record<string, string | null>>;
  /** Verbatim quarantined records, by line. */
  verbatim?: Record<number, string>;
}

const P = ['P1', 'P2', 'P3'];
const CASES: Case[] = [
  { file: 'bom-crlf.csv', loaded: P, values: { P1: { payment_id: 'P1', amount: '50.00', paid_on: '2026-01-10' } } },
  { file: 'lf-only.csv', loaded: P },
  { file: 'mixed-line-ends.csv', loaded: P, values: { P2: { method: 'CB', paid_on: '2026-03-20' } } },
  { file: 'embedded-newline.csv', table: 'debtors', loaded: ['D1', 'D2'], quarantined: ['7 missing_value debtor_id'],
    values: { D1: { address: '12 rue des Lilas\r\nBât. B' }, D2: { address: '3 rue Hoche\nEsc. C\n3e étage' } } },
  { file: 'quoted-delimiter.csv', table: 'debtors', loaded: ['D1', 'D2'], values: { D1: { address: '12 rue des Lilas; Bât. A' }, D2: { last_name: 'Dupont "dit" Martin' } } },
  { file: 'unbalanced-quote-eof.csv', error: '{file} line 3: unbalanced quote, the quoted field opened on line 3 is never closed (truncated file?)' },
  { file: 'unbalanced-quote-midfile.csv', loaded: ['P1', 'P5'], quarantined: ['3 invalid_amount amount'],
    verbatim: { 3: 'P2;C1;2026-01-10;"50,00;VIR\r\nP3;C2;2026-03-20;10,00;CHQ\r\nP4;C1;2026-01-10;50,00";VIR' } },
  { file: 'wrong-delimiter-comma.csv', error: '{file} line 1, column id_paiement: the header has a single column; the file looks ","-delimited, the source expects ";" (wrong delimiter)' },
  { file: 'tab-delimited.csv', error: '{file} line 1, column id_paiement: the header has a single column; the file looks "\\t"-delimited, the source expects ";" (wrong delimiter)' },
  { file: 'latin1-accents.csv', table: 'debtors', encoding: 'latin1', loaded: ['D1', 'D2'], values: { D1: { last_name: 'Lefèvre', first_name: 'Hélène' }, D2: { last_name: 'Françoise', first_name: 'Zoë' } } },
  { file: 'latin1-declared-utf8.csv', table: 'debtors', error: '{file} line 2, column 5 (prenom), character 22: bytes that are not valid utf8' },
  { file: 'windows1252.csv', table: 'debtors', encoding: 'windows1252', loaded: ['D1', 'D2'], values: { D1: { last_name: 'Bœuf', first_name: 'Chloé' }, D2: { last_name: 'Œuvray', first_name: 'Noël' } } },
  { file: 'extra-column-in-header.csv', loaded: P },
  { file: 'extra-field-in-row.csv', loaded: ['P1', 'P3'], quarantined: ['3 wrong_field_count'], verbatim: { 3: 'P2;C1;20/03/2026;150;CB;en trop' } },
  { file: 'missing-field-in-row.csv', loaded: ['P1', 'P3'], quarantined: ['3 wrong_field_count'], verbatim: { 3: 'P2;C1;20/03/2026;150' } },
  { file: 'missing-required-column.csv', error: '{file} line 1, column montant: missing required column montant' },
  { file: 'duplicate-header.csv', error: '{file} line 1, column montant: duplicate column montant (columns 4 and 6)' },
  { file: 'reordered-columns.csv', loaded: ['P1', 'P2'], values: { P1: { case_id: 'C1', amount: '50.00', method: 'VIR' } } },
  { file: 'non-numeric-amount.csv', loaded: ['P1'], quarantined: ['3 invalid_amount amount', '4 invalid_amount amount', '5 invalid_amount amount', '6 invalid_amount amount'] },
  { file: 'french-thousands.csv', loaded: ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'], values: Object.fromEntries(['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((p) => [p, { amount: '1234.56' }])) },
  { file: 'impossible-dates.csv', loaded: ['P5'], quarantined: ['2 invalid_date paid_on', '3 invalid_date paid_on', '4 invalid_date paid_on', '5 invalid_date paid_on', '7 invalid_date paid_on', '8 invalid_date paid_on'], values: { P5: { paid_on: '2024-02-29' } } },
  { file: 'ambiguous-dates-and-times.csv', loaded: ['P1', 'P2'], quarantined: ['4 invalid_date paid_on', '5 invalid_date paid_on'], values: { P1: { paid_on: '2026-02-01' }, P2: { paid_on: '2026-01-02' } } },
  { file: 'future-dates.csv', loaded: ['P1'], quarantined: ['3 future_date paid_on', '4 future_date paid_on'] },
  { file: 'negative-amounts.csv', loaded: ['P2'], quarantined: ['2 negative_amount amount', '4 negative_amount amount'] },
  { file: 'duplicate-keys.csv', loaded: ['P1', 'P2'], quarantined: ['3 duplicate_key payment_id', '4 duplicate_key payment_id'], values: { P1: { case_id: 'C1', amount: '50.00' } } },
  { file: 'empty-file.csv', error: '{file} line 1: empty file, no header' },
  { file: 'only-bom.csv', error: '{file} line 1: empty file, no header' },
  { file: 'header-only.csv', loaded: [] },
  { file: 'sql-looking-strings.csv', table: 'debtors', loaded: ['D1', 'D2', 'D3'],
    values: { D1: { last_name: "Robert'); DROP TABLE raw.debtors;--" }, D2: { last_name: '1; select pg_sleep(10)', first_name: "' or '1'='1" }, D3: { last_name: '$$ \\copy :load_id ?', first_name: '%s%n' } } },
  { file: 'blank-lines.csv', loaded: ['P1', 'P2'], quarantined: ['7 invalid_amount amount'] },
  { file: 'whitespace-padding.csv', loaded: ['P1'], quarantined: ['3 missing_value amount'], values: { P1: { case_id: 'C1', paid_on: '2026-01-10', amount: '50.00' } } },
  { file: 'nul-byte.csv', error: '{file} line 3, column 4 (montant), character 19: a NUL byte' },
  { file: 'truncated-last-record.csv', error: '{file} line 4: truncated file, the last record ends without a line break and has 3 of 5 fields' },
  { file: 'truncated-multibyte.csv', table: 'debtors', error: '{file} line 2, column 7 (adresse), character 40: bytes that are not valid utf8' },
  { file: 'missing-key.csv', loaded: ['P1'], quarantined: ['3 missing_value payment_id', '4 missing_value case_id', '5 missing_value payment_id'] },
  { file: 'invalid-code.csv', loaded: ['P1'], quarantined: ['3 invalid_value method', '4 invalid_value method'] },
  { file: 'backslash-and-tab.csv', table: 'debtors', loaded: ['D1', 'D2'], values: { D1: { address: 'C:\\temp\\new\tBât. \\N' }, D2: { address: '\\N' } } },
  { file: 'header-case.csv', loaded: ['P1'] },
  { file: 'trailing-delimiter.csv', error: "{file} line 2: 25 of 25 records do not have the header's 5 fields, the first has 6 (wrong delimiter or shifted columns?)" },
];

function sourceFor(c: Case, dir: string, name: string): CsvSourceConfig {
  const table = c.table ?? 'payments';
  const base = officeSource(dir);
  const tables = base.tables.filter((x) => x.table === table).map((x) => ({ ...x, file: c.file }));
  return { ...base, name, tables, ...(c.encoding ? { encoding: c.encoding } : {}) };
}

describe('bad-input corpus (PGlite)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
  });
  afterAll(() => t.close());

  test('the corpus holds at least 25 faults and every file has its case', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CASES.map((c) => c.file)).size).toBe(CASES.length);
  });

  test.each(CASES.map((c, i) => [c.file, c, i] as const))('%s', async (_name, c, i) => {
    const table = c.table ?? 'payments';
    const idColumn = table === 'payments' ? 'payment_id' : 'debtor_id';
    const file = path.join(BAD_INPUT, c.file);
    const source = sourceFor(c, BAD_INPUT, `bad${i}`);
    if (c.error !== undefined) {
      const error = await extractSource(t.db, source, run(`run-${i}`)).catch((e: unknown) => e);
      expect(isErrorNamed(error, 'InputFileError')).toBe(true);
      expect((error as Error).message).toBe(c.error.replace('{file}', file));
      expect((error as { context: { file?: string } }).context.file).toBe(file);
      expect([await countRows(t.db.knex, `raw.${table}`, { _file: file }), await countRows(t.db.knex, 'quarantine.rows', { file })]).toEqual([0, 0]);
      const loads = await t.db.knex('quarantine.loads').where({ source: source.name });
      expect(loads.map((l: { status: string }) => l.status)).toEqual(['failed']);
      return;
    }
    const [report] = await extractSource(t.db, source, run(`run-${i}`));
    const rows = (await t.db.knex(`raw.${table}`).where({ _load_id: report!.loadId }).orderBy('_row_number')) as Record<string, string | null>[];
    expect(rows.map((r) => r[idColumn])).toEqual(c.loaded ?? []);
    const q = (await t.db.knex('quarantine.rows').where({ load_id: report!.loadId }).orderBy('line')) as { line: number; reason: string; field: string | null; raw_record: string }[];
    expect(q.map((r) => `${Number(r.line)} ${r.reason}${r.field ? ' ' + r.field : ''}`)).toEqual(c.quarantined ?? []);
    expect(report).toMatchObject({ status: 'loaded', rowsLoaded: rows.length, rowsQuarantined: q.length, rowsRead: rows.length + q.length });
    for (const [id, values] of Object.entries(c.values ?? {})) expect(rows.find((r) => r[idColumn] === id)).toMatchObject(values);
    for (const [line, text] of Object.entries(c.verbatim ?? {})) expect(q.find((r) => Number(r.line) === Number(line))?.raw_record).toBe(text);
  });

  test('a 10 MB single field loads whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'relance-bad-'));
    try {
      const big = 'x'.repeat(10 * 1024 * 1024);
      const header = 'id_debiteur;code_etude;civilite;nom;prenom;date_naissance;adresse;code_postal;ville;pays;opposition_demarchage;date_maj';
      writeFileSync(path.join(dir, 'huge-field.csv'), `${header}\r\nD1;ETU01;Mme;Martin;Léa;1980-06-15;"${big}";75011;Paris;FR;N;2026-11-01\r\nD2;ETU01;M.;Petit;Paul;1975-03-31;;69007;Lyon;FR;N;2026-11-20\r\n`);
      const [report] = await extractSource(t.db, sourceFor({ file: 'huge-field.csv', table: 'debtors' }, dir, 'huge'), run('run-huge'));
      expect(report).toMatchObject({ rowsRead: 2, rowsLoaded: 2, rowsQuarantined: 0 });
      const lengths = await t.db.knex('raw.debtors').where({ _load_id: report!.loadId }).orderBy('_row_number').select(t.db.knex.raw('debtor_id, length(address) as n'));
      expect(lengths.map((r: { debtor_id: string; n: unknown }) => [r.debtor_id, Number(r.n ?? 0)])).toEqual([['D1', 10 * 1024 * 1024], ['D2', 0]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
