/**
 * Extraction of a CSV drop folder: every file matching a table's pattern is checked (checksum,
 * header), skipped if already loaded, else streamed through {@link CsvToCopy} into a staging
 * table with COPY and validated in SQL, one transaction per file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Database } from '../db';
import { InputFileError, isErrorNamed, SourceMissingError } from '../core/errors';
import type { CsvSourceConfig } from '../config/schema/sources';
import { contractFor, rawColumnsOf } from './contracts';
import { CsvToCopy, readHeader, type CsvDialect } from './csv-to-copy';
import { recordFailedLoad, runStagedLoad } from './staged-load';
import { stageCopySql, type ValidationPlan } from './validation-sql';
import type { ExtractOptions, LoadReport } from './types';

type CsvTable = CsvSourceConfig['tables'][number];

const SAMPLE_BYTES = 1024 * 1024;

/** True when `name` matches a file pattern with `*` and `?`. */
export function matchesPattern(name: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(name);
}

/** SHA-256 of a file and its first bytes (for the header), in one read. */
async function checksumAndSample(file: string): Promise<{ checksum: string; sample: Buffer; complete: boolean }> {
  const hash = createHash('sha256');
  const parts: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    hash.update(b);
    total += b.length;
    if (kept < SAMPLE_BYTES) {
      parts.push(b.subarray(0, SAMPLE_BYTES - kept));
      kept += Math.min(b.length, SAMPLE_BYTES - kept);
    }
  }
  return { checksum: hash.digest('hex'), sample: Buffer.concat(parts), complete: total <= SAMPLE_BYTES };
}

const OTHER_DELIMITERS = [';', ',', '\t', '|'];

/**
 * Checks a header against a table's mapping and returns the 1-based field of every mapped raw
 * column. Throws an {@link InputFileError} naming file, line 1 and the column at fault.
 */
export function mapHeader(file: string, names: readonly string[], table: CsvTable, delimiter: string): Record<string, number> {
  const fail = (message: string, field?: string): never => {
    throw new InputFileError(`${file} line 1${field ? `, column ${field}` : ''}: ${message}`, { context: { file, line: 1, ...(field ? { field } : {}) } });
  };
  const folded = names.map((n) => n.toLowerCase());
  folded.forEach((n, i) => {
    const first = folded.indexOf(n);
    if (n !== '' && first !== i) fail(`duplicate column ${names[i]} (columns ${first + 1} and ${i + 1})`, names[i]);
  });
  const fieldOf: Record<string, number> = {};
  const missing: string[] = [];
  for (const [officeName, rawName] of Object.entries(table.columns)) {
    const at = folded.indexOf(officeName.toLowerCase());
    if (at >= 0) fieldOf[rawName] = at + 1;
    else missing.push(officeName);
  }
  const required = new Set(table.required ?? Object.values(table.columns));
  const missingRequired = missing.filter((m) => required.has(table.columns[m] as string));
  if (missingRequired.length > 0) {
    if (names.length === 1) {
      const other = OTHER_DELIMITERS.find((d) => d !== delimiter && (names[0] as string).split(d).length > 1);
      fail(`the header has a single column${other ? `; the file looks ${JSON.stringify(other)}-delimited` : ''}, the source expects ${JSON.stringify(delimiter)} (wrong delimiter)`, missingRequired[0]);
    }
    fail(`missing required column${missingRequired.length > 1 ? 's' : ''} ${missingRequired.join(', ')}`, missingRequired[0]);
  }
  return fieldOf;
}

/** Files of a table in the drop folder, sorted by name. */
export function filesOf(dir: string, table: CsvTable): string[] {
  return readdirSync(dir)
    .filter((f) => matchesPattern(f, table.file) && statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => path.join(dir, f));
}

