/**
 * The hidden state of one exported debtor (a person as seen by one office): cases with their legal
 * stages, scheduled life events, payment history state and pending promise. Everything that is not
 * a daily draw (openings, escalation delays, disputes, over-indebtedness, do-not-call) is drawn up
 * front, so that along a path without payments the state evolves deterministically — which is
 * what makes the ground truth exact.
 */
import type { Rng } from '../core/rng';
import type { Calendar } from './calendar';
import { CREDITORS } from './names';
import { meanSpontaneousPayment } from './amounts';
import { MODEL } from './parameters';
import type { Person } from './person';
import type { ShiftSpec } from './shift';

const PAY_BALANCE = MODEL.payBalance;
const PAY_STAGE: readonly number[] = MODEL.payStage;
const CALL_BASE = MODEL.callBase;
const CALL_BALANCE_POWER = MODEL.callBalancePower;
const CALL_STAGE: readonly number[] = MODEL.callStage;
const ESCALATION_FEES: readonly number[] = MODEL.escalationFees;

/** Legal stages of an open case: AMI, INJ, TIT, SAI. */
export const STAGE_CODES = ['AMI', 'INJ', 'TIT', 'SAI'] as const;

/** Case lifecycle. */
export const CaseStatus = { NotOpen: 0, Open: 1, Settled: 2, WrittenOff: 3, Disputed: 4, OverIndebted: 5 } as const;

/** One case (dossier) of a debtor. */
export interface CaseState {
  openDay: number;
  /** Cents. */
  principal: number;
  /** Cents, grows at each escalation. */
  fees: number;
  /** Cents paid so far. */
  paid: number;
  stage: number;
  /** Day the current stage clock started (stage entry or latest payment on the case). */
  stageClock: number;
  /** Days without payment before escalating from AMI, INJ, TIT. */
  delays: [number, number, number];
  /** Days in SAI without payment before the case is written off. */
  writeOffDelay: number;
  /** Day the debtor disputes the case (Infinity: never). */
  disputeDay: number;
  status: number;
  creditor: string;
  nature: string;
}

/** A debtor's full hidden state. */
export interface DebtorState {
  readonly index: number;
  readonly office: number;
  readonly person: Person;
  cases: CaseState[];
  readonly surDay: number;
  readonly dncDay: number;
  sur: boolean;
  dnc: boolean;
  /** Day of the latest payment, -1 if none. */
  lastPay: number;
  /** Latest day a case opened. */
  lastOpenDay: number;
  firstOpenDay: number;
  nextEventDay: number;
  activeCount: number;
  /** Cents owed on open cases. */
  activeBalance: number;
  logBalance: number;
  maxStage: number;
  /** Case that receives spontaneous payments (oldest open), -1 if none. */
  payCase: number;
  /** Case a promise is made on (largest open balance), -1 if none. */
  promiseCase: number;
  /** First day on which the person is no longer put off by a call (0: never put off). */
  putOffUntil: number;
  /** Pending promise: due day (-1 if none), case, amount (cents), index of its record. */
  pendingDue: number;
  pendingCase: number;
  pendingAmount: number;
  pendingRecord: number;
  /** Caches kept by {@link refreshAggregates}: stage-and-balance log hazard and call intensity. */
  aggregateLog: number;
  callIntensity: number;
  /** Expected cents of a spontaneous payment and of a promise, given the open cases. */
  payAmountMean: number;
  promiseAmountMean: number;
  /** Calendar month whose traits are cached in `traitLog`, `keep`, `promiseGivenReach`, -1 if none. */
  cacheMonth: number;
  traitLog: number;
  /** exp(traitLog + aggregateLog), or -1 when either changed since it was computed. */
  baseHazard: number;
  keep: number;
  promiseGivenReach: number;
  refusalGivenContact: number;
}

