/**
 * Expected value of a call: expected recovery = P(pay | called) × expected amount × P(right-party
 * contact in the chosen window), and the incremental recovery = the effect of a call on P(pay)
 * (from the uplift model) × expected amount × P(contact). The priority is, per expected agent
 * minute, the incremental recovery under the `uplift` objective, the expected recovery under
 * `propensity`. Every term is returned so the list can store and explain it.
 */

/** What the expected amount is estimated from. */
export interface AmountFacts {
  /** Outstanding balance over the open cases. */
  balance: number;
  /** Amount promised and not yet due. */
  openPromiseAmount: number;
  /** Mean of past payments, when any. */
  avgPaymentAmount: number | null;
  /** The last payment, when any. */
  lastPaymentAmount: number | null;
}

/** Where the expected amount came from. */
export type AmountBasis = 'open_promise' | 'past_payments' | 'typical_payment' | 'balance_share';

/** What the expected amount of a debtor without promise or payment history falls back on. */
export interface AmountFallback {
  /** The typical payment of tonight's debtors who have paid before (median of their mean payment). */
  typicalPayment: number | null;
  /** Share of the balance used when nobody has paid before. */
  firstPaymentShare: number;
  /** Share of recent payments that settled their case: P(a payment clears the balance). @defaultValue 0 */
  settleShare?: number;
}

/**
 * The amount a paying debtor is expected to pay. A payment is either an instalment or settles the
 * balance (with the probability `settleShare` observed in recent payments), so the expected amount
 * is (1 − settleShare) × instalment + settleShare × balance. The instalment is an open promise
 * when there is one, else the mean of the debtor's past payments, else the typical payment of
 * debtors who have paid (a first payment is usually an instalment, whatever the balance), else a
 * share of the balance. Never more than the balance.
 */
export function expectedAmount(f: AmountFacts, fallback: AmountFallback): { amount: number; basis: AmountBasis } {
  const balance = Math.max(0, f.balance);
  let amount: number;
  let basis: AmountBasis;
  if (f.openPromiseAmount > 0) {
    amount = f.openPromiseAmount;
    basis = 'open_promise';
  } else if (f.avgPaymentAmount !== null && f.avgPaymentAmount > 0) {
    amount = f.avgPaymentAmount;
    basis = 'past_payments';
  } else if (fallback.typicalPayment !== null && fallback.typicalPayment > 0) {
    amount = fallback.typicalPayment;
    basis = 'typical_payment';
  } else {
    amount = balance * fallback.firstPaymentShare;
    basis = 'balance_share';
  }
  const q = Math.min(1, Math.max(0, fallback.settleShare ?? 0));
  return { amount: round2(Math.min((1 - q) * Math.min(amount, balance) + q * balance, balance)), basis };
}

/** The median of the positive values, or null when there are none. */
export function typicalPayment(meanPayments: readonly (number | null)[]): number | null {
  const xs = meanPayments.filter((x): x is number => x !== null && x > 0).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
}

/** Agent minutes per call, by outcome. */
export interface CallMinutes {
  /** Minutes of a call that reaches the debtor, wrap-up included. */
  contact: number;
  /** Minutes of an attempt that reaches no one. */
  attempt: number;
}

/** The terms of one debtor's expected value. */
export interface ExpectedValue {
  pPay: number;
  expectedAmount: number;
  amountBasis: AmountBasis;
  pContact: number;
  /** pPay × expectedAmount × pContact. */
  expectedRecovery: number;
  /** upliftP × expectedAmount × pContact: what the call adds (EUR); null without an uplift model. */
  incrementalRecovery?: number | null;
  /** pContact × contact minutes + (1 − pContact) × attempt minutes. */
  expectedMinutes: number;
  /** Euros per agent minute: incrementalRecovery / expectedMinutes (uplift) or expectedRecovery / expectedMinutes (propensity). */
  priority: number;
}

/** What orders the list (config `ranking.objective`). */
export type Objective = 'uplift' | 'propensity';

/**
 * Combines the terms into the expected and incremental recoveries and the priority. `upliftP` is
 * the effect of a call on P(pay) (may be negative: a call that puts the debtor off); the `uplift`
 * objective needs it (throws without it: the caller decides the fallback, see assembleCallList).
 */
export function expectedValue(input: { pPay: number; amount: { amount: number; basis: AmountBasis }; pContact: number; minutes: CallMinutes; upliftP?: number | null; objective?: Objective }): ExpectedValue {
  const pPay = clamp01(input.pPay);
  const pContact = clamp01(input.pContact);
  const expectedRecovery = pPay * input.amount.amount * pContact;
  const upliftP = input.upliftP !== null && input.upliftP !== undefined && Number.isFinite(input.upliftP) ? Math.max(-1, Math.min(1, input.upliftP)) : null;
  const incrementalRecovery = upliftP === null ? null : upliftP * input.amount.amount * pContact;
  const expectedMinutes = pContact * input.minutes.contact + (1 - pContact) * input.minutes.attempt;
  const objective = input.objective ?? 'propensity';
  if (objective === 'uplift' && incrementalRecovery === null) throw new RangeError('the uplift objective needs the effect of a call on P(pay) (upliftP)');
  const value = objective === 'uplift' ? (incrementalRecovery as number) : expectedRecovery;
  return {
    pPay,
    expectedAmount: input.amount.amount,
    amountBasis: input.amount.basis,
    pContact,
    expectedRecovery,
    incrementalRecovery,
    expectedMinutes,
    priority: expectedMinutes > 0 ? value / expectedMinutes : 0,
  };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
