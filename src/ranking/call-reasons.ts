/**
 * Why the call matters for a debtor — not why the debtor is likely to pay (src/ranking/reasons.ts)
 * but what a call has done in its history and what the uplift model expects it to add: promises
 * made on the phone and kept, payments that only ever came after a call, no payment of its own,
 * and the chance of payment with and without the call. French first, with English.
 */
import { plural } from '../core/money-words';
import type { Reason } from './reasons';

/** A debtor's call, promise and payment history over the year before the list date (`sql/ranking/call-history-facts.sql`). */
export interface CallHistoryFacts {
  /** Promises made during a call (an outcome `promise` that day) in the 365 days before the list date. */
  phonePromises: number;
  /** Of those, the ones kept (a payment on the case between the promise and its due date + 7 days). */
  phonePromisesKept: number;
  /** Payments in the 365 days before the list date. */
  payments: number;
  /** Of those, the ones with a call attempt in the 14 days before them (or the same day). */
  paymentsAfterCall: number;
}

/** The uplift model's predictions for the debtor: P(pay) if the call reaches the debtor, and if not called. */
export interface CallEffect {
  pPayCalled: number;
  pPayNotCalled: number;
}

const pct = (p: number): number => Math.round(Math.min(1, Math.max(0, p)) * 100);

/**
 * The reasons a call matters for this debtor, at most `limit`, history first: kept phone promises,
 * payments only after calls, no payment of its own; then the chance of payment if called against
 * if not, when the uplift model says the call helps.
 */
export function callReasons(facts: CallHistoryFacts | undefined, effect: CallEffect | null, limit = 3): Reason[] {
  const out: Reason[] = [];
  const push = (feature: string, fr: string, en: string): void => {
    if (out.length < limit) out.push({ feature, contribution: null, fr, en, text: fr });
  };
  if (facts) {
    const k = facts.phonePromisesKept;
    if (k > 0) push('phone_promises_kept', `a tenu ${k} ${plural(k, 'promesse faite', 'promesses faites')} au téléphone`, `kept ${k} ${plural(k, 'promise', 'promises')} made on the phone`);
    const n = facts.payments;
    if (n >= 2 && facts.paymentsAfterCall === n) push('payments_after_calls', `ne paie jamais sans relance (${n} paiements, tous après un appel)`, `never pays without a call (${n} payments, all after a call)`);
    else if (n === 1 && facts.paymentsAfterCall === 1) push('payments_after_calls', 'son seul paiement a suivi un appel', 'their only payment followed a call');
    else if (n === 0) push('no_spontaneous_payment', 'aucun paiement spontané en 12 mois', 'no payment of their own in 12 months');
  }
  if (effect && effect.pPayCalled > effect.pPayNotCalled) {
    const [a, b] = [pct(effect.pPayCalled), pct(effect.pPayNotCalled)];
    if (a > b) push('call_effect', `${a} % de chances de payer s'il est joint, ${b} % sinon`, `${a}% chance of paying if reached, ${b}% if not`);
  }
  return out;
}
