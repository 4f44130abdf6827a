/**
 * Day-by-day simulation of one debtor: spontaneous payments, the office's calls, promises and
 * their keeping, all drawn from the rates of {@link dayRates}. Used for the history (before the
 * export date) and for the horizon outcomes (after it), with different random streams.
 */
import type { Rng } from '../core/rng';
import type { Calendar } from './calendar';
import { applyEvents, caseBalance, CaseStatus, refreshAggregates, type CaseState, type DebtorState } from './debtor';
import { instalmentAmount, MULTIPLIER_COUNT, payInFullProbability } from './amounts';
import { dayRates, eventBound, newRates } from './hazards';
import { keepHazard, MODEL } from './parameters';

/** A payment; amounts in cents. */
export interface PaymentRecord {
  day: number;
  caseIndex: number;
  amount: number;
  mode: string;
  /** Whether the payment is a promise's keeping (else spontaneous; a spontaneous payment also ends a pending promise). */
  kept: boolean;
}

/** A call; `hour` is local to the debtor. */
export interface CallRecord {
  day: number;
  hour: number;
  minute: number;
  caseIndex: number;
  phoneIndex: number;
  duration: number;
  result: string;
  agent: number;
}

/** Promise keeping as of the export date. */
export const PromiseStatus = { Pending: 0, Kept: 1, Broken: 2 } as const;

/** A promise made during a call. */
export interface PromiseRecord {
  day: number;
  caseIndex: number;
  amount: number;
  due: number;
  status: number;
}

/** What a simulation produced. */
export interface Records {
  payments: PaymentRecord[];
  calls: CallRecord[];
  promises: PromiseRecord[];
}

/** Empty record lists. */
export function newRecords(): Records {
  return { payments: [], calls: [], promises: [] };
}

const KEEP_DAYS = MODEL.keepLateness.length - 1;
const REFRACTORY = MODEL.refractoryDays;
const HOUR_WEIGHTS: readonly number[] = MODEL.callHourWeights;
const HOURS: readonly number[] = MODEL.callHours;
const DELAY_MIN = MODEL.promiseDelayMin;
const DELAY_SPAN = MODEL.promiseDelayMax - MODEL.promiseDelayMin + 1;
const PUT_OFF_DAYS = MODEL.putOffDays;
/** The rates of the day being simulated: one holder, since simulation is synchronous. */
const rates = newRates();

function paymentMode(rng: Rng, promise: boolean, regular: boolean, stage: number): string {
  const u = rng.next();
  if (stage === 3 && u < 0.5) return 'VIR';
  if (promise) return u < 0.4 ? 'CB' : u < 0.75 ? 'VIR' : u < 0.9 ? 'CHQ' : 'ESP';
  if (regular) return u < 0.5 ? 'PRLV' : u < 0.75 ? 'VIR' : u < 0.9 ? 'CHQ' : 'CB';
  return u < 0.35 ? 'VIR' : u < 0.6 ? 'CHQ' : u < 0.85 ? 'CB' : u < 0.95 ? 'ESP' : 'PRLV';
}

function recordPayment(s: DebtorState, d: number, caseIndex: number, amount: number, mode: string, kept: boolean, out: Records): void {
  const c = s.cases[caseIndex] as CaseState;
  c.paid += amount;
  c.stageClock = d;
  if (caseBalance(c) < 100) c.status = CaseStatus.Settled;
  const promise = out.promises[s.pendingRecord];
  if (promise) promise.status = PromiseStatus.Kept;
  s.pendingDue = -1;
  s.pendingRecord = -1;
  s.lastPay = d;
  s.nextEventDay = Math.min(s.nextEventDay, d + 1);
  refreshAggregates(s);
  out.payments.push({ day: d, caseIndex, amount, mode, kept });
}

/**
 * A call on day `d` at hour slot `slot` (drawn from the office's policy when omitted). With a promise
 * pending the debtor can only confirm it (no new promise). A right-party contact that ends without
 * a promise puts a put-off-prone person off paying for MODEL.putOffDays days from tomorrow.
 */
function placeCall(s: DebtorState, d: number, cal: Calendar, rng: Rng, out: Records, slot = rng.weighted(HOUR_WEIGHTS)): void {
  const p = s.person;
  let phoneIndex = 0;
  if (p.phones.length > 1) {
    let u = rng.next();
    while (phoneIndex < p.phones.length - 1 && (u -= p.phones[phoneIndex]!.usage) >= 0) phoneIndex++;
  }
  const phone = p.phones[phoneIndex]!;
  let result: string;
  let duration: number;
  if (rng.next() < phone.wrong) {
    result = 'FNUM';
    duration = 10 + rng.int(50);
  } else if (rng.next() < Math.min(0.95, p.answerByHour[slot]! * p.answerByWeekday[cal.weekday[d]!]!)) {
    if (s.pendingDue < 0 && rng.next() < rates.promiseGivenContact) {
      result = 'PROM';
      duration = 120 + rng.int(480);
      const delay = DELAY_MIN + rng.int(DELAY_SPAN);
      // The agent asks for the balance: a debtor who would settle promises to settle.
      const balance = caseBalance(s.cases[s.promiseCase]!);
      const amount = rng.next() < payInFullProbability(p.instalment, balance)
        ? balance
        : instalmentAmount(p.instalment, rng.int(MULTIPLIER_COUNT), balance);
      s.pendingDue = d + delay;
      s.pendingCase = s.promiseCase;
      s.pendingAmount = amount;
      s.pendingRecord = out.promises.length;
      out.promises.push({ day: d, caseIndex: s.promiseCase, amount, due: d + delay, status: PromiseStatus.Pending });
    } else {
      if (rng.next() < rates.refusalGivenContact) {
        result = 'REF';
        duration = 15 + rng.int(165);
      } else {
        result = 'CTC';
        duration = 60 + rng.int(360);
      }
      if (p.putOffProne) s.putOffUntil = d + 1 + PUT_OFF_DAYS;
    }
  } else if (rng.next() < 0.15) {
    result = 'OCC';
    duration = rng.int(6);
  } else {
    result = 'NRP';
    duration = 15 + rng.int(30);
  }
  out.calls.push({
    day: d, hour: HOURS[slot]!, minute: rng.int(60), caseIndex: s.promiseCase, phoneIndex, duration, result,
    agent: rng.int(8),
  });
}

