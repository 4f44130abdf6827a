/**
 * Freshness of tonight's exports, checked per source after extraction and before cleaning
 * (`sources[].freshness`): each table's newest file (CSV drop) or watermark (SQL source) must be
 * younger than `maxAgeHours`, and tonight's rows must not collapse against the median of the
 * table's last loads of the same mode (full with full, incremental with incremental). A source
 * whose extraction failed is not fresh. The checks only report; the pipeline decides what a
 * failure does (it stops the run and marks the published list stale).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db';
import type { CsvSourceConfig, SourceConfig, SqlSourceConfig, TableFreshnessConfig } from '../config/schema/sources';
import { filesOf, matchesPattern } from './csv-source';
import type { LoadMode, LoadReport } from './types';

/** Comparable earlier loads the row count is measured against. */
const HISTORY_LOADS = 7;

/** One freshness finding. */
export interface FreshnessFinding {
  source: string;
  /** Raw table, or null for the source as a whole. */
  table: string | null;
  check: 'extract' | 'folder' | 'files' | 'age' | 'rows';
  ok: boolean;
  /** Measured value: hours of age, or the ratio of tonight's rows to the reference. */
  value?: number;
  limit?: number;
  message: string;
}

/** What the freshness check of one source needs besides the database. */
export interface FreshnessInputs {
  /** The reports of tonight's extract of the source; undefined when it failed. */
  reports: readonly LoadReport[] | undefined;
  /** The instant the ages are measured at. */
  now: Date;
  /**
   * Reads a wall time of the office time zone (`YYYY-MM-DDTHH:MM:SS[.fff]`) as an instant: how
   * watermarks without an offset are read.
   */
  fromLocal: (isoLocal: string) => Date;
  /** Directory a CSV source's `dir` is resolved against. @defaultValue process.cwd() */
  cwd?: string;
}

interface Bounds {
  enabled: boolean;
  maxAgeHours: number;
  minRowsRatio: number;
  /** Whether the table set its own ratio (incremental loads are compared only then). */
  ownRatio: boolean;
}

function boundsOf(source: SourceConfig, own: TableFreshnessConfig | undefined): Bounds {
  return {
    enabled: source.freshness.enabled && (own?.enabled ?? true),
    maxAgeHours: own?.maxAgeHours ?? source.freshness.maxAgeHours,
    minRowsRatio: own?.minRowsRatio ?? source.freshness.minRowsRatio,
    ownRatio: own?.minRowsRatio !== undefined,
  };
}

const hours = (ms: number): number => ms / 3_600_000;
const fmt = (h: number): string => h.toFixed(1);

/** The age check of one table: ok when `ageHours` is at most the bound. */
export function ageFinding(source: string, table: string, what: string, ageHours: number, maxAgeHours: number): FreshnessFinding {
  const ok = ageHours <= maxAgeHours;
  return { source, table, check: 'age', ok, value: ageHours, limit: maxAgeHours, message: `${source}.${table}: ${what} is ${fmt(ageHours)} h old (limit ${maxAgeHours} h)` };
}

/** Median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The row-count check of one table: tonight's rows against the median of the earlier loads of
 * the same mode (per run). A full load with no row is an empty export whatever the history.
 * Returns null when nothing is to be compared.
 */
export function rowsFinding(source: string, table: string, mode: LoadMode, tonight: number, history: readonly number[], bounds: Pick<Bounds, 'minRowsRatio' | 'ownRatio'>): FreshnessFinding | null {
  if (mode === 'full' && tonight === 0) return { source, table, check: 'rows', ok: false, value: 0, limit: bounds.minRowsRatio, message: `${source}.${table}: tonight's full export has no row (empty export)` };
  if (bounds.minRowsRatio === 0 || history.length === 0 || (mode === 'incremental' && !bounds.ownRatio)) return null;
  const reference = median(history);
  if (reference === 0) return null;
  const ratio = tonight / reference;
  return {
    source, table, check: 'rows', ok: ratio >= bounds.minRowsRatio, value: ratio, limit: bounds.minRowsRatio,
    message: `${source}.${table}: ${tonight} rows in tonight's ${mode} load against a median of ${reference} in the last ${history.length} ${mode} loads (${(ratio * 100).toFixed(1)} %, at least ${(bounds.minRowsRatio * 100).toFixed(0)} % required)`,
  };
}

/**
 * Reads a watermark as an instant: a timestamp or date (office wall time through `fromLocal`
 * unless it carries an offset), or epoch seconds. Null when it cannot be read so.
 */
