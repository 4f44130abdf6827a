/**
 * Options of `synthesize`, validated and completed with defaults in one step that names the bad field.
 */
import { availableParallelism } from 'node:os';
import { ValidationError } from '../core/errors';
import { isIsoDate } from '../core/ids';
import { resolveShift, type ShiftSpec } from './shift';

/** Progress of a running synthesis. */
export interface SynthProgress {
  /** Debtors written so far. */
  debtorsDone: number;
  /** Debtors to write. */
  debtorsTotal: number;
  /** Data rows written so far over all export files. */
  rowsWritten: number;
}

/** What to generate. */
export interface SynthOptions {
  /** Number of exported debtor records (a person in two offices counts twice). */
  debtors: number;
  /** Random seed: same seed and options, same bytes. */
  seed: number;
  /** Export folder; the truth goes to `<outDir>/../<basename(outDir)>-truth/`. */
  outDir: string;
  /** Export date `YYYY-MM-DD`: history holds the days before it. @defaultValue '2026-11-24' */
  asOf?: string;
  /** Number of offices (`ETU01`…). @defaultValue 3 */
  offices?: number;
  /** Months of history. @defaultValue 24 */
  historyMonths?: number;
  /** Named population shift (see `SHIFTS`). @defaultValue 'none' */
  shift?: string;
  /** Days after `asOf` whose payments are simulated into `future_paiements.csv`; 0 for none. @defaultValue 0 */
  horizonDays?: number;
  /**
   * Worker threads generating blocks of debtors; 1 generates on the calling thread. The bytes
   * written do not depend on it. @defaultValue min(4, available cores) from 50,000 debtors, else 1
   */
  threads?: number;
  /** Called after every block of debtors. */
  onProgress?: (progress: SynthProgress) => void;
}

/** Options with defaults applied and checked. */
export interface CompiledSynthOptions {
  debtors: number;
  seed: number;
  outDir: string;
  asOf: string;
  offices: number;
  historyMonths: number;
  shift: ShiftSpec;
  horizonDays: number;
  threads: number;
  onProgress: (progress: SynthProgress) => void;
}

/** Default export date, so that output is deterministic when none is given. */
export const DEFAULT_AS_OF = '2026-11-24';

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${field} must be an integer between ${min} and ${max}; got ${String(value)}`, { context: { field } });
  }
  return value;
}

/** Validates `options` and fills in defaults; throws a ValidationError naming the field. */
export function compileSynthOptions(options: SynthOptions): CompiledSynthOptions {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  if (!isIsoDate(asOf)) throw new ValidationError(`asOf must be a YYYY-MM-DD date; got ${asOf}`, { context: { field: 'asOf' } });
  if (typeof options.outDir !== 'string' || options.outDir === '') {
    throw new ValidationError('outDir must be a folder path', { context: { field: 'outDir' } });
  }
  const debtors = integer(options.debtors, 'debtors', 1, 50_000_000);
  const defaultThreads = debtors >= 50_000 ? Math.min(4, availableParallelism()) : 1;
  return {
    debtors,
    seed: integer(options.seed, 'seed', 0, 0xffffffff),
    outDir: options.outDir,
    asOf,
    offices: integer(options.offices ?? 3, 'offices', 1, 99),
    historyMonths: integer(options.historyMonths ?? 24, 'historyMonths', 3, 120),
    shift: resolveShift(options.shift),
    horizonDays: integer(options.horizonDays ?? 0, 'horizonDays', 0, 730),
    threads: integer(options.threads ?? defaultThreads, 'threads', 1, 64),
    onProgress: options.onProgress ?? (() => undefined),
  };
}
