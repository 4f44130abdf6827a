/**
 * `relance synth`: synthetic bailiff office exports with a known ground truth.
 *
 * `synthesize` writes the six export files of docs/data-contract.md into `outDir`, and into the
 * sibling truth folder `<outDir>-truth/`: `ground_truth.csv` (exact P(pay within 30 days of asOf)
 * and expected amount per exported debtor), `manifest.json` (row counts, planted duplicates and
 * broken rows per file), `twins.csv` (the records that are one person exported by two offices),
 * `uplift.csv` (the list date's counterfactuals: called once, or not called; docs/uplift.md)
 * and, with `horizonDays`, `future_paiements.csv`. Output is byte-identical
 * for the same seed and options; rows stream to disk with flat memory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { addDays } from '../core/ids';
import type { BlockSpec } from './block';
import { blocksInOrder } from './block-pool';
import { LineSink } from './line-sink';
import { compileSynthOptions, type SynthOptions } from './options';
import { officeCode } from './rows';
import { addCounts, emptyCounts, type TableCounts } from './table-chunk';
import { TABLES, type TableName } from './tables';
import { TRUTH_DAYS, type UpliftSegment } from './truth';

/** Columns of `uplift.csv` in the truth folder. */
export const UPLIFT_COLUMNS = [
  'id_debiteur', 'code_etude', 'p_pay_called', 'expected_amount_called', 'p_pay_not_called', 'expected_amount_not_called',
  'uplift_p', 'uplift_amount', 'segment', 'responsiveness', 'put_off_prone',
] as const;

export { compileSynthOptions, DEFAULT_AS_OF, type SynthOptions, type SynthProgress } from './options';
export { SHIFTS, type ShiftSpec } from './shift';
export { TABLES, BROKEN_KINDS, type BrokenKind, type TableName } from './tables';
export type { TableCounts } from './table-chunk';

/** The manifest written next to the ground truth. */
export interface SynthManifest {
  seed: number;
  debtors: number;
  offices: string[];
  asOf: string;
  historyMonths: number;
  shift: string;
  horizonDays: number;
  /** Dates of the ground-truth window: from `asOf` inclusive to `toExclusive`. */
  truthWindow: { from: string; toExclusive: string };
  /** Records that are a second office's copy of a person (pairs listed in twins.csv). */
  twins: number;
  /** Debtors with at least one EN_COURS case. */
  openDebtors: number;
  /** Mean p_pay_30d over all debtors and over open ones. */
  meanPPay: number;
  meanPPayOpen: number;
  /** Open debtors by how a call on the list date changes their 30 days (uplift.csv `segment`). */
  upliftSegments: Record<UpliftSegment, number>;
  /** Mean over open debtors of the list date's uplift of one call, EUR. */
  meanUpliftOpen: number;
  /** Valid telephones.csv rows whose number is not a phone number (the contract's "few invalid"). */
  invalidPhoneRows: number;
  /** Per export file: rows, planted duplicates and broken rows. */
  files: Record<string, TableCounts>;
  /** Rows of future_paiements.csv (no planted mess), when horizonDays > 0. */
  futurePayments?: number;
}

/** Where `synthesize` wrote. */
export interface SynthResult {
  exportDir: string;
  truthDir: string;
  /** Worker threads used (1: generated on the calling thread). */
  threads: number;
  manifest: SynthManifest;
}

/** The truth folder of an export folder: `<outDir>/../<basename(outDir)>-truth`. */
export function truthDirOf(outDir: string): string {
  return join(dirname(outDir), basename(outDir) + '-truth');
}

