/**
 * The daily rates of the generative model for one debtor on one day, given the state at the start
 * of the day. The history simulation draws from them; the ground truth integrates them. Both call
 * this one function, so they cannot disagree.
 */
import type { Calendar } from './calendar';
import { caseBalance, type CaseState, type DebtorState } from './debtor';
import { MODEL, sigmoid } from './parameters';

/** Rates of one day; reused between calls to avoid allocation. */
export interface DayRates {
  /** Whether any case is open (no payment, call or kept promise otherwise). */
  active: boolean;
  /** Probability of a spontaneous payment today. */
  pay: number;
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
  /** Current ability and willingness. */
  ability: number;
  willingness: number;
}

/** A fresh rates holder. */
export function newRates(): DayRates {
  return { active: false, pay: 0, call: 0, promisePerCall: 0, keep: 0, payAmount: 0, promiseAmount: 0, ability: 0, willingness: 0 };
}

const MULTS = MODEL.instalmentMultipliers;

/** Cents of a partial payment or promise with multiplier index `m` on a case owing `balance`. */
export function instalmentAmount(instalment: number, m: number, balance: number): number {
  return Math.min(balance, Math.round((instalment * (MULTS[m] as number)) / 100) * 100);
}

/** Probability that a spontaneous payment settles the whole case. */
export function payInFullProbability(instalment: number, balance: number): number {
  return balance <= instalment * MODEL.smallBalanceInstalments ? MODEL.payInFullSmall : MODEL.payInFullLarge;
}

function meanInstalment(instalment: number, balance: number): number {
  let sum = 0;
  for (let m = 0; m < MULTS.length; m++) sum += instalmentAmount(instalment, m, balance);
  return sum / MULTS.length;
}

/** Probability that a call placed today reaches the debtor and ends in a promise. */
function promiseProbability(s: DebtorState, weekday: number, willingness: number): number {
  const p = s.person;
  let answer = 0;
  let weights = 0;
  for (let h = 0; h < MODEL.callHourWeights.length; h++) {
    const w = MODEL.callHourWeights[h] as number;
    answer += w * Math.min(0.95, (p.answerByHour[h] as number) * (p.answerByWeekday[weekday] as number));
    weights += w;
  }
  let reached = 0;
  for (const phone of p.phones) reached += phone.usage * (1 - phone.wrong);
  return reached * (answer / weights) * sigmoid(MODEL.promiseBase + MODEL.promiseWillingness * willingness);
}

/** Fills `out` with the rates of day `d` for the state at the start of that day. */
export function dayRates(s: DebtorState, d: number, cal: Calendar, out: DayRates): DayRates {
  const month = cal.month[d] as number;
  const a = s.person.ability[month] as number;
  const w = s.person.willingness[month] as number;
  out.ability = a;
  out.willingness = w;
  out.active = s.activeCount > 0;
  out.keep = sigmoid(MODEL.keepBase + MODEL.keepAbility * a + MODEL.keepWillingness * w);
  if (!out.active) {
    out.pay = 0;
    out.call = 0;
    out.promisePerCall = 0;
    out.payAmount = 0;
    out.promiseAmount = 0;
    return out;
  }
  const sincePay = s.lastPay >= 0 ? d - s.lastPay : -1;
  if (sincePay >= 0 && sincePay < MODEL.refractoryDays) {
    out.pay = 0;
    out.call = 0;
  } else {
    let recency: number;
    if (sincePay >= 0) recency = 1 + MODEL.habitBoost * Math.exp(-(sincePay - MODEL.refractoryDays) / MODEL.habitDays);
    else recency = MODEL.neverPaid * (1 + MODEL.freshBoost * Math.exp(-(d - s.lastOpenDay) / MODEL.freshDays));
    const logHazard = MODEL.payBase + MODEL.payAbility * a + MODEL.payWillingness * w + MODEL.payBalance * s.logBalance
      + (MODEL.payStage[s.maxStage] as number) + (cal.payDayLog[d] as number);
    out.pay = Math.min(MODEL.payMaxHazard, Math.exp(logHazard) * recency);
    const callDay = cal.callDay[d] as number;
    out.call = s.dnc || callDay === 0 ? 0 : Math.min(MODEL.callMax,
      MODEL.callBase * callDay * Math.exp(MODEL.callBalancePower * s.logBalance) * (MODEL.callStage[s.maxStage] as number));
  }
  out.promisePerCall = out.call > 0 ? promiseProbability(s, cal.weekday[d] as number, w) : 0;
  const instalment = s.person.instalment;
  const payCase = s.cases[s.payCase] as CaseState;
  const payBalance = caseBalance(payCase);
  const full = payInFullProbability(instalment, payBalance);
  out.payAmount = full * payBalance + (1 - full) * meanInstalment(instalment, payBalance);
  out.promiseAmount = meanInstalment(instalment, caseBalance(s.cases[s.promiseCase] as CaseState));
  return out;
}
