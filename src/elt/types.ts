/**
 * What the extract, clean and quality steps report: small JSON-able summaries that the
 * orchestrator stores with each task.
 */
import type { Logger } from '../core/log';
import type { IsoDate } from '../core/ids';

/** Options of `extractSource`. */
export interface ExtractOptions {
  /** The DAG run doing the load, recorded in `quarantine.loads`. */
  runId: string;
  log: Logger;
  /** Day against which future dates are refused. @defaultValue today (UTC) */
  today?: IsoDate;
  /** Working directory against which a CSV source's `dir` is resolved. @defaultValue process.cwd() */
  cwd?: string;
  /** Office database URL per SQL source name, overriding the configured one (tests). */
  urls?: Readonly<Record<string, string>>;
  /**
   * Tables of a CSV source loaded at the same time, each on its own connection (files of one table
   * always load in order). @defaultValue the number of cores on Postgres, 1 on the embedded database
   */
  concurrency?: number;
  /**
   * End of the freshness window of the source being extracted: until then a missing drop folder
   * is worth another try (the export may still arrive); after it, or without it, it is not.
   */
  waitUntil?: Date;
}

/** A full export of a table, or only its new and changed rows (a daily file, a pull from the watermark). */
export type LoadMode = 'full' | 'incremental';

/** The outcome of loading one file or pulling one table. */
export interface LoadReport {
  loadId: string;
  source: string;
  table: string;
  /** File path, or `<source>:<table>` for SQL sources. */
  file: string;
  /** `loaded`, or `skipped` when the same file (checksum) was loaded before. */
  status: 'loaded' | 'skipped';
  /** Whole table or increment; row counts are compared like with like. */
  mode: LoadMode;
  checksum?: string;
  rowsRead: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  /** Quarantined rows by reason. */
  reasons: Record<string, number>;
  /** SQL sources: the watermark the next pull resumes from. */
  watermark?: string;
  seconds: number;
}

/** Options of `cleanAll`. */
export interface CleanOptions {
  runId: string;
  /** Calendar day the clean describes; kept for the report. */
  asOf?: IsoDate;
  log: Logger;
  /** Rebuild even when nothing it is built from changed since the last rebuild. */
  rebuild?: boolean;
}

/** Rows per clean table and the orphans left out. */
export interface CleanReport {
  runId: string;
  asOf?: IsoDate;
  rows: Record<string, number>;
  /** Orphan rows per `table` (left out of clean.*, listed in quarantine.orphans). */
  orphans: Record<string, number>;
  /** Office debtor records merged into another office's record of the same person. */
  mergedDebtors: number;
  /** Phones that could not be normalised to E.164. */
  invalidPhones: number;
  seconds: number;
  /** Set when the rebuild was skipped: the run whose rebuild the clean tables still are, and when. */
  reusedFrom?: { runId: string; builtAt: string };
}

/** One quality check and its outcome. */
export interface QualityCheckResult {
  name: string;
  ok: boolean;
  /** Measured value (rate or count). */
  value: number;
  /** The bound it was checked against. */
  limit: number;
  message: string;
}

/** All quality checks of a run. */
export interface QualityReport {
  ok: boolean;
  checks: QualityCheckResult[];
}
