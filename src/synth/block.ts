/**
 * Generation of a block of consecutive debtors into the text of every output file. Pure (no I/O)
 * and a function of (spec, block number) only, so blocks can be generated on any thread in any
 * order and written in order: the bytes do not depend on the number of threads.
 */
import type { Rng } from '../core/rng';
import { buildCalendar, type Calendar } from './calendar';
import { officeStyle } from './format';
import { generateDebtor, type GenerationContext } from './generate';
import { debtorId, futurePaymentId, officeCode, paymentFields, writeDebtorRows } from './rows';
import { resolveShift } from './shift';
import { Stream, streamRng } from './streams';
import { TableChunk, type TableCounts } from './table-chunk';
import { TABLES, type TableName } from './tables';
import { TRUTH_DAYS, upliftSegment, type UpliftSegment } from './truth';

/** Debtors per block: fixed, because the first block plants one of every kind of mess. */
export const BLOCK_SIZE = 2048;

/** Everything a block depends on; plain data, so it can cross to a worker thread. */
export interface BlockSpec {
  seed: number;
  debtors: number;
  offices: number;
  asOf: string;
  historyMonths: number;
  shift: string;
  horizonDays: number;
}

/** One block's output. */
export interface BlockResult {
  block: number;
  /** Data rows of each export file (CRLF-terminated). */
  files: Record<TableName, string>;
  counts: Record<TableName, TableCounts>;
  /** ground_truth.csv lines (LF-terminated). */
  truth: string;
  /** uplift.csv lines (LF-terminated). */
  uplift: string;
  /** Open debtors by uplift segment (see upliftSegment). */
  segments: Record<UpliftSegment, number>;
  /** Sum over open debtors of the list date's uplift, cents. */
  sumUpliftOpen: number;
  /** future_paiements.csv lines (CRLF-terminated). */
  future: string;
  /** twins.csv lines (LF-terminated): the records that are one person under two offices. */
  twinPairs: string;
  futureRows: number;
  debtors: number;
  twins: number;
  invalidPhones: number;
  open: number;
  sumP: number;
  sumPOpen: number;
}

/** The calendar of a spec: the history and max(30 days, horizon) after it. */
export function calendarOf(spec: BlockSpec): Calendar {
  return buildCalendar({ asOf: spec.asOf, historyMonths: spec.historyMonths, futureDays: Math.max(TRUTH_DAYS, spec.horizonDays) });
}

let cached: { key: string; ctx: GenerationContext } | null = null;

function contextOf(spec: BlockSpec): GenerationContext {
  const key = JSON.stringify(spec);
  if (cached?.key !== key) {
    cached = { key, ctx: { seed: spec.seed, offices: spec.offices, cal: calendarOf(spec), shift: resolveShift(spec.shift), horizonDays: spec.horizonDays } };
  }
  return cached.ctx;
}

/** Generates block `block` (debtors block·BLOCK_SIZE … up to spec.debtors). */
export function generateBlock(spec: BlockSpec, block: number): BlockResult {
  const ctx = contextOf(spec);
  const cal = ctx.cal;
  const chunks = {} as Record<TableName, TableChunk>;
  for (const name of Object.keys(TABLES) as TableName[]) chunks[name] = new TableChunk(TABLES[name], block === 0);
  const sink = (table: TableName, fields: string[], rng: Rng): void => chunks[table].row(fields, rng);
  const truth: string[] = [];
  const future: string[] = [];
  const twinPairs: string[] = [];
  const uplift: string[] = [];
  const segments: Record<UpliftSegment, number> = { persuadable: 0, sure_thing: 0, lost_cause: 0, do_not_disturb: 0 };
  let sumUpliftOpen = 0;
  const result = { block, truth: '', future: '', twinPairs: '', futureRows: 0, debtors: 0, twins: 0, invalidPhones: 0, open: 0, sumP: 0, sumPOpen: 0 };
  const end = Math.min(spec.debtors, (block + 1) * BLOCK_SIZE);
  for (let i = block * BLOCK_SIZE; i < end; i++) {
    const g = generateDebtor(ctx, i);
    const style = officeStyle(g.state.office);
    const mess = streamRng(spec.seed, i, Stream.mess);
    writeDebtorRows(g.state, g.history, cal, style, mess, sink);
    const p = g.truth.pPay;
    truth.push(`${debtorId(i)};${officeCode(g.state.office)};${p.toFixed(6)};${(g.truth.expectedAmount / 100).toFixed(2)}\n`);
    const { called, notCalled } = g.uplift;
    const segment = upliftSegment(g.uplift);
    uplift.push(
      `${debtorId(i)};${officeCode(g.state.office)};${called.pPay.toFixed(6)};${(called.expectedAmount / 100).toFixed(2)};` +
        `${notCalled.pPay.toFixed(6)};${(notCalled.expectedAmount / 100).toFixed(2)};${(called.pPay - notCalled.pPay).toFixed(6)};` +
        `${((called.expectedAmount - notCalled.expectedAmount) / 100).toFixed(2)};${segment};` +
        `${g.state.person.responsiveness.toFixed(3)};${g.state.person.putOffProne ? 1 : 0}\n`,
    );
    g.future.payments.forEach((pay, n) => future.push(paymentFields(g.state, pay, futurePaymentId(i, n), cal, style, mess).join(';') + '\r\n'));
    result.futureRows += g.future.payments.length;
    result.debtors++;
    if (g.twin) {
      result.twins++;
      const first = g.state.person.office % spec.offices;
      twinPairs.push(`${debtorId(i - 1)};${officeCode(first)};${debtorId(i)};${officeCode(g.state.office)}\n`);
    }
    for (const phone of g.state.person.phones) if (!phone.valid) result.invalidPhones++;
    result.sumP += p;
    if (g.open) {
      segments[segment]++;
      sumUpliftOpen += called.expectedAmount - notCalled.expectedAmount;
      result.open++;
      result.sumPOpen += p;
    }
  }
  const files = {} as Record<TableName, string>;
  const counts = {} as Record<TableName, TableCounts>;
  for (const name of Object.keys(TABLES) as TableName[]) {
    files[name] = chunks[name].text();
    counts[name] = chunks[name].counts;
  }
  return { ...result, truth: truth.join(''), uplift: uplift.join(''), segments, sumUpliftOpen, future: future.join(''), twinPairs: twinPairs.join(''), files, counts };
}
