/**
 * Payment and promise amounts: a partial payment is the debtor's instalment times a multiplier
 * drawn uniformly from `MODEL.instalmentMultipliers`, rounded to whole euros and capped at the
 * balance; a spontaneous payment settles the whole case with a probability that is high for small
 * balances. Expectations are exact averages over the same choices.
 */
import { MODEL } from './parameters';

const MULTS: readonly number[] = MODEL.instalmentMultipliers;
const SMALL = MODEL.smallBalanceInstalments;
const FULL_SMALL = MODEL.payInFullSmall;
const FULL_LARGE = MODEL.payInFullLarge;

/** Number of equally likely instalment multipliers. */
export const MULTIPLIER_COUNT = MULTS.length;

/** Cents of a partial payment or promise with multiplier index `m` on a case owing `balance` cents. */
export function instalmentAmount(instalment: number, m: number, balance: number): number {
  return Math.min(balance, Math.round((instalment * (MULTS[m] as number)) / 100) * 100);
}

/** Probability that a spontaneous payment settles the whole case. */
export function payInFullProbability(instalment: number, balance: number): number {
  return balance <= instalment * SMALL ? FULL_SMALL : FULL_LARGE;
}

/** Expected cents of a partial payment or promise. */
export function meanInstalment(instalment: number, balance: number): number {
  let sum = 0;
  for (let m = 0; m < MULTS.length; m++) sum += instalmentAmount(instalment, m, balance);
  return sum / MULTS.length;
}

/** Expected cents of a spontaneous payment on a case owing `balance` cents. */
export function meanSpontaneousPayment(instalment: number, balance: number): number {
  const full = payInFullProbability(instalment, balance);
  return full * balance + (1 - full) * meanInstalment(instalment, balance);
}
