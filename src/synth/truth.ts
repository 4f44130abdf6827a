/**
 * The ground truth of one debtor: the exact probability, under the generative model, of at least one
 * payment in the 30 days starting on the export date, and the expected amount paid in them — under
 * the office's usual policy, and in the two counterfactuals of the list date (called once in the
 * recommended window that day, or not called that day; the usual policy afterwards).
 *
 * Along a path without payment the state evolves deterministically except for promises and, for a
 * person whom a call puts off, for being put off; so the probability of no payment is a forward
 * recursion over "no promise pending" and "promise pending, r days left in its keep window", each
 * either put off by a contact inside the window or not. A contact puts such a person off for at
 * least the rest of the window (MODEL.putOffDays ≥ 30), so "put off" is absorbing here. Each day
 * multiplies by (1 − daily payment probability) of the state and moves mass on calls that end in a
 * promise or in a contact that puts off. Debtors pay at most once in any 30 days (the refractory
 * period, which a kept promise imposes on spontaneous payments too), so the first payment is the only
 * one in the window and the expected amount is the sum over days of P(first payment that day) × its
 * expected amount.
 */
import type { Calendar } from './calendar';
import { applyEvents, CaseStatus, cloneDebtor, type DebtorState } from './debtor';
import { dayRates, newRates } from './hazards';
import { keepHazard, MAX_PENDING, MODEL } from './parameters';
import { bestSlot, reachAt } from './person';
import type { ListDayAction } from './simulate';

/** Length of the ground-truth window in days. */
export const TRUTH_DAYS = 30;

/** A debtor's ground truth. */
export interface Truth {
  /** P(at least one payment in the window). */
  pPay: number;
  /** Expected amount paid in the window, cents. */
  expectedAmount: number;
}

/** What the office does on the first day of the window: its usual policy, or a fixed action. */
export type FirstDay = 'policy' | ListDayAction;

const KEEP_WINDOW = MODEL.keepLateness.length;
const STATES = MAX_PENDING;
const DELAY_MIN = MODEL.promiseDelayMin;
const DELAY_MAX = MODEL.promiseDelayMax;
const DELAYS = DELAY_MAX - DELAY_MIN + 1;
const SIZE = STATES + 2;
const rates = newRates();
// Mass of "promise pending, r days left" (index k·SIZE + r, k = 1 when put off inside the window)
// and its amount-weighted mass, today and tomorrow; reused across calls (synchronous recursion).
let pending = new Float64Array(2 * SIZE);
let pendingAmount = new Float64Array(2 * SIZE);
let nextPending = new Float64Array(2 * SIZE);
let nextAmount = new Float64Array(2 * SIZE);

if (MODEL.putOffDays < TRUTH_DAYS) throw new Error('MODEL.putOffDays must cover the truth window');

/**
 * Computes the truth for the state at the start of day `cal.asOfIndex`, with the first day's call
 * given by `first` (default: the usual policy); does not modify `state`.
 */
