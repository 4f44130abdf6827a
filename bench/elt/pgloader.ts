/**
 * pgloader on an office export, for `bench/elt/run.ts --pgloader`: one load file per table of the
 * `office_csv` source, into typed tables (types from relance's raw contracts) in a schema of its
 * own, with pgloader's reject files. Dates in the export's three layouts and amounts with a
 * decimal comma and thousands spaces are turned into Postgres literals by `using` expressions, so
 * that pgloader types what relance types; what it still cannot type lands in its reject files.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RAW_CONTRACTS, type ColumnContract } from '../../src/elt/contracts';

/** One table of the export as relance's source configuration maps it. */
export interface ExportTable {
  table: string;
  file: string;
  /** Export column → relance raw column. */
  columns: Record<string, string>;
}

/** What pgloader did with the export. */
export interface PgloaderReport {
  seconds: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  perTable: { table: string; loaded: number; rejected: number }[];
}

const SQL_TYPE: Record<ColumnContract['type'], string> = { text: 'text', date: 'date', timestamp: 'timestamp', decimal: 'numeric(14,2)', integer: 'integer' };

/** DD/MM/YYYY and DD-MM-YYYY (and a time after them) to YYYY-MM-DD…; anything else as it is. */
function dateExpression(field: string): string {
  return `(when ${field} (if (and (>= (length ${field}) 10) (find (char ${field} 2) "/-")) (format nil "~a-~a-~a~a" (subseq ${field} 6 10) (subseq ${field} 3 5) (subseq ${field} 0 2) (subseq ${field} 10)) ${field}))`;
}

/** `1 234,56` → `1234.56`. */
function amountExpression(field: string): string {
  return `(when ${field} (remove (char " " 0) (substitute (char "." 0) (char "," 0) ${field})))`;
}

/** The pgloader command file of one table. */
function loadFile(file: string, table: ExportTable, header: string[], url: string, schema: string): string {
  const contract = RAW_CONTRACTS[table.table];
  const typeOf = (exportColumn: string): ColumnContract['type'] => contract?.columns.find((c) => c.name === table.columns[exportColumn])?.type ?? 'text';
  const fields = header.map((h) => h.toLowerCase());
  const targets = fields.map((f) => {
    const type = typeOf(f);
    if (type === 'date' || type === 'timestamp') return `${f} ${SQL_TYPE[type]} using ${dateExpression(f)}`;
    if (type === 'decimal') return `${f} numeric using ${amountExpression(f)}`;
    return f;
  });
  const create = `create table if not exists ${schema}.${table.table} (${fields.map((f) => `${f} ${SQL_TYPE[typeOf(f)]}`).join(', ')});`;
  return [
    'LOAD CSV',
    `  FROM '${file}' WITH ENCODING utf-8`,
    `  HAVING FIELDS (${fields.join(', ')})`,
    `  INTO ${url}`,
    `  TARGET TABLE ${schema}.${table.table}`,
    `  TARGET COLUMNS (${targets.join(',\n    ')})`,
    `  WITH skip header = 1, fields terminated by ';', fields optionally enclosed by '"', on error resume next`,
    `  BEFORE LOAD DO $$ create schema if not exists ${schema}; $$, $$ ${create} $$;`,
    '',
  ].join('\n');
}

/** pgloader's reject files of a table under its root folder. */
function rejectFiles(root: string, table: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === `${table}.dat`) out.push(full);
    }
  };
  walk(root);
  return out;
}

/** Loads every table of the export with pgloader, one table after the other, and counts rows. */
export async function runPgloader(options: { dir: string; tables: readonly ExportTable[]; url: string; workDir: string; count: (sql: string) => Promise<number> }): Promise<PgloaderReport> {
  const schema = 'pgloader_bench';
  mkdirSync(options.workDir, { recursive: true });
  const perTable: PgloaderReport['perTable'] = [];
  let seconds = 0;
  let rowsRead = 0;
  for (const table of options.tables) {
    const pattern = new RegExp('^' + table.file.replace(/\./g, '\\.').replace(/\*/g, '.*') + '$');
    for (const name of readdirSync(options.dir).filter((f) => pattern.test(f)).sort()) {
      const file = path.join(options.dir, name);
      // the header line, without a BOM
      const fd = openSync(file, 'r');
      const head = Buffer.alloc(4096);
      readSync(fd, head, 0, 4096, 0);
      closeSync(fd);
      const header = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(';');
      rowsRead += Number(spawnSync('wc', ['-l', file], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]) - 1;
      const command = path.join(options.workDir, `${table.table}-${name}.load`);
      writeFileSync(command, loadFile(file, table, header, options.url, schema));
      const root = path.join(options.workDir, 'out');
      const started = process.hrtime.bigint();
      const out = spawnSync('pgloader', ['--root-dir', root, command], { encoding: 'utf8', maxBuffer: 1 << 28 });
      seconds += Number(process.hrtime.bigint() - started) / 1e9;
      if (out.status !== 0) throw new Error(`pgloader failed on ${name}: ${out.stderr.slice(-2000)}`);
      const rejected = rejectFiles(root, table.table).reduce((n, f) => n + Number(spawnSync('wc', ['-l', f], { encoding: 'utf8' }).stdout.trim().split(/\s+/)[0]), 0);
      perTable.push({ table: table.table, loaded: await options.count(`select count(*) as n from ${schema}.${table.table}`), rejected });
    }
  }
  const rowsLoaded = perTable.reduce((n, t) => n + t.loaded, 0);
  return { seconds, rowsRead, rowsLoaded, rowsRejected: perTable.reduce((n, t) => n + t.rejected, 0), perTable };
}
