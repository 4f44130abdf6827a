/**
 * The daily rates of the generative model for one debtor on one day, given the state at the start
 * of the day. The history simulation draws from them; the ground truth integrates them. Both call
 * this one function, so they cannot disagree.
 *
 * Spontaneous payment hazard:
 *   min(payMaxHazard, exp(payBase + payAbility·a + payWillingness·w + payBalance·log(B/1000 EUR)
 *       + payStage[stage] + log(weekday × pay-day × season)) × recency)
 * zero during the refractory period after a payment; recency is a habit boost decaying with the
 * days since the latest payment, or, for a debtor who never paid, a boost for a freshly opened case.
 * While a call has put the person off (see MODEL.putOffFactor), the hazard is multiplied by
 * putOffFactor.
 */
import type { Calendar } from './calendar';
import type { DebtorState } from './debtor';
import { MODEL } from './parameters';

/** Rates of one day; reused between calls to avoid allocation. */
export interface DayRates {
  /** Whether any case is open (no payment, call or kept promise otherwise). */
  active: boolean;
  /** Probability of a spontaneous payment today. */
  pay: number;
  /** The same if a call had put the person off (whatever the state says). */
  payPutOff: number;
  /** Probability the office calls today, if no promise is pending. */
  call: number;
  /** Probability that a call today ends in a promise (wrong numbers and no answers included). */
  promisePerCall: number;
  /** Overall probability that a promise due around today is kept. */
  keep: number;
  /** Expected amount (cents) of a spontaneous payment today. */
  payAmount: number;
  /** Expected amount (cents) promised by a promise made today. */
  promiseAmount: number;
  /** Probability of a promise once the debtor answers the phone. */
  promiseGivenContact: number;
  /** Probability of a refusal once the debtor answers and does not promise. */
  refusalGivenContact: number;
}

/** A fresh rates holder. */
export function newRates(): DayRates {
  return { active: false, pay: 0, payPutOff: 0, call: 0, promisePerCall: 0, keep: 0, payAmount: 0, promiseAmount: 0, promiseGivenContact: 0, refusalGivenContact: 0 };
}

const PAY_BASE = MODEL.payBase;
const PAY_ABILITY = MODEL.payAbility;
const PAY_WILLINGNESS = MODEL.payWillingness;
const PAY_MAX = MODEL.payMaxHazard;
const REFRACTORY = MODEL.refractoryDays;
const HABIT_BOOST = MODEL.habitBoost;
const HABIT_DAYS = MODEL.habitDays;
const NEVER_PAID = MODEL.neverPaid;
const FRESH_BOOST = MODEL.freshBoost;
const FRESH_DAYS = MODEL.freshDays;
const CALL_MAX = MODEL.callMax;
const PUT_OFF = MODEL.putOffFactor;

/** Recency multipliers by whole days, precomputed: habit (days since payment), fresh case. */
const RECENCY_DAYS = 1 << 13;
const HABIT = new Float64Array(RECENCY_DAYS);
const FRESH = new Float64Array(RECENCY_DAYS);
for (let k = 0; k < RECENCY_DAYS; k++) {
  HABIT[k] = k < REFRACTORY ? 0 : 1 + HABIT_BOOST * Math.exp(-(k - REFRACTORY) / HABIT_DAYS);
  FRESH[k] = NEVER_PAID * (1 + FRESH_BOOST * Math.exp(-k / FRESH_DAYS));
}

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Refreshes the month-level trait caches of `s` for calendar month `month`. */
function refreshTraits(s: DebtorState, month: number): void {
  const a = s.person.ability[month] as number;
  const w = s.person.willingness[month] as number;
  s.cacheMonth = month;
  s.traitLog = PAY_BASE + PAY_ABILITY * a + PAY_WILLINGNESS * w;
  s.baseHazard = -1;
  const rho = s.person.responsiveness;
  s.keep = logistic(MODEL.keepBase + MODEL.keepAbility * a + MODEL.keepWillingness * w + MODEL.keepResponsiveness * rho);
  s.promiseGivenReach = logistic(
    MODEL.promiseBase + MODEL.promiseWillingness * w + MODEL.promiseResponsiveness * rho + (s.person.putOffProne ? MODEL.promisePutOffProne : 0),
  );
  s.refusalGivenContact = logistic(MODEL.refusalBase - MODEL.refusalWillingness * w);
}

