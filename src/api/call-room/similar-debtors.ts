/**
 * "Similar debtors": debtors in the same situation a month ago (same legal stage, balance within
 * −20 %/+25 %, same payment and promise history) and what they paid in the next 30 days. A tight
 * match on what matters to the call, not a neighbourhood in the model's feature space.
 */
import type { Knex } from 'knex';
import { runSql } from '../../db';

/** What the debtor's peers did. */
export interface SimilarDebtors {
  /** The snapshot the peers are taken from (null: no snapshot 30 days old yet). */
  asOf: string | null;
  n: number;
  nPaid: number;
  /** Share of the peers that paid in the 30 days (null when there are none). */
  paidShare: number | null;
  paidTotal: number;
  /** Median amount paid by those who paid. */
  paidMedian: number | null;
  /** The matching criteria: the debtor's own stage, balance and history classes. */
  criteria: { balance: number | null; legalStageRank: number | null; paymentHistory: 'none' | 'some' | 'regular' | null; promiseHistory: 'none' | 'kept' | 'broken' | null };
}

const PAY = ['none', 'some', 'regular'] as const;
const PROMISE = ['none', 'kept', 'broken'] as const;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The peers of `debtorId` for the list of `listDate`. */
export async function similarDebtors(knex: Knex, debtorId: string, listDate: string): Promise<SimilarDebtors> {
  const { rows } = await runSql<Record<string, unknown>>(knex, 'call-room/similar-debtors', { debtor_id: debtorId, list_date: listDate });
  const r = rows[0] ?? {};
  const n = Number(r.n ?? 0);
  const nPaid = Number(r.n_paid ?? 0);
  const payClass = num(r.pay_class);
  const promiseClass = num(r.promise_class);
  return {
    asOf: r.as_of ? String(r.as_of).slice(0, 10) : null,
    n,
    nPaid,
    paidShare: n > 0 ? nPaid / n : null,
    paidTotal: Number(r.paid_total ?? 0),
    paidMedian: num(r.paid_median),
    criteria: {
      balance: num(r.balance),
      legalStageRank: num(r.legal_stage_rank),
      paymentHistory: payClass === null ? null : (PAY[payClass] ?? null),
      promiseHistory: promiseClass === null ? null : (PROMISE[promiseClass] ?? null),
    },
  };
}
