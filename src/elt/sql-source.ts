/**
 * Extraction from an office's case-management database (Postgres, MySQL or MariaDB, opened by
 * `src/db`): each table's query is run with `:watermark` bound to the highest value pulled so far,
 * its rows are streamed as COPY text into the staging table and validated like a CSV file. Every
 * value is read as text (dates as `YYYY-MM-DD[ HH:MM:SS]`), so relance sees what the office stores.
 *
 * Queries compare with `>= :watermark`: a row committed after a pull with the same timestamp as the
 * last row pulled is not lost. The rows that sat on the watermark are remembered (key → digest of
 * the row, in `quarantine.loads.watermark_keys`), and the next pull skips them unless they changed.
 */
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { openOfficeDatabase, type Database, type OfficeDatabase } from '../db';
import { ValidationError, isErrorNamed } from '../core/errors';
import type { SqlSourceConfig } from '../config/schema/sources';
import { contractFor, rawColumnsOf, RAW_CONTRACTS } from './contracts';
import { copyEscape } from './csv-to-copy';
import { runStagedLoad } from './staged-load';
import { stageCopySql, type ValidationPlan } from './validation-sql';
import type { ExtractOptions, LoadReport } from './types';

type SqlTable = SqlSourceConfig['tables'][number];

/** Orders watermark values: numerically when both are numbers, else as text. Negative when a < b. */
export function compareWatermarks(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The later of two watermark values (`b` when `a` is undefined). */
export function laterWatermark(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  return compareWatermarks(b, a) > 0 ? b : a;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** Where a pull starts: the watermark and the rows already pulled on it. */
interface PullStart {
  watermark: string;
  /** Key → digest of the rows pulled on `watermark`. */
  keys: ReadonlyMap<string, string>;
  /** Whether an earlier load recorded a watermark (else this pull is the table's first, full one). */
  resumed: boolean;
}

/** Object rows in, COPY text rows out (`line_no, nfields, raw JSON, f1 … fK`); skips rows already pulled. */
class RowsToCopy extends Transform {
  count = 0;
  skipped = 0;
  watermark: string;
  /** Key → digest of the rows on {@link watermark}. */
  keys: Map<string, string>;

  constructor(
    private readonly resultColumns: readonly string[],
    private readonly keyColumns: readonly string[],
    private readonly watermarkColumn: string | undefined,
    private readonly start: PullStart,
  ) {
    super({ writableObjectMode: true });
    this.watermark = start.watermark;
    this.keys = new Map(start.keys);
  }

  override _transform(row: Record<string, unknown>, _e: BufferEncoding, callback: TransformCallback): void {
    const texts = this.resultColumns.map((c) => asText(row[c]));
    if (this.watermarkColumn) {
      const w = asText(row[this.watermarkColumn]);
      if (w !== null) {
        const digest = createHash('sha1').update(JSON.stringify(texts)).digest('base64url');
        const key = this.keyColumns.length > 0 ? JSON.stringify(this.keyColumns.map((c) => asText(row[c]))) : digest;
        if (compareWatermarks(w, this.start.watermark) === 0 && this.start.keys.get(key) === digest) {
          this.skipped++;
          callback();
          return;
        }
        const order = compareWatermarks(w, this.watermark);
        if (order > 0) {
          this.watermark = w;
          this.keys = new Map();
        }
        if (order >= 0) this.keys.set(key, digest);
      }
    }
    this.count++;
    const fields = texts.map((v) => (v === null ? '\\N' : copyEscape(v)));
    callback(null, `${this.count}\t${this.resultColumns.length}\t${copyEscape(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))}\t${fields.join('\t')}\n`);
  }
}

/** Where the next pull of a table starts: the last load's watermark and keys, else the initial watermark. */
async function pullStart(db: Database, source: string, table: SqlTable): Promise<PullStart> {
  const row = await db.knex('quarantine.loads')
    .where({ source, table_name: table.table, status: 'loaded' })
    .whereNotNull('watermark')
    .orderBy('load_id', 'desc')
    .first('watermark', 'watermark_keys');
  if (!row) return { watermark: String(table.initialWatermark), keys: new Map(), resumed: false };
  const keys = (typeof row.watermark_keys === 'string' ? JSON.parse(row.watermark_keys) : row.watermark_keys) as Record<string, string> | null;
  return { watermark: String(row.watermark), keys: new Map(Object.entries(keys ?? {})), resumed: true };
}

/** Pulls one table of an office database into `raw.<table>`. */
export async function loadSqlTable(db: Database, office: OfficeDatabase, source: SqlSourceConfig, table: SqlTable, options: ExtractOptions & { today: string }): Promise<LoadReport> {
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
  const resultOf = new Map(Object.entries(mapping).map(([result, raw]) => [raw, result]));
  const keyColumns = plan.contract.key.map((k) => resultOf.get(k) as string);
  const start = table.watermarkColumn ? await pullStart(db, source.name, table) : undefined;
  // The first pull binds the initial watermark as configured (a number stays a number).
  const bindings: Record<string, string | number> = start ? { watermark: start.resumed ? start.watermark : table.initialWatermark } : {};
  const label = `${source.name}:${table.table}`;
  let skipped = 0;
  const report = await runStagedLoad({
    db, runId: options.runId, source: source.name, table: table.table, file: label, plan, delimiter: '\u001f', today: options.today,
    mode: start?.resumed ? 'incremental' : 'full',
    async fill(trx) {
      const toCopy = new RowsToCopy(resultColumns, keyColumns, table.watermarkColumn, start ?? { watermark: '', keys: new Map(), resumed: false });
      const rows = Readable.from(office.rows(table.query, bindings));
      rows.on('error', (e: Error) => toCopy.destroy(e));
      rows.pipe(toCopy);
      try {
        await db.copyFrom(stageCopySql(plan.width), toCopy, trx);
      } catch (error) {
        throw sourceFault(error) ?? error;
      }
      skipped = toCopy.skipped;
      if (!start) return { read: toCopy.count };
      return { read: toCopy.count, watermark: toCopy.watermark, watermarkKeys: Object.fromEntries(toCopy.keys) };
    },
  });
  options.log.info('table pulled', { source: source.name, table: table.table, read: report.rowsRead, loaded: report.rowsLoaded, quarantined: report.rowsQuarantined, alreadyPulled: skipped, watermark: report.watermark });
  return report;
}

/** The office database's own error behind a load failure, if one caused it. */
function sourceFault(error: unknown): Error | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const context = (e as { context?: { path?: unknown } }).context;
    if (isErrorNamed(e, 'SourceUnavailableError') || (isErrorNamed(e, 'DatabaseError') && typeof context?.path === 'string' && context.path.startsWith('sources.'))) return e as Error;
  }
  return undefined;
}

/**
 * Extracts every table of a SQL source: one report per table. An office database that cannot be
 * reached fails at once with a {@link SourceUnavailableError}, before anything is loaded.
 */
export async function extractSqlSource(db: Database, source: SqlSourceConfig, options: ExtractOptions & { today: string }): Promise<LoadReport[]> {
  const office = openOfficeDatabase(source.client, options.urls?.[source.name] ?? source.url, source.name);
  try {
    await office.ping();
    const reports: LoadReport[] = [];
    for (const table of source.tables) reports.push(await loadSqlTable(db, office, source, table, options));
    return reports;
  } catch (error) {
    throw sourceFault(error) ?? error;
  } finally {
    await office.close();
  }
}
