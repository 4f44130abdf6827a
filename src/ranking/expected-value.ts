/**
 * Expected value of a call: expected recovery = P(pay | called) × expected amount × P(right-party
 * contact in the chosen window), and the priority = expected recovery per expected agent minute.
 * Every term is returned so the list can store and explain it.
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
export type AmountBasis = 'open_promise' | 'past_payments' | 'balance_share';

/**
 * The amount a paying debtor is expected to pay: an open promise when there is one, else the
 * typical size of its past payments (mean of the last payment and the average), else a share of
 * the balance; never more than the balance.
 */
export function expectedAmount(f: AmountFacts, firstPaymentShare: number): { amount: number; basis: AmountBasis } {
  const balance = Math.max(0, f.balance);
  let amount: number;
  let basis: AmountBasis;
  if (f.openPromiseAmount > 0) {
    amount = f.openPromiseAmount;
    basis = 'open_promise';
  } else if (f.avgPaymentAmount !== null && f.avgPaymentAmount > 0) {
    amount = f.lastPaymentAmount !== null && f.lastPaymentAmount > 0 ? (f.avgPaymentAmount + f.lastPaymentAmount) / 2 : f.avgPaymentAmount;
    basis = 'past_payments';
  } else {
    amount = balance * firstPaymentShare;
    basis = 'balance_share';
  }
  return { amount: round2(Math.min(amount, balance)), basis };
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
  /** pContact × contact minutes + (1 − pContact) × attempt minutes. */
  expectedMinutes: number;
  /** expectedRecovery / expectedMinutes: euros per agent minute. */
  priority: number;
}

/** Combines the terms into the expected recovery and the priority. */
export function expectedValue(input: { pPay: number; amount: { amount: number; basis: AmountBasis }; pContact: number; minutes: CallMinutes }): ExpectedValue {
  const pPay = clamp01(input.pPay);
  const pContact = clamp01(input.pContact);
  const expectedRecovery = pPay * input.amount.amount * pContact;
  const expectedMinutes = pContact * input.minutes.contact + (1 - pContact) * input.minutes.attempt;
  return {
    pPay,
    expectedAmount: input.amount.amount,
    amountBasis: input.amount.basis,
    pContact,
    expectedRecovery,
    expectedMinutes,
    priority: expectedMinutes > 0 ? expectedRecovery / expectedMinutes : 0,
  };
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
