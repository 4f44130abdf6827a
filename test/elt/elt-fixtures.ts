/**
 * Shared pieces of the ELT tests: the configured `office_csv` source pointed at a copy of a
 * fixture export, and small queries over the quarantine.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, type RelanceConfig } from '../../src/config';
import type { CsvSourceConfig } from '../../src/config/schema/sources';
import { silentLogger } from '../../src/core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SMALL_EXPORT = path.join(ROOT, 'test', 'fixtures', 'exports', 'small');
export const BAD_INPUT = path.join(ROOT, 'test', 'fixtures', 'bad-input');
export const TODAY = '2026-11-24';

/** The shipped configuration (config/relance.yaml), without environment overrides. */
export function shippedConfig(): RelanceConfig {
  return loadConfig({ cwd: ROOT, env: {} });
}

/** The shipped `office_csv` source, reading `dir`. */
export function officeSource(dir: string, overrides: Partial<CsvSourceConfig> = {}): CsvSourceConfig {
  const source = shippedConfig().sources.find((s) => s.name === 'office_csv');
  if (!source || source.kind !== 'csv') throw new Error('config/relance.yaml has no office_csv CSV source');
  return { ...source, dir, ...overrides };
}

/** A temporary copy of a fixture folder, removed by the returned function. */
export function copyOf(folder: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'relance-elt-'));
  cpSync(folder, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Options of extractSource for a test run. */
export function run(runId: string): { runId: string; log: typeof silentLogger; today: string } {
  return { runId, log: silentLogger, today: TODAY };
}

/** Quarantined rows of a table as `line reason field`, in line order. */
export async function quarantined(knex: Knex, table: string): Promise<string[]> {
  const rows = (await knex('quarantine.rows').where({ table_name: table }).orderBy('line')) as { line: unknown; reason: string; field: string | null }[];
  return rows.map((r) => `${Number(r.line)} ${r.reason}${r.field ? ' ' + r.field : ''}`);
}

/** Values of one column of a table, sorted. */
export async function column(knex: Knex, table: string, name: string): Promise<string[]> {
  const rows = (await knex(table).select(name)) as Record<string, unknown>[];
  return rows.map((r) => String(r[name])).sort();
}

/** Number of rows of a table matching `where`. */
export async function countRows(knex: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const rows = (await knex(table).where(where).count({ n: '*' })) as { n: unknown }[];
  return Number(rows[0]?.n ?? 0);
}