function uniformInt(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

/** Draws the debtor's cases and life events from the debtor's own stream. */
export function drawDebtor(rng: Rng, index: number, office: number, person: Person, cal: Calendar, shift: ShiftSpec): DebtorState {
  const last = cal.asOfIndex - 7;
  const firstOpen = rng.int(last);
  const count = rng.bernoulli(0.3) ? (rng.bernoulli(0.27) ? 3 : 2) : 1;
  const cases: CaseState[] = [];
  for (let k = 0; k < count; k++) {
    const openDay = k === 0 ? firstOpen : uniformInt(rng, firstOpen, last);
    const [creditor, nature, median] = rng.pick(CREDITORS);
    const principal = Math.max(3000, Math.round(median * shift.principalFactor * Math.exp(rng.normal(0, 0.8)) * 100));
    cases.push({
      openDay, principal, fees: Math.round(rng.uniform(40, 160)) * 100, paid: 0, stage: 0, stageClock: openDay,
      delays: [uniformInt(rng, 45, 120), uniformInt(rng, 60, 180), uniformInt(rng, 45, 150)],
      writeOffDelay: rng.bernoulli(0.35) ? Infinity : uniformInt(rng, 120, 540),
      disputeDay: rng.bernoulli(0.04) ? openDay + uniformInt(rng, 5, 120) : Infinity,
      status: CaseStatus.NotOpen, creditor, nature,
    });
  }
  cases.sort((x, y) => x.openDay - y.openDay);
  const poor = person.ability[0] !== undefined && person.ability[0] < -1;
  const surDay = rng.bernoulli(poor ? 0.06 : 0.015) ? firstOpen + uniformInt(rng, 30, 900) : Infinity;
  const dncDay = rng.bernoulli(0.04) ? firstOpen + uniformInt(rng, 0, 700) : Infinity;
  return {
    index, office, person, cases, surDay, dncDay, sur: false, dnc: false, lastPay: -1,
    lastOpenDay: firstOpen, firstOpenDay: firstOpen, nextEventDay: firstOpen, activeCount: 0, activeBalance: 0,
    logBalance: 0, maxStage: 0, payCase: -1, promiseCase: -1,
    pendingDue: -1, pendingCase: -1, pendingAmount: 0, pendingRecord: -1, putOffUntil: 0,
    aggregateLog: 0, callIntensity: 0, payAmountMean: 0, promiseAmountMean: 0,
    cacheMonth: -1, traitLog: 0, baseHazard: -1, keep: 0, promiseGivenReach: 0, refusalGivenContact: 0,
  };
}

/** Cents still owed on a case. */
export function caseBalance(c: CaseState): number {
  return c.principal + c.fees - c.paid;
}

/** Recomputes the cached aggregates over open cases. */
export function refreshAggregates(s: DebtorState): void {
  let count = 0;
  let balance = 0;
  let maxStage = 0;
  let payCase = -1;
  let promiseCase = -1;
  let biggest = -1;
  for (let i = 0; i < s.cases.length; i++) {
    const c = s.cases[i] as CaseState;
    if (c.status !== CaseStatus.Open) continue;
    const b = caseBalance(c);
    count++;
    balance += b;
    if (c.stage > maxStage) maxStage = c.stage;
    if (payCase < 0) payCase = i;
    if (b > biggest) {
      biggest = b;
      promiseCase = i;
    }
  }
  s.activeCount = count;
  s.activeBalance = balance;
  s.logBalance = count > 0 ? Math.log(balance / 100000) : 0;
  s.maxStage = maxStage;
  s.payCase = payCase;
  s.promiseCase = promiseCase;
  if (count === 0) return;
  s.aggregateLog = PAY_BALANCE * s.logBalance + (PAY_STAGE[maxStage] as number);
  s.baseHazard = -1;
  s.callIntensity = CALL_BASE * Math.exp(CALL_BALANCE_POWER * s.logBalance) * (CALL_STAGE[maxStage] as number);
  const instalment = s.person.instalment;
  s.payAmountMean = meanSpontaneousPayment(instalment, caseBalance(s.cases[payCase] as CaseState));
  // A promise settles the case as often as a spontaneous payment would (see placeCall).
  s.promiseAmountMean = meanSpontaneousPayment(instalment, caseBalance(s.cases[promiseCase] as CaseState));
}

/** Applies every scheduled event due on or before day `d` (openings, escalations, disputes, …). */
export function applyEvents(s: DebtorState, d: number): void {
  let next = Infinity;
  if (!s.dnc) {
    if (d >= s.dncDay) s.dnc = true;
    else next = s.dncDay;
  }
  if (!s.sur) {
    if (d >= s.surDay) s.sur = true;
    else next = Math.min(next, s.surDay);
  }
  for (const c of s.cases) {
    if (c.status === CaseStatus.NotOpen) {
      if (d < c.openDay) {
        next = Math.min(next, c.openDay);
        continue;
      }
      c.status = CaseStatus.Open;
      if (c.openDay > s.lastOpenDay) s.lastOpenDay = c.openDay;
    }
    if (c.status !== CaseStatus.Open) continue;
    if (s.sur) {
      c.status = CaseStatus.OverIndebted;
      continue;
    }
    if (d >= c.disputeDay) {
      c.status = CaseStatus.Disputed;
      continue;
    }
    while (c.stage < 3 && d >= c.stageClock + (c.delays[c.stage] as number)) {
      c.stage++;
      c.fees += ESCALATION_FEES[c.stage] as number;
      c.stageClock = d;
    }
    if (c.stage === 3 && d >= c.stageClock + c.writeOffDelay) {
      c.status = CaseStatus.WrittenOff;
      continue;
    }
    const escalation = c.stage < 3 ? c.stageClock + (c.delays[c.stage] as number) : c.stageClock + c.writeOffDelay;
    next = Math.min(next, c.disputeDay, escalation);
  }
  s.nextEventDay = next;
  refreshAggregates(s);
}

/** A copy whose evolution does not touch the original (cases are copied). */
export function cloneDebtor(s: DebtorState): DebtorState {
  return { ...s, cases: s.cases.map((c) => ({ ...c, delays: [...c.delays] as [number, number, number] })) };
}
