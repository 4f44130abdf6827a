/**
 * A synthetic person: identity, phones, contact profile and the hidden traits (ability and
 * willingness to pay) with their slow monthly drift. Drawn from the person's own random stream,
 * so that the same person exported by two offices is the same everywhere.
 */
import type { Rng } from '../core/rng';
import { MODEL } from './parameters';
import { ABROAD, ADDRESS_COMPLEMENTS, CITIES, FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, OVERSEAS, STREET_KINDS, STREET_NAMES } from './names';
import type { ShiftSpec } from './shift';

/** One phone line of a person. */
export interface Phone {
  /** National digits (`0612345678`) or, for an invalid entry, the text as typed. */
  readonly number: string;
  /** Whether the number is a well-formed phone number. */
  readonly valid: boolean;
  /** `MOBILE`, `FIXE` or `PRO`. */
  readonly type: string;
  /** Country calling code written for the `+`/`00` forms (33, 590, 596, 594, 262). */
  readonly countryCode: string;
  /** Probability that a call to it reaches someone else (wrong number). */
  readonly wrong: number;
  /** Relative share of the office's calls that use this line. */
  readonly usage: number;
}

/** A person as the offices know it, plus what they do not know. */
export interface Person {
  readonly title: string;
  readonly lastName: string;
  readonly firstName: string;
  /** Birth date as [year, month 1..12, day]. */
  readonly birth: readonly [number, number, number];
  readonly address: string;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
  readonly phones: readonly Phone[];
  /** Answer probability by office call-hour slot (see MODEL.callHours) on a neutral weekday. */
  readonly answerByHour: readonly number[];
  /** Weekday multiplier of the answer probability, Sunday first. */
  readonly answerByWeekday: readonly number[];
  /**
   * Probability that a call on each weekday (Sunday first), placed at an hour drawn from the
   * office's calling policy, reaches the person on a right number.
   */
  readonly reachByWeekday: readonly number[];
  /** Monthly ability path (calendar month index). */
  readonly ability: readonly number[];
  /** Monthly willingness path. */
  readonly willingness: readonly number[];
  /**
   * How much a phone call moves the person (standard normal, fixed, independent of ability and
   * willingness): raises the chance of a promise on contact and of keeping it.
   */
  readonly responsiveness: number;
  /** Whether a right-party contact that ends without a promise puts the person off paying for a while. */
  readonly putOffProne: boolean;
  /** Typical instalment the person can afford, in cents. */
  readonly instalment: number;
  /** Index of the preferred office (0-based) before twin rotation. */
  readonly office: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Draws the monthly ability and willingness paths together, month by month, so that a longer
 * grid only appends months: the history never depends on how far past it the grid extends.
 */
function drawPaths(rng: Rng, a0: number, w0: number, months: number): [number[], number[]] {
  const ability: number[] = [];
  const willingness: number[] = [];
  const rho = MODEL.driftPersistence;
  const innovation = MODEL.driftSd * Math.sqrt(1 - rho * rho);
  let za = rng.normal(0, MODEL.driftSd);
  let zw = rng.normal(0, MODEL.driftSd);
  for (let m = 0; m < months; m++) {
    ability.push(a0 + za);
    willingness.push(w0 + zw);
    za = rho * za + rng.normal(0, innovation);
    zw = rho * zw + rng.normal(0, innovation);
  }
  return [ability, willingness];
}

function drawPhone(rng: Rng, prefix: string | null, countryCode: string, type: string, usage: number): Phone {
  let rest = '';
  for (let i = prefix ? 6 : 8; i > 0; i--) rest += rng.int(10);
  if (rng.bernoulli(0.012)) {
    const junk = ['06 12 34', '0000000000', '12345', '06123456789', 'inconnu', '+33 6 XX'];
    return { number: rng.pick(junk), valid: false, type, countryCode, wrong: 1, usage };
  }
  let lead = prefix;
  if (!lead) lead = type === 'MOBILE' ? (rng.bernoulli(0.8) ? '06' : '07') : '0' + (1 + rng.int(5));
  const number = (lead + rest).slice(0, 10);
  const wrong = rng.bernoulli(0.1) ? rng.uniform(0.3, 0.9) : rng.uniform(0, 0.05);
  return { number, valid: true, type, countryCode, wrong, usage };
}

/**
 * Draws a person. `months` is the length of the trait paths; `offices` the number of offices.
 */
export function drawPerson(rng: Rng, months: number, offices: number, asOfYear: number, shift: ShiftSpec): Person {
  const woman = rng.bernoulli(0.52);
  const title = woman ? 'Mme' : 'M.';
  const firstName = rng.pick(woman ? FIRST_NAMES_F : FIRST_NAMES_M);
  const lastName = rng.pick(LAST_NAMES);
  const age = Math.min(92, Math.max(18.2, rng.normal(44 + shift.ageShift, 13)));
  const birthYear = asOfYear - Math.floor(age);
  const birth: [number, number, number] = [birthYear, 1 + rng.int(12), 1 + rng.int(28)];

  let postalCode: string;
  let city: string;
  let country = 'FR';
  let mobilePrefix: string | null = null;
  let countryCode = '33';
  const place = rng.next();
  if (place < 0.03) {
    const o = rng.pick(OVERSEAS);
    [postalCode, city, mobilePrefix] = [o[0], o[1], o[2]];
    countryCode = { '97110': '590', '97200': '596', '97300': '594' }[o[0]] ?? '262';
  } else if (place < 0.035) {
    const a = rng.pick(ABROAD);
    [country, postalCode, city] = [a[0], a[1], a[2]];
  } else {
    const c = rng.pick(CITIES);
    [postalCode, city] = [c[0], c[1]];
  }
  let address = `${1 + rng.int(180)}${rng.bernoulli(0.05) ? ' bis' : ''} ${rng.pick(STREET_KINDS)} ${rng.pick(STREET_NAMES)}`;
  if (rng.bernoulli(0.04)) address += ', ' + rng.pick(ADDRESS_COMPLEMENTS);

  const phones: Phone[] = [];
  const lines = 1 + (rng.bernoulli(0.45) ? 1 : 0) + (rng.bernoulli(0.15) ? 1 : 0);
  for (let i = 0; i < lines; i++) {
    const type = i === 0 ? (rng.bernoulli(0.85) ? 'MOBILE' : 'FIXE') : rng.pick(['MOBILE', 'FIXE', 'PRO']);
    const prefix = type === 'MOBILE' ? mobilePrefix : null;
    const usage = lines === 1 ? 1 : i === 0 ? 0.7 : 0.3 / (lines - 1);
    phones.push(drawPhone(rng, prefix, countryCode, type, usage));
  }

  // Contact profile: a preferred time of day and, for those at work, fewer weekday answers.
  const center = rng.pick([10, 12.5, 18.5]) + rng.normal(0, 0.8);
  const width = rng.uniform(1.2, 3);
  const reach = rng.uniform(0.15, 0.85);
  const answerByHour: number[] = new Array<number>(MODEL.callHours.length).fill(0);
  MODEL.callHours.forEach((h, i) => {
    const x = (h + 0.5 - center) / width;
    answerByHour[i] = reach * (0.2 + 0.8 * Math.exp(-0.5 * x * x));
  });
  const atWork = rng.bernoulli(0.5);
  const answerByWeekday: number[] = new Array<number>(7).fill(0);
  for (let wd = 0; wd < 7; wd++) {
    const base = atWork ? (wd === 0 || wd === 6 ? 1.25 : 0.75) : 1;
    answerByWeekday[wd] = Math.max(0.3, base + rng.normal(0, 0.12));
  }

  const reachByWeekday: number[] = new Array<number>(7).fill(0);
  let rightNumber = 0;
  for (const phone of phones) rightNumber += phone.usage * (1 - phone.wrong);
  let weights = 0;
  for (const w of MODEL.callHourWeights) weights += w;
  for (let wd = 0; wd < 7; wd++) {
    let answer = 0;
    MODEL.callHourWeights.forEach((w, h) => {
      answer += w * Math.min(0.95, (answerByHour[h] as number) * (answerByWeekday[wd] as number));
    });
    reachByWeekday[wd] = rightNumber * (answer / weights);
  }

  const a0 = rng.normal(0, 1) + 0.012 * (age - 44) + shift.abilityShift;
  const w0 = 0.3 * a0 + rng.normal(0, 0.95) + 0.01 * (age - 44);
  const instalment = Math.max(2000, Math.round(Math.exp(4.2 + 0.45 * a0 + rng.normal(0, 0.3)) * 100));
  const office = rng.int(offices);
  // Responsiveness to calls: drawn on its own, so it is not a function of the propensity to pay.
  const responsiveness = rng.normal(0, 1);
  const putOffProne = rng.bernoulli(MODEL.putOffShare);
  // Last draws of the stream: see drawPaths.
  const [ability, willingness] = drawPaths(rng, a0, w0, months);
  return {
    title, lastName, firstName, birth, address, postalCode, city, country, phones,
    answerByHour, answerByWeekday, reachByWeekday, ability, willingness, responsiveness, putOffProne, instalment, office,
  };
}

/** The office's call-hour slot where the person answers best: the recommended window of a call. */
export function bestSlot(p: Person): number {
  let best = 0;
  for (let i = 1; i < p.answerByHour.length; i++) if ((p.answerByHour[i] as number) > (p.answerByHour[best] as number)) best = i;
  return best;
}

/** Probability that a call at hour slot `slot` on weekday `weekday` reaches the person on a right number. */
export function reachAt(p: Person, slot: number, weekday: number): number {
  let rightNumber = 0;
  for (const phone of p.phones) rightNumber += phone.usage * (1 - phone.wrong);
  return rightNumber * Math.min(0.95, (p.answerByHour[slot] as number) * (p.answerByWeekday[weekday] as number));
}

/** `YYYY-MM-DD` of a person's birth date. */
export function birthIso(p: Person): string {
  return `${p.birth[0]}-${pad(p.birth[1], 2)}-${pad(p.birth[2], 2)}`;
}
