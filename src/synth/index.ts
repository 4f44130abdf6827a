/**
 * `relance synth`: synthetic bailiff office exports with a known ground truth.
 *
 * `synthesize` writes the six export files of docs/data-contract.md into `outDir`, and into the
 * sibling truth folder `<outDir>-truth/`: `ground_truth.csv` (exact P(pay within 30 days of asOf)
 * and expected amount per exported debtor), `manifest.json` (row counts, planted duplicates and
 * broken rows per file) and, with `horizonDays`, `future_paiements.csv`. Output is byte-identical
 * for the same seed and options; rows stream to disk with flat memory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buildCalendar } from './calendar';
import { officeStyle } from './format';
import { generateDebtor, type GenerationContext } from './generate';
import { LineSink } from './line-sink';
import { compileSynthOptions, type SynthOptions } from './options';
import { debtorId, futurePaymentId, officeCode, paymentFields, writeDebtorRows } from './rows';
import { Stream, streamRng } from './streams';
import { TABLES, type TableName } from './tables';
import { TableWriter, type TableCounts } from './table-writer';
import { TRUTH_DAYS } from './truth';

export { compileSynthOptions, DEFAULT_AS_OF, type SynthOptions, type SynthProgress } from './options';
export { SHIFTS, type ShiftSpec } from './shift';
export { TABLES, BROKEN_KINDS, type BrokenKind, type TableName } from './tables';
export type { TableCounts } from './table-writer';

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
  /** Records that are a second office's copy of a person. */
  twins: number;
  /** Debtors with at least one EN_COURS case. */
  openDebtors: number;
  /** Mean p_pay_30d over all debtors and over open ones. */
  meanPPay: number;
  meanPPayOpen: number;
  /** Per export file: rows, planted duplicates and broken rows. */
  files: Record<string, TableCounts>;
  /** Rows of future_paiements.csv (no planted mess), when horizonDays > 0. */
  futurePayments?: number;
}

/** Where `synthesize` wrote. */
export interface SynthResult {
  exportDir: string;
  truthDir: string;
  manifest: SynthManifest;
}

/** The truth folder of an export folder: `<outDir>/../<basename(outDir)>-truth`. */
export function truthDirOf(outDir: string): string {
  return join(dirname(outDir), basename(outDir) + '-truth');
}

const BATCH = 256;

/** Generates an export and its ground truth; see the module comment. */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const o = compileSynthOptions(options);
  const truthDir = truthDirOf(o.outDir);
  await mkdir(o.outDir, { recursive: true });
  await mkdir(truthDir, { recursive: true });
  const futureDays = Math.max(TRUTH_DAYS, o.horizonDays);
  const cal = buildCalendar({ asOf: o.asOf, historyMonths: o.historyMonths, futureDays });
  const ctx: GenerationContext = { seed: o.seed, offices: o.offices, cal, shift: o.shift, horizonDays: o.horizonDays };
  const styles = Array.from({ length: o.offices }, (_, k) => officeStyle(k));

  const writers = {} as Record<TableName, TableWriter>;
  for (const name of Object.keys(TABLES) as TableName[]) writers[name] = new TableWriter(join(o.outDir, TABLES[name].file), TABLES[name]);
  const truth = new LineSink(join(truthDir, 'ground_truth.csv'), '\n');
  truth.line('id_debiteur;code_etude;p_pay_30d;expected_amount_30d');
  const future = o.horizonDays > 0 ? new LineSink(join(truthDir, 'future_paiements.csv'), '\r\n') : null;
  future?.line(TABLES.payments.columns.join(';'));
  const sink = (table: TableName, fields: string[], rng: Parameters<TableWriter['row']>[1]): void => writers[table].row(fields, rng);

  let twins = 0;
  let open = 0;
  let sumP = 0;
  let sumPOpen = 0;
  let futureRows = 0;
  const rowsWritten = (): number => Object.values(writers).reduce((n, w) => n + w.counts.dataRows, 0);
  try {
    for (let i = 0; i < o.debtors; i++) {
      const g = generateDebtor(ctx, i);
      const style = styles[g.state.office]!;
      const mess = streamRng(o.seed, i, Stream.mess);
      writeDebtorRows(g.state, g.history, cal, style, mess, sink);
      truth.line(`${debtorId(i)};${officeCode(g.state.office)};${g.truth.pPay.toFixed(6)};${(g.truth.expectedAmount / 100).toFixed(2)}`);
      if (future) {
        g.future.payments.forEach((p, n) => future.line(paymentFields(g.state, p, futurePaymentId(i, n), cal, style, mess).join(';')));
        futureRows += g.future.payments.length;
      }
      if (g.twin) twins++;
      sumP += g.truth.pPay;
      if (g.open) {
        open++;
        sumPOpen += g.truth.pPay;
      }
      if ((i + 1) % BATCH === 0 || i + 1 === o.debtors) {
        for (const w of Object.values(writers)) await w.flush();
        await truth.flush();
        await future?.flush();
        o.onProgress({ debtorsDone: i + 1, debtorsTotal: o.debtors, rowsWritten: rowsWritten() });
      }
    }
  } finally {
    for (const w of Object.values(writers)) await w.close();
    await truth.close();
    await future?.close();
  }

  const files: Record<string, TableCounts> = {};
  for (const name of Object.keys(TABLES) as TableName[]) files[TABLES[name].file] = writers[name].counts;
  const manifest: SynthManifest = {
    seed: o.seed, debtors: o.debtors, offices: styles.map((_, k) => officeCode(k)), asOf: o.asOf,
    historyMonths: o.historyMonths, shift: o.shift.name, horizonDays: o.horizonDays,
    truthWindow: { from: o.asOf, toExclusive: cal.iso[cal.asOfIndex + TRUTH_DAYS] as string },
    twins, openDebtors: open, meanPPay: round(sumP / o.debtors), meanPPayOpen: round(open ? sumPOpen / open : 0), files,
    ...(future ? { futurePayments: futureRows } : {}),
  };
  await writeFile(join(truthDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { exportDir: o.outDir, truthDir, manifest };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