/** Fills `out` with the rates of day `d` for the state at the start of that day. */
export function dayRates(s: DebtorState, d: number, cal: Calendar, out: DayRates): DayRates {
  const month = cal.month[d] as number;
  if (month !== s.cacheMonth) refreshTraits(s, month);
  out.keep = s.keep;
  out.promiseGivenContact = s.promiseGivenReach;
  out.refusalGivenContact = s.refusalGivenContact;
  out.active = s.activeCount > 0;
  if (!out.active) {
    out.pay = 0;
    out.payPutOff = 0;
    out.call = 0;
    out.promisePerCall = 0;
    out.payAmount = 0;
    out.promiseAmount = 0;
    return out;
  }
  out.payAmount = s.payAmountMean;
  out.promiseAmount = s.promiseAmountMean;
  const sincePay = s.lastPay >= 0 ? d - s.lastPay : -1;
  if (sincePay >= 0 && sincePay < REFRACTORY) {
    out.pay = 0;
    out.payPutOff = 0;
    out.call = 0;
    out.promisePerCall = 0;
    return out;
  }
  const recency = sincePay >= 0
    ? (HABIT[sincePay < RECENCY_DAYS ? sincePay : RECENCY_DAYS - 1] as number)
    : (FRESH[Math.min(d - s.lastOpenDay, RECENCY_DAYS - 1)] as number);
  // The month's traits and the open cases change rarely: their part of the hazard is cached.
  if (s.baseHazard < 0) s.baseHazard = Math.exp(s.traitLog + s.aggregateLog);
  const hazard = s.baseHazard * (cal.payDay[d] as number) * recency;
  const pay = hazard < PAY_MAX ? hazard : PAY_MAX;
  out.payPutOff = pay * PUT_OFF;
  out.pay = d < s.putOffUntil ? out.payPutOff : pay;
  const callDay = cal.callDay[d] as number;
  if (s.dnc || callDay === 0) {
    out.call = 0;
    out.promisePerCall = 0;
  } else {
    const call = s.callIntensity * callDay;
    out.call = call < CALL_MAX ? call : CALL_MAX;
    out.promisePerCall = (s.person.reachByWeekday[cal.weekday[d] as number] as number) * s.promiseGivenReach;
  }
  return out;
}

/**
 * An upper bound of `pay + (1 - pay)·call` from day `d` until the next event, month or promise
 * change (recency only decreases in between, day factors are at most their maximum, the put-off
 * factor is at most 1): used to skip
 * quiet days by thinning. `dayRates(s, d, …)` must have been called first (it fills the caches).
 * `calls`: whether the office may call (no promise pending).
 */
export function eventBound(s: DebtorState, d: number, cal: Calendar, calls: boolean): number {
  if (s.activeCount === 0) return 0;
  const sincePay = s.lastPay >= 0 ? d - s.lastPay : -1;
  if (sincePay >= 0 && sincePay < REFRACTORY) return 0;
  const recency = sincePay >= 0
    ? (HABIT[sincePay < RECENCY_DAYS ? sincePay : RECENCY_DAYS - 1] as number)
    : (FRESH[Math.min(d - s.lastOpenDay, RECENCY_DAYS - 1)] as number);
  const pay = Math.min(PAY_MAX, s.baseHazard * cal.payDayMax * recency);
  const call = calls && !s.dnc ? Math.min(CALL_MAX, s.callIntensity) : 0;
  return Math.min(1, pay + call);
}
