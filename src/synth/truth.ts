/**
 * The ground truth of one debtor: the exact probability, under the generative model, of at least one
 * payment in the 30 days starting on the export date, and the expected amount paid in them.
 *
 * Along a path without payment the state evolves deterministically except for promises, so the
 * probability of no payment is a forward recursion over "no promise pending" and "promise pending,
 * r days left in its keep window": each day multiplies by (1 − daily payment probability) of the
 * state and moves mass on calls that end in a promise. Debtors pay at most once in any 30 days
 * (the refractory period), so the first payment is the only one in the window and the expected
 * amount is the sum over days of P(first payment that day) × its expected amount.
 */
import type { Calendar } from './calendar';
import { applyEvents, CaseStatus, cloneDebtor, type DebtorState } from './debtor';
import { dayRates, newRates } from './hazards';
import { keepHazard, MAX_PENDING, MODEL } from './parameters';

/** Length of the ground-truth window in days. */
export const TRUTH_DAYS = 30;

/** A debtor's ground truth. */
export interface Truth {
  /** P(at least one payment in the window). */
  pPay: number;
  /** Expected amount paid in the window, cents. */
  expectedAmount: number;
}

const KEEP_WINDOW = MODEL.keepLateness.length;
const STATES = MAX_PENDING;
const DELAY_MIN = MODEL.promiseDelayMin;
const DELAY_MAX = MODEL.promiseDelayMax;
const DELAYS = DELAY_MAX - DELAY_MIN + 1;
const rates = newRates();
// Mass of "promise pending, r days left" (index r) and its amount-weighted mass, today and
// tomorrow; reused across calls (the recursion is synchronous).
let pending = new Float64Array(STATES + 2);
let pendingAmount = new Float64Array(STATES + 2);
let nextPending = new Float64Array(STATES + 2);
let nextAmount = new Float64Array(STATES + 2);

/** Computes the truth for the state at the start of day `cal.asOfIndex`; does not modify `state`. */
export function groundTruth(state: DebtorState, cal: Calendar): Truth {
  // Events only close cases once all are open: a debtor without an open case never pays again.
  if (state.activeCount === 0 && state.cases.every((c) => c.status !== CaseStatus.NotOpen)) return { pPay: 0, expectedAmount: 0 };
  const s = cloneDebtor(state);
  const start = cal.asOfIndex;
  pending.fill(0);
  pendingAmount.fill(0);
  let free = 1;
  if (s.pendingDue >= 0) {
    const left = s.pendingDue + KEEP_WINDOW - start;
    if (left >= 1) {
      pending[left] = 1;
      pendingAmount[left] = s.pendingAmount;
      free = 0;
    }
  }
  let pPay = 0;
  let expected = 0;
  for (let t = 0; t < TRUTH_DAYS; t++) {
    const d = start + t;
    if (d >= s.nextEventDay) applyEvents(s, d);
    dayRates(s, d, cal, rates);
    const h = rates.active ? rates.pay : 0;
    nextPending.fill(0);
    nextAmount.fill(0);
    let nextFree = 0;
    for (let r = 1; r <= STATES; r++) {
      const mass = pending[r] as number;
      if (mass === 0) continue;
      const amount = pendingAmount[r] as number;
      const q = rates.active && r <= KEEP_WINDOW ? keepHazard(KEEP_WINDOW - r, rates.keep) : 0;
      pPay += mass * (q + (1 - q) * h);
      expected += q * amount + mass * (1 - q) * h * rates.payAmount;
      const survive = (1 - q) * (1 - h);
      if (r === 1) nextFree += mass * survive;
      else {
        nextPending[r - 1] = mass * survive;
        nextAmount[r - 1] = amount * survive;
      }
    }
    pPay += free * h;
    expected += free * h * rates.payAmount;
    const survivors = free * (1 - h);
    const promise = rates.active ? rates.call * rates.promisePerCall : 0;
    nextFree += survivors * (1 - promise);
    const each = (survivors * promise) / DELAYS;
    if (each > 0) {
      for (let delay = DELAY_MIN; delay <= DELAY_MAX; delay++) {
        const r = delay + KEEP_WINDOW - 1;
        nextPending[r] = (nextPending[r] as number) + each;
        nextAmount[r] = (nextAmount[r] as number) + each * rates.promiseAmount;
      }
    }
    free = nextFree;
    [pending, nextPending] = [nextPending, pending];
    [pendingAmount, nextAmount] = [nextAmount, pendingAmount];
  }
  return { pPay: Math.min(1, pPay), expectedAmount: expected };
}
