/**
 * Extract, load, clean and check: office exports (CSV drops, case-management databases) into
 * `raw.*` with bad rows in `quarantine.rows`, then `clean.*` rebuilt in SQL, then the quality
 * checks that guard publication.
 */
import type { Database } from '../db';
import type { SourceConfig } from '../config/schema/sources';
import { extractCsvSource } from './csv-source';
import { extractSqlSource } from './sql-source';
import type { ExtractOptions, LoadReport } from './types';

/**
 * Extracts one configured source: every matching file (CSV) or every table (SQL) is loaded in its
 * own transaction into `raw.<table>`, rows failing the table's contract going to quarantine.
 * Files already loaded (same checksum) are skipped; SQL tables resume from their watermark. A
 * file-level fault throws an `InputFileError` naming file, line and column, and loads nothing
 * from that file. Returns one report per file or table.
 */
export async function extractSource(db: Database, source: SourceConfig, options: ExtractOptions): Promise<LoadReport[]> {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const log = options.log.child({ source: source.name });
  if (source.kind === 'csv') return extractCsvSource(db, source, { ...options, log, today });
  return extractSqlSource(db, source, { ...options, log, today });
}

export { cleanAll, ensureAnalystViews } from './clean';
export { runQualityChecks } from './quality';
export { RAW_CONTRACTS, OFFICE_CODES, contractFor, type TableContract, type ColumnContract } from './contracts';
export type { ExtractOptions, LoadReport, CleanOptions, CleanReport, QualityReport, QualityCheckResult } from './types';
export { extractCallLog, CALL_LOG_SOURCE, type CallLogReport } from './call-log-source';