export function groundTruth(state: DebtorState, cal: Calendar, first: FirstDay = 'policy'): Truth {
  // Events only close cases once all are open: a debtor without an open case never pays again.
  if (state.activeCount === 0 && state.cases.every((c) => c.status !== CaseStatus.NotOpen)) return { pPay: 0, expectedAmount: 0 };
  const s = cloneDebtor(state);
  const start = cal.asOfIndex;
  const prone = s.person.putOffProne;
  pending.fill(0);
  pendingAmount.fill(0);
  const free = [1, 0];
  if (s.pendingDue >= 0) {
    const left = s.pendingDue + KEEP_WINDOW - start;
    if (left >= 1) {
      pending[left] = 1;
      pendingAmount[left] = s.pendingAmount;
      free[0] = 0;
    }
  }
  let pPay = 0;
  let expected = 0;
  for (let t = 0; t < TRUTH_DAYS; t++) {
    const d = start + t;
    if (d >= s.nextEventDay) applyEvents(s, d);
    dayRates(s, d, cal, rates);
    // Calls today: probability, and probability a call reaches the debtor on a right number.
    let call = rates.active ? rates.call : 0;
    let reach = rates.promiseGivenContact > 0 ? rates.promisePerCall / rates.promiseGivenContact : 0;
    if (t === 0 && first !== 'policy') {
      call = rates.active && first === 'called' ? 1 : 0;
      reach = reachAt(s.person, bestSlot(s.person), cal.weekday[d] as number);
    }
    // A call outside the usual policy (the list date's) is placed even with a promise pending.
    const pendingCall = t === 0 && first === 'called' ? call : 0;
    nextPending.fill(0);
    nextAmount.fill(0);
    const nextFree = [0, 0];
    for (let k = 0; k < 2; k++) {
      const h = rates.active ? (k === 1 ? rates.payPutOff : rates.pay) : 0;
      // Contact without promise that puts off, from state k = 0 (k = 1 stays put off).
      const putOffPending = k === 0 && prone ? pendingCall * reach : 0;
      for (let r = 1; r <= STATES; r++) {
        const mass = pending[k * SIZE + r] as number;
        if (mass === 0) continue;
        const amount = pendingAmount[k * SIZE + r] as number;
        const q = rates.active && r <= KEEP_WINDOW ? keepHazard(KEEP_WINDOW - r, rates.keep) : 0;
        pPay += mass * (q + (1 - q) * h);
        expected += q * amount + mass * (1 - q) * h * rates.payAmount;
        const survive = (1 - q) * (1 - h);
        for (const [to, share] of [[k, 1 - putOffPending], [1, putOffPending]] as const) {
          if (share === 0) continue;
          if (r === 1) nextFree[to] = (nextFree[to] as number) + mass * survive * share;
          else {
            const i = to * SIZE + r - 1;
            nextPending[i] = (nextPending[i] as number) + mass * survive * share;
            nextAmount[i] = (nextAmount[i] as number) + amount * survive * share;
          }
        }
      }
      const f = free[k] as number;
      if (f === 0) continue;
      pPay += f * h;
      expected += f * h * rates.payAmount;
      const survivors = f * (1 - h);
      const promise = call * reach * rates.promiseGivenContact;
      const putOff = k === 0 && prone ? call * reach * (1 - rates.promiseGivenContact) : 0;
      nextFree[k] = (nextFree[k] as number) + survivors * (1 - promise - putOff);
      nextFree[1] = (nextFree[1] as number) + survivors * putOff;
      const each = (survivors * promise) / DELAYS;
      if (each > 0) {
        for (let delay = DELAY_MIN; delay <= DELAY_MAX; delay++) {
          const i = k * SIZE + delay + KEEP_WINDOW - 1;
          nextPending[i] = (nextPending[i] as number) + each;
          nextAmount[i] = (nextAmount[i] as number) + each * rates.promiseAmount;
        }
      }
    }
    free[0] = nextFree[0] as number;
    free[1] = nextFree[1] as number;
    [pending, nextPending] = [nextPending, pending];
    [pendingAmount, nextAmount] = [nextAmount, pendingAmount];
  }
  return { pPay: Math.min(1, pPay), expectedAmount: expected };
}

/** The list date's counterfactual truth of one debtor. */
export interface UpliftTruth {
  /** Called once in the recommended window on the list date, then the usual policy. */
  called: Truth;
  /** Not called on the list date, then the usual policy. */
  notCalled: Truth;
}

/** Both counterfactuals of the list date for the state at the start of day `cal.asOfIndex`. */
export function upliftTruth(state: DebtorState, cal: Calendar): UpliftTruth {
  return { called: groundTruth(state, cal, 'called'), notCalled: groundTruth(state, cal, 'not-called') };
}

/**
 * How a call on the list date changes the debtor's 30 days, by P(pay):
 * `do_not_disturb` when the call lowers it by at least 0.01, `persuadable` when it raises it by at
 * least 0.05, else `sure_thing` when the debtor pays with probability at least 0.25 without the call,
 * else `lost_cause`. The thresholds are conventions for reporting shares, not part of the model.
 */
export type UpliftSegment = 'persuadable' | 'sure_thing' | 'lost_cause' | 'do_not_disturb';

/** The segment of a debtor's list-date counterfactuals (see {@link UpliftSegment}). */
export function upliftSegment(u: UpliftTruth): UpliftSegment {
  const lift = u.called.pPay - u.notCalled.pPay;
  if (lift <= -0.01) return 'do_not_disturb';
  if (lift >= 0.05) return 'persuadable';
  return u.notCalled.pPay >= 0.25 ? 'sure_thing' : 'lost_cause';
}