function spontaneousPayment(s: DebtorState, d: number, rng: Rng, out: Records): void {
  const caseIndex = s.payCase;
  const balance = caseBalance(s.cases[caseIndex]!);
  const regular = s.lastPay >= 0 && d - s.lastPay < 45;
  const amount = rng.next() < payInFullProbability(s.person.instalment, balance)
    ? balance
    : instalmentAmount(s.person.instalment, rng.int(MULTIPLIER_COUNT), balance);
  recordPayment(s, d, caseIndex, amount, paymentMode(rng, false, regular, s.maxStage), false, out);
}

/**
 * A day inside a promise's keep window, drawn day by day: kept, else spontaneous payment. A kept
 * promise pays its amount on its case whatever became of the case since (the truth relies on it).
 */
function keepWindowDay(s: DebtorState, d: number, rng: Rng, out: Records): void {
  if (rng.next() < keepHazard(d - s.pendingDue, rates.keep)) {
    recordPayment(s, d, s.pendingCase, s.pendingAmount, paymentMode(rng, true, false, s.maxStage), true, out);
  } else if (rates.pay > 0 && rng.next() < rates.pay) spontaneousPayment(s, d, rng, out);
}

/**
 * Simulates days `from` (inclusive) to `to` (exclusive), appending what happens to `out`.
 * The state is left as of the start of day `to`.
 *
 * Each day independently brings a spontaneous payment with probability `pay`, else (no promise
 * pending) a call with probability `call`. Quiet stretches are skipped by thinning: with `u` an upper
 * bound of the daily event probability over the stretch, the next candidate day is geometric(u) away
 * and is accepted as a payment with probability pay/u, as a call with (1 − pay)·call/u — exactly the
 * daily draws, at a fraction of the cost.
 */
export function simulateDays(s: DebtorState, from: number, to: number, cal: Calendar, rng: Rng, out: Records): void {
  let d = from;
  while (d < to) {
    if (d >= s.nextEventDay) applyEvents(s, d);
    if (s.pendingDue >= 0 && d > s.pendingDue + KEEP_DAYS) {
      const promise = out.promises[s.pendingRecord];
      if (promise) promise.status = PromiseStatus.Broken;
      s.pendingDue = -1;
      s.pendingRecord = -1;
    }
    let stop = Math.min(to, s.nextEventDay);
    if (s.pendingDue >= 0) stop = Math.min(stop, d < s.pendingDue ? s.pendingDue : s.pendingDue + KEEP_DAYS + 1);
    if (s.activeCount === 0) {
      if (s.nextEventDay === Infinity && s.pendingDue < 0) return;
      d = stop;
      continue;
    }
    dayRates(s, d, cal, rates);
    if (s.pendingDue >= 0 && d >= s.pendingDue) {
      keepWindowDay(s, d, rng, out);
      d++;
      continue;
    }
    stop = Math.min(stop, cal.nextMonthStart[d] as number);
    if (s.lastPay >= 0 && d - s.lastPay < REFRACTORY) stop = Math.min(stop, s.lastPay + REFRACTORY);
    const calls = s.pendingDue < 0;
    const bound = eventBound(s, d, cal, calls);
    if (bound <= 0) {
      d = stop;
      continue;
    }
    if (bound < 1) d += Math.floor(Math.log(1 - rng.next()) / Math.log(1 - bound));
    if (d >= stop) {
      d = stop;
      continue;
    }
    dayRates(s, d, cal, rates);
    const v = rng.next() * bound;
    if (v < rates.pay) spontaneousPayment(s, d, rng, out);
    else if (calls && v < rates.pay + (1 - rates.pay) * rates.call) placeCall(s, d, cal, rng, out);
    d++;
  }
}

/** What the office does on the list date in a counterfactual: calls once in the recommended window, or not at all. */
export type ListDayAction = 'called' | 'not-called';

/**
 * Day `d` (the list date) with the office's call fixed by `action` instead of drawn from its policy:
 * the day's payment draws as usual (kept promise, else spontaneous payment), then, if nothing was
 * paid and a case is open, one call at hour slot `slot` when `action` is `called`. Continue with
 * {@link simulateDays} from `d + 1`.
 */
export function simulateListDay(s: DebtorState, d: number, cal: Calendar, rng: Rng, out: Records, action: ListDayAction, slot: number): void {
  if (d >= s.nextEventDay) applyEvents(s, d);
  if (s.pendingDue >= 0 && d > s.pendingDue + KEEP_DAYS) {
    const promise = out.promises[s.pendingRecord];
    if (promise) promise.status = PromiseStatus.Broken;
    s.pendingDue = -1;
    s.pendingRecord = -1;
  }
  if (s.activeCount === 0) return;
  dayRates(s, d, cal, rates);
  const paid = out.payments.length;
  if (s.pendingDue >= 0 && d >= s.pendingDue) keepWindowDay(s, d, rng, out);
  else if (rates.pay > 0 && rng.next() < rates.pay) spontaneousPayment(s, d, rng, out);
  if (action === 'called' && out.payments.length === paid) placeCall(s, d, cal, rng, out, slot);
}
