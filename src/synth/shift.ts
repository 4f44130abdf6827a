/**
 * Drift injection: named population shifts that monitoring must detect. With no shift, two seeds
 * draw from the same distributions.
 */
import { ValidationError } from '../core/errors';

/** How a named shift moves the population. */
export interface ShiftSpec {
  /** Name as given on the command line. */
  readonly name: string;
  /** Years added to the mean age (negative: younger). */
  readonly ageShift: number;
  /** Added to every person's base ability (standard-normal scale). */
  readonly abilityShift: number;
  /** Multiplies every case's principal. */
  readonly principalFactor: number;
}

/** The shifts `synthesize` knows. */
export const SHIFTS: Readonly<Record<string, ShiftSpec>> = {
  /** No shift. */
  none: { name: 'none', ageShift: 0, abilityShift: 0, principalFactor: 1 },
  /** Mean age 8 years lower, ability 0.5 sd lower, principals 30 % higher. */
  'younger-poorer': { name: 'younger-poorer', ageShift: -8, abilityShift: -0.5, principalFactor: 1.3 },
  /** An economic crisis: debtors 12 years younger, ability 1.2 sd lower, principals 80 % higher. */
  crisis: { name: 'crisis', ageShift: -12, abilityShift: -1.2, principalFactor: 1.8 },
  /** Principals doubled, nothing else: balance-driven drift only. */
  'bigger-debts': { name: 'bigger-debts', ageShift: 0, abilityShift: 0, principalFactor: 2 },
};

/** The shift named `name` (undefined or `none`: no shift); throws a ValidationError otherwise. */
export function resolveShift(name: string | undefined): ShiftSpec {
  const spec = SHIFTS[name ?? 'none'];
  if (!spec) {
    throw new ValidationError(`shift must be one of ${Object.keys(SHIFTS).join(', ')}; got ${name}`, { context: { field: 'shift' } });
  }
  return spec;
}
