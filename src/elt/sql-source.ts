/**
 * Extraction from an office's case-management database (Postgres, MySQL or MariaDB through knex):
 * each table's query is run with `:watermark` bound to the highest value pulled so far, its rows
 * are streamed as COPY text into the staging table and validated like a CSV file. Every value is
 * read as text (dates as `YYYY-MM-DD[ HH:MM:SS]`), so relance sees what the office stores.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { Knex } from 'knex';
import { openOfficeDatabase, type Database } from '../db';
import { ValidationError } from '../core/errors';
import type { SqlSourceConfig } from '../config/schema/sources';
import { contractFor, rawColumnsOf, RAW_CONTRACTS } from './contracts';
import { copyEscape } from './csv-to-copy';
import { runStagedLoad } from './staged-load';
import { stageCopySql, type ValidationPlan } from './validation-sql';
import type { ExtractOptions, LoadReport } from './types';

type SqlTable = SqlSourceConfig['tables'][number];

/** Compares watermark values: numerically when both are numbers, else as text. */
export function laterWatermark(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return nb > na ? b : a;
  return b > a ? b : a;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** Object rows in, COPY text rows out (`line_no, nfields, raw JSON, f1 … fK`). */
class RowsToCopy extends Transform {
  count = 0;
  watermark: string | undefined;

  constructor(private readonly resultColumns: readonly string[], private readonly watermarkColumn: string | undefined) {
    super({ writableObjectMode: true });
  }

  override _transform(row: Record<string, unknown>, _e: BufferEncoding, callback: TransformCallback): void {
    this.count++;
    const fields = this.resultColumns.map((c) => {
      const v = asText(row[c]);
      return v === null ? '\\N' : copyEscape(v);
    });
    if (this.watermarkColumn) {
      const w = asText(row[this.watermarkColumn]);
      if (w !== null) this.watermark = laterWatermark(this.watermark, w);
    }
    callback(null, `${this.count}\t${this.resultColumns.length}\t${copyEscape(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))}\t${fields.join('\t')}\n`);
  }
}

/** The watermark the next pull of a table starts from: the last one recorded, else the initial one. */
async function lastWatermark(db: Database, source: string, table: SqlTable): Promise<string | number> {
  const row = await db.knex('quarantine.loads')
    .where({ source, table_name: table.table, status: 'loaded' })
    .whereNotNull('watermark')
    .orderBy('load_id', 'desc')
    .first('watermark');
  return row ? String(row.watermark) : table.initialWatermark;
}

/** Pulls one table of an office database into `raw.<table>`. */
export async function loadSqlTable(db: Database, office: Knex, source: SqlSourceConfig, table: SqlTable, options: ExtractOptions & { today: string }): Promise<LoadReport> {
  const mapping = Object.keys(table.columns).length > 0 ? table.columns : Object.fromEntries((RAW_CONTRACTS[table.table]?.columns ?? []).map((c) => [c.name, c.name]));
  const resultColumns = Object.keys(mapping);
  if (resultColumns.length === 0) {
    throw new ValidationError(`source ${source.name}, table ${table.table}: columns must map the query's columns to raw columns`, { context: { field: `sources.${source.name}.tables.${table.table}.columns` } });
  }
  const mapped = Object.values(mapping);
  const plan: ValidationPlan = {
    contract: contractFor(table.table, mapped, table.checks, table.key),
    width: resultColumns.length,
    fieldOf: Object.fromEntries(mapped.map((raw, i) => [raw, i + 1])),
    dateFormats: source.dateFormats,
    decimalComma: source.decimalComma,
    rawColumns: rawColumnsOf(table.table, mapped),
  };
  const since = table.watermarkColumn ? await lastWatermark(db, source.name, table) : undefined;
  const label = `${source.name}:${table.table}`;
  const report = await runStagedLoad({
    db, runId: options.runId, source: source.name, table: table.table, file: label, plan, delimiter: '\u001f', today: options.today,
    async fill(trx) {
      const rows = office.raw(table.query, table.watermarkColumn ? { watermark: since ?? null } : {}).stream();
      const toCopy = new RowsToCopy(resultColumns, table.watermarkColumn);
      rows.on('error', (e: Error) => toCopy.destroy(e));
      rows.pipe(toCopy);
      await db.copyFrom(stageCopySql(plan.width), toCopy, trx);
      const watermark = table.watermarkColumn ? (toCopy.watermark ?? (since === undefined ? undefined : String(since))) : undefined;
      return { read: toCopy.count, ...(watermark !== undefined ? { watermark } : {}) };
    },
  });
  options.log.info('table pulled', { source: source.name, table: table.table, read: report.rowsRead, loaded: report.rowsLoaded, quarantined: report.rowsQuarantined, watermark: report.watermark });
  return report;
}

/** Extracts every table of a SQL source: one report per table. */
export async function extractSqlSource(db: Database, source: SqlSourceConfig, options: ExtractOptions & { today: string }): Promise<LoadReport[]> {
  const office = openOfficeDatabase(source.client, options.urls?.[source.name] ?? source.url);
  try {
    const reports: LoadReport[] = [];
    for (const table of source.tables) reports.push(await loadSqlTable(db, office, source, table, options));
    return reports;
  } finally {
    await office.destroy();
  }
}
