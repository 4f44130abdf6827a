/**
 * Storage of the realised uplift in `monitoring.realised_uplift`: one row per list date, replaced
 * when the list is measured again. The statistics are computed in `realised-uplift.ts`.
 */
import type { Knex } from 'knex';
import { isoDate, type IsoDate } from '../../core/ids';
import type { RealisedUpliftResult } from './realised-uplift';

/** One measured list, as stored and served. */
export interface StoredRealisedUplift {
  listDate: IsoDate;
  horizonDays: number;
  minPaidAmount: number;
  confidence: number;
  measuredAt: Date;
  called: { n: number; nPaid: number; payRate: number | null; recovered: number; meanRecovered: number | null };
  control: { n: number; nPaid: number; payRate: number | null; recovered: number; meanRecovered: number | null };
  /** Pay rate called − control with its interval; null without a debtor in a group. */
  payRateDiff: { estimate: number; low: number; high: number } | null;
  /** € per debtor called − control with Welch's interval (`low`/`high`/`df` null when it cannot be estimated). */
  amountDiff: { estimate: number; low: number | null; high: number | null; df: number | null } | null;
}

type Runner = Knex | Knex.Transaction;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Stores (or replaces) the realised uplift of the list of `listDate`. */
export async function saveRealisedUplift(runner: Runner, row: { listDate: IsoDate; horizonDays: number; minPaidAmount: number; result: RealisedUpliftResult; measuredAt?: Date }): Promise<void> {
  const { result: r } = row;
  const amountKnown = r.called.n > 0 && r.control.n > 0;
  await runner('monitoring.realised_uplift')
    .insert({
      list_date: row.listDate,
      horizon_days: row.horizonDays,
      min_paid_amount: row.minPaidAmount,
      confidence: r.confidence,
      measured_at: row.measuredAt ?? new Date(),
      n_called: r.called.n,
      n_control: r.control.n,
      paid_called: r.called.nPaid,
      paid_control: r.control.nPaid,
      pay_rate_called: r.called.payRate,
      pay_rate_control: r.control.payRate,
      pay_rate_diff: r.payRateDiff?.estimate ?? null,
      pay_rate_diff_low: r.payRateDiff?.low ?? null,
      pay_rate_diff_high: r.payRateDiff?.high ?? null,
      recovered_called: r.called.meanRecovered * r.called.n,
      recovered_control: r.control.meanRecovered * r.control.n,
      mean_recovered_called: r.called.n > 0 ? r.called.meanRecovered : null,
      mean_recovered_control: r.control.n > 0 ? r.control.meanRecovered : null,
      amount_diff: amountKnown ? r.called.meanRecovered - r.control.meanRecovered : null,
      amount_diff_low: r.amountDiff?.low ?? null,
      amount_diff_high: r.amountDiff?.high ?? null,
      amount_diff_df: r.amountDiff?.df ?? null,
    })
    .onConflict('list_date')
    .merge();
}

/** Measured lists, oldest first (the order a chart reads them), the newest `limit`. */
export async function listRealisedUplift(runner: Runner, limit = 180): Promise<StoredRealisedUplift[]> {
  const rows: Record<string, unknown>[] = await runner('monitoring.realised_uplift').orderBy('list_date', 'desc').limit(limit);
  return rows.reverse().map((r) => ({
    listDate: isoDate(r.list_date) as string,
    horizonDays: Number(r.horizon_days),
    minPaidAmount: Number(r.min_paid_amount),
    confidence: Number(r.confidence),
    measuredAt: new Date(r.measured_at as string),
    called: { n: Number(r.n_called), nPaid: Number(r.paid_called), payRate: num(r.pay_rate_called), recovered: Number(r.recovered_called), meanRecovered: num(r.mean_recovered_called) },
    control: { n: Number(r.n_control), nPaid: Number(r.paid_control), payRate: num(r.pay_rate_control), recovered: Number(r.recovered_control), meanRecovered: num(r.mean_recovered_control) },
    payRateDiff: r.pay_rate_diff === null ? null : { estimate: Number(r.pay_rate_diff), low: Number(r.pay_rate_diff_low), high: Number(r.pay_rate_diff_high) },
    amountDiff: r.amount_diff === null ? null : { estimate: Number(r.amount_diff), low: num(r.amount_diff_low), high: num(r.amount_diff_high), df: num(r.amount_diff_df) },
  }));
}