export function watermarkInstant(value: string, type: 'timestamp' | 'epoch', fromLocal: (isoLocal: string) => Date): Date | null {
  const text = value.trim();
  if (type === 'epoch') return /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!m) return null;
  const local = `${m[1]}T${m[2] ?? '00:00'}`;
  const zone = m[3];
  const at = zone === undefined ? fromLocal(local) : new Date(`${local}${zone === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Rows of the earlier loads of a table and mode, per run, newest first, leaving tonight's loads out. */
async function history(db: Database, source: string, table: string, mode: LoadMode, tonight: readonly string[]): Promise<number[]> {
  const rows = (await db.knex('quarantine.loads')
    .where({ source, table_name: table, mode, status: 'loaded' })
    .whereNotIn('load_id', tonight.length > 0 ? [...tonight] : [''])
    .groupBy('run_id')
    .select('run_id')
    .sum({ n: 'rows_read' })
    .max({ last: 'load_id' })
    .orderBy('last', 'desc')
    .limit(HISTORY_LOADS)) as { n: unknown }[];
  return rows.map((r) => Number(r.n));
}

/** Row checks of the loads tonight's extract made (files already loaded are not new rows). */
async function rowFindings(db: Database, source: string, table: string, loaded: readonly LoadReport[], bounds: Bounds): Promise<FreshnessFinding[]> {
  const findings: FreshnessFinding[] = [];
  for (const mode of ['full', 'incremental'] as const) {
    const mine = loaded.filter((r) => r.mode === mode);
    if (mine.length === 0) continue;
    const tonight = mine.reduce((s, r) => s + r.rowsRead, 0);
    const earlier = await history(db, source, table, mode, mine.map((r) => r.loadId));
    const finding = rowsFinding(source, table, mode, tonight, earlier, bounds);
    if (finding) findings.push(finding);
  }
  return findings;
}

async function csvFindings(db: Database, source: CsvSourceConfig, inputs: FreshnessInputs): Promise<FreshnessFinding[]> {
  const dir = path.resolve(inputs.cwd ?? process.cwd(), source.dir);
  if (!existsSync(dir)) return [{ source: source.name, table: null, check: 'folder', ok: false, message: `${source.name}: folder ${dir} does not exist (export missing)` }];
  const findings: FreshnessFinding[] = [];
  for (const table of source.tables) {
    const bounds = boundsOf(source, table.freshness);
    if (!bounds.enabled) continue;
    const files = filesOf(dir, table);
    if (files.length === 0) {
      findings.push({ source: source.name, table: table.table, check: 'files', ok: false, message: `${source.name}.${table.table}: no file matches ${table.file} in ${dir} (export missing)` });
      continue;
    }
    const newest = files.map((f) => ({ f, at: statSync(f).mtimeMs })).reduce((a, b) => (b.at > a.at ? b : a));
    findings.push(ageFinding(source.name, table.table, `newest file ${path.basename(newest.f)}`, hours(inputs.now.getTime() - newest.at), bounds.maxAgeHours));
    const loaded = (inputs.reports ?? []).filter((r) => r.status === 'loaded' && r.table === table.table && matchesPattern(path.basename(r.file), table.file));
    findings.push(...(await rowFindings(db, source.name, table.table, loaded, bounds)));
  }
  return findings;
}

async function sqlFindings(db: Database, source: SqlSourceConfig, inputs: FreshnessInputs): Promise<FreshnessFinding[]> {
  const findings: FreshnessFinding[] = [];
  for (const table of source.tables) {
    const bounds = boundsOf(source, table.freshness);
    if (!bounds.enabled) continue;
    const loaded = (inputs.reports ?? []).filter((r) => r.status === 'loaded' && r.table === table.table);
    const type = table.watermarkType ?? (typeof table.initialWatermark === 'number' ? 'counter' : 'timestamp');
    const watermark = loaded.at(-1)?.watermark;
    if (table.watermarkColumn && type !== 'counter' && watermark !== undefined) {
      const at = watermarkInstant(watermark, type, inputs.fromLocal);
      if (at === null) findings.push({ source: source.name, table: table.table, check: 'age', ok: false, message: `${source.name}.${table.table}: watermark ${watermark} cannot be read as ${type === 'epoch' ? 'epoch seconds' : 'a timestamp'} (set watermarkType)` });
      else findings.push(ageFinding(source.name, table.table, `watermark ${watermark}`, hours(inputs.now.getTime() - at.getTime()), bounds.maxAgeHours));
    }
    findings.push(...(await rowFindings(db, source.name, table.table, loaded, bounds)));
  }
  return findings;
}

/** Every freshness finding of one source (ok or not); none when its checks are disabled. */
export async function checkSourceFreshness(db: Database, source: SourceConfig, inputs: FreshnessInputs): Promise<FreshnessFinding[]> {
  if (!source.freshness.enabled) return [];
  const findings: FreshnessFinding[] = [];
  if (inputs.reports === undefined) findings.push({ source: source.name, table: null, check: 'extract', ok: false, message: `${source.name}: tonight's extract failed (see the extract task's error)` });
  findings.push(...(source.kind === 'csv' ? await csvFindings(db, source, inputs) : await sqlFindings(db, source, inputs)));
  return findings;
}