/** Generates an export and its ground truth; see the module comment. */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const o = compileSynthOptions(options);
  const truthDir = truthDirOf(o.outDir);
  await mkdir(o.outDir, { recursive: true });
  await mkdir(truthDir, { recursive: true });
  const spec: BlockSpec = {
    seed: o.seed, debtors: o.debtors, offices: o.offices, asOf: o.asOf, historyMonths: o.historyMonths,
    shift: o.shift.name, horizonDays: o.horizonDays,
  };
  const names = Object.keys(TABLES) as TableName[];
  const sinks = {} as Record<TableName, LineSink>;
  const counts = {} as Record<TableName, TableCounts>;
  for (const name of names) {
    sinks[name] = new LineSink(join(o.outDir, TABLES[name].file), '\r\n');
    if (TABLES[name].bom) sinks[name].raw('\uFEFF');
    sinks[name].line(TABLES[name].columns.join(';'));
    counts[name] = emptyCounts();
  }
  const truth = new LineSink(join(truthDir, 'ground_truth.csv'), '\n');
  truth.line('id_debiteur;code_etude;p_pay_30d;expected_amount_30d');
  const uplift = new LineSink(join(truthDir, 'uplift.csv'), '\n');
  uplift.line(UPLIFT_COLUMNS.join(';'));
  const future = o.horizonDays > 0 ? new LineSink(join(truthDir, 'future_paiements.csv'), '\r\n') : null;
  future?.line(TABLES.payments.columns.join(';'));
  const twins = new LineSink(join(truthDir, 'twins.csv'), '\n');
  twins.line('id_debiteur_1;code_etude_1;id_debiteur_2;code_etude_2');

  const segments: Record<UpliftSegment, number> = { persuadable: 0, sure_thing: 0, lost_cause: 0, do_not_disturb: 0 };
  const totals = { sumUpliftOpen: 0, debtors: 0, twins: 0, invalidPhones: 0, open: 0, sumP: 0, sumPOpen: 0, futureRows: 0, rows: 0 };
  try {
    for await (const block of blocksInOrder(spec, o.threads)) {
      for (const name of names) {
        sinks[name].raw(block.files[name]);
        addCounts(counts[name], block.counts[name]);
        totals.rows += block.counts[name].dataRows;
        await sinks[name].flush();
      }
      truth.raw(block.truth);
      await truth.flush();
      uplift.raw(block.uplift);
      await uplift.flush();
      for (const k of Object.keys(segments) as UpliftSegment[]) segments[k] += block.segments[k];
      totals.sumUpliftOpen += block.sumUpliftOpen;
      future?.raw(block.future);
      await future?.flush();
      twins.raw(block.twinPairs);
      await twins.flush();
      totals.debtors += block.debtors;
      totals.twins += block.twins;
      totals.invalidPhones += block.invalidPhones;
      totals.open += block.open;
      totals.sumP += block.sumP;
      totals.sumPOpen += block.sumPOpen;
      totals.futureRows += block.futureRows;
      o.onProgress({ debtorsDone: totals.debtors, debtorsTotal: o.debtors, rowsWritten: totals.rows });
    }
  } finally {
    for (const name of names) await sinks[name].close();
    await truth.close();
    await uplift.close();
    await future?.close();
    await twins.close();
  }

  const files: Record<string, TableCounts> = {};
  for (const name of names) files[TABLES[name].file] = counts[name];
  const manifest: SynthManifest = {
    seed: o.seed, debtors: o.debtors, offices: Array.from({ length: o.offices }, (_, k) => officeCode(k)), asOf: o.asOf,
    historyMonths: o.historyMonths, shift: o.shift.name, horizonDays: o.horizonDays,
    truthWindow: { from: o.asOf, toExclusive: addDays(o.asOf, TRUTH_DAYS) },
    twins: totals.twins, invalidPhoneRows: totals.invalidPhones, openDebtors: totals.open,
    meanPPay: round(totals.sumP / o.debtors), meanPPayOpen: round(totals.open ? totals.sumPOpen / totals.open : 0),
    upliftSegments: segments, meanUpliftOpen: round(totals.open ? totals.sumUpliftOpen / totals.open / 100 : 0), files,
    ...(future ? { futurePayments: totals.futureRows } : {}),
  };
  await writeFile(join(truthDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { exportDir: o.outDir, truthDir, threads: o.threads, manifest };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