/** Loads one CSV file into `raw.<table>`; see the module comment. */
export async function loadCsvFile(db: Database, source: CsvSourceConfig, table: CsvTable, file: string, options: ExtractOptions & { today: string }): Promise<LoadReport> {
  const started = process.hrtime.bigint();
  const dialect: CsvDialect = { encoding: source.encoding, delimiter: source.delimiter, quote: source.quote, maxRecordChars: source.maxRecordChars };
  const failed = async (error: unknown, checksum?: string): Promise<never> => {
    await recordFailedLoad(db, { runId: options.runId, source: source.name, table: table.table, file, ...(checksum ? { checksum } : {}) }, error);
    throw error;
  };
  if (statSync(file).size === 0) await failed(new InputFileError(`${file} line 1: empty file, no header`, { context: { file, line: 1 } }));
  const { checksum, sample, complete } = await checksumAndSample(file);
  const seen = await db.knex('quarantine.loads').where({ source: source.name, table_name: table.table, checksum, status: 'loaded' }).first('load_id');
  if (seen) {
    options.log.info('file already loaded, skipped', { source: source.name, file, loadId: seen.load_id });
    return {
      loadId: String(seen.load_id), source: source.name, table: table.table, file, status: 'skipped', checksum,
      rowsRead: 0, rowsLoaded: 0, rowsQuarantined: 0, reasons: {}, seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  }
  let header: ReturnType<typeof readHeader> = { names: [], record: '' };
  let fieldOf: Record<string, number> = {};
  try {
    header = readHeader(file, sample, complete, dialect);
    fieldOf = mapHeader(file, header.names, table, source.delimiter);
  } catch (error) {
    await failed(error, checksum);
  }
  const mapped = Object.values(table.columns);
  const plan: ValidationPlan = {
    contract: contractFor(table.table, mapped, table.checks, table.key),
    width: header.names.length,
    fieldOf,
    dateFormats: source.dateFormats,
    decimalComma: source.decimalComma,
    rawColumns: rawColumnsOf(table.table, mapped),
  };
  const report = await runStagedLoad({
    db, runId: options.runId, source: source.name, table: table.table, file, checksum, plan, delimiter: source.delimiter, today: options.today, log: options.log,
    async fill(trx) {
      const splitter = new CsvToCopy(file, dialect, header.names);
      const input = createReadStream(file, { highWaterMark: 1 << 18 });
      // The bytes loaded must be the bytes checksummed: an office may still be writing the file.
      const hash = createHash('sha256');
      input.on('data', (chunk) => hash.update(chunk as Buffer));
      input.on('error', (e) => splitter.destroy(e));
      input.pipe(splitter);
      try {
        await db.copyFrom(stageCopySql(plan.width), splitter, trx);
        if (hash.digest('hex') !== checksum) {
          throw new InputFileError(`${file}: the file changed while it was being loaded (still being written?)`, { context: { file } });
        }
        return { read: splitter.counts.records };
      } catch (error) {
        throw fileFault(error) ?? error;
      }
    },
  });
  options.log.info('file loaded', { source: source.name, table: table.table, file, read: report.rowsRead, loaded: report.rowsLoaded, quarantined: report.rowsQuarantined });
  return report;
}

/** The InputFileError behind a driver error, if one caused it. */
function fileFault(error: unknown): InputFileError | undefined {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if (isErrorNamed(e, 'InputFileError')) return e as InputFileError;
  return undefined;
}

/**
 * Extracts every table of a CSV source: one report per file, in the order of the source's tables.
 * Several tables load at once on Postgres (validation is Postgres's work, one core per
 * connection); a table's files load one after the other, oldest name first. When a file fails,
 * no further table is started, the loads under way finish, and the first error is thrown.
 */
export async function extractCsvSource(db: Database, source: CsvSourceConfig, options: ExtractOptions & { today: string }): Promise<LoadReport[]> {
  const dir = path.resolve(options.cwd ?? process.cwd(), source.dir);
  if (!existsSync(dir)) throw new SourceMissingError(`source ${source.name}: folder ${dir} does not exist`, { context: { file: dir }, waitUntil: options.waitUntil });
  const perTable: LoadReport[][] = source.tables.map(() => []);
  const concurrency = Math.max(1, options.concurrency ?? (db.kind === 'postgres' ? availableParallelism() : 1));
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < source.tables.length) {
      const index = next++;
      const table = source.tables[index] as CsvTable;
      const files = filesOf(dir, table);
      if (files.length === 0) options.log.warn('no file matches', { source: source.name, table: table.table, pattern: table.file });
      try {
        for (const file of files) (perTable[index] as LoadReport[]).push(await loadCsvFile(db, source, table, file, options));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, source.tables.length) }, lane));
  if (failure) throw failure.error;
  return perTable.flat();
}
