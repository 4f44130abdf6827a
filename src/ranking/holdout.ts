/**
 * The control group: a deterministic share of eligible debtors kept off the list, so that
 * analysts can measure what calling adds. Membership is a hash of the debtor id, the month of the
 * list date and a salt: stable within a month (a control debtor stays uncalled all month),
 * reassigned each month, reproducible by anyone who knows the salt.
 */
import { createHash } from 'node:crypto';
import type { IsoDate } from '../core/ids';

/** A number in [0, 1) drawn uniformly by hashing `salt|month|debtorId` (SHA-256, first 52 bits). */
export function holdoutBucket(debtorId: string, month: string, salt: string): number {
  const hex = createHash('sha256').update(`${salt}|${month}|${debtorId}`).digest('hex').slice(0, 13);
  return parseInt(hex, 16) / 2 ** 52;
}

/** The month (`YYYY-MM`) that keys the holdout of a list date. */
export function holdoutMonth(listDate: IsoDate): string {
  return listDate.slice(0, 7);
}

/** Whether a debtor belongs to the control group of the list date's month. */
export function isInHoldout(debtorId: string, listDate: IsoDate, holdout: { share: number; salt: string }): boolean {
  return holdout.share > 0 && holdoutBucket(debtorId, holdoutMonth(listDate), holdout.salt) < holdout.share;
}
