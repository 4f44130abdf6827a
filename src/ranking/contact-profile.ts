/**
 * Best time to call: right-party contact rates by local hour and weekday, learned from the call
 * log, with empirical-Bayes shrinkage at every level: the whole office's hour × weekday rates, the
 * debtor's segment's rates shrunk towards them, and each debtor's rates shrunk towards its
 * segment's — first its overall reachability (a lift over the segment, with a prior strength fitted
 * by the method of moments on the segment's debtors), then its own hour × weekday record.
 */
import type { Interval } from './calling-window';
import { localParts } from './zoned-time';

/** Attempts and right-party contacts of one debtor in one local weekday × hour. */
export interface SlotCount {
  debtorId: string;
  /** ISO weekday in the debtor's time zone, 1 Monday … 7 Sunday. */
  weekday: number;
  /** Hour in the debtor's time zone, 0 … 23. */
  hour: number;
  attempts: number;
  contacts: number;
}

/** Options of {@link learnContactProfiles}. */
export interface ContactProfileOptions {
  /** Pseudo-attempts pulling a segment's slot rate to the global one. @defaultValue 20 */
  segmentStrength?: number;
  /** Pseudo-attempts pulling a global slot rate to the global mean. @defaultValue 20 */
  globalStrength?: number;
  /** Contact rate assumed when the log holds no call at all. @defaultValue 0.3 */
  priorRate?: number;
}

const SLOTS = 7 * 24;
const slot = (weekday: number, hour: number): number => (weekday - 1) * 24 + hour;

interface Tally {
  attempts: Float64Array;
  contacts: Float64Array;
}
const tally = (): Tally => ({ attempts: new Float64Array(SLOTS), contacts: new Float64Array(SLOTS) });

/** Learned contact rates; ask for any debtor, known or not. */
export class ContactProfiles {
  /** @internal */
  constructor(
    private readonly segmentRates: Map<string, Float64Array>,
    private readonly globalRates: Float64Array,
    private readonly strengths: Map<string, number>,
    private readonly debtors: Map<string, Tally>,
    private readonly segmentOf: (debtorId: string) => string,
  ) {}

  /** Prior strength (pseudo-attempts) of a segment's debtors, as fitted. */
  strength(segment: string): number {
    return this.strengths.get(segment) ?? DEFAULT_STRENGTH;
  }

  /** The segment's hour × weekday rates (the global ones for an unknown segment). */
  segmentRate(segment: string, weekday: number, hour: number): number {
    return ((this.segmentRates.get(segment) ?? this.globalRates)[slot(weekday, hour)] as number);
  }

  /** The debtor's shrunk right-party contact rate in a local weekday × hour. */
  rate(debtorId: string, weekday: number, hour: number): number {
    const segment = this.segmentOf(debtorId);
    const base = this.segmentRates.get(segment) ?? this.globalRates;
    const own = this.debtors.get(debtorId);
    const s = slot(weekday, hour);
    const prior = base[s] as number;
    if (!own) return prior;
    const m = this.strength(segment);
    let attempts = 0;
    let contacts = 0;
    let expected = 0;
    for (let i = 0; i < SLOTS; i++) {
      const a = own.attempts[i] as number;
      if (a === 0) continue;
      attempts += a;
      contacts += own.contacts[i] as number;
      expected += a * (base[i] as number);
    }
    const pbar = expected / attempts;
    const overall = (contacts + m * pbar) / (attempts + m);
    const lifted = Math.min(0.999, prior * (pbar > 0 ? overall / pbar : 1));
    return ((own.contacts[s] as number) + m * lifted) / ((own.attempts[s] as number) + m);
  }
}

const DEFAULT_STRENGTH = 20;

/**
 * Learns contact profiles from slot counts. `segmentOf` names the group of similar debtors a
 * debtor belongs to (office, phone type, …); thin histories borrow from it.
 */
export function learnContactProfiles(counts: readonly SlotCount[], segmentOf: (debtorId: string) => string, options: ContactProfileOptions = {}): ContactProfiles {
  // Debtors in the order they first appear, as the strengths' sums run in that order.
  const byDebtor = new Map<string, SlotCount[]>();
  for (const c of counts) {
    let own = byDebtor.get(c.debtorId);
    if (!own) byDebtor.set(c.debtorId, (own = []));
    own.push(c);
  }
  const learner = new ContactProfileLearner(options);
  for (const [id, own] of byDebtor) learner.addDebtor(segmentOf(id), own);
  return learner.finish().profiles(counts, segmentOf);
}

const validSlot = (c: SlotCount): boolean => c.attempts > 0 && c.weekday >= 1 && c.weekday <= 7 && c.hour >= 0 && c.hour <= 23;

/**
 * Learns the office-wide and segment parts of the contact profiles one debtor at a time, holding
 * only the office's and segments' tallies and two totals per debtor: what a list of a million
 * debtors can afford. {@link ContactRates.profiles} then adds the own records of the debtors asked
 * about. Fed the debtors in the same order, it learns exactly what {@link learnContactProfiles} does.
 */
export class ContactProfileLearner {
  private readonly all = tally();
  private readonly segments = new Map<string, Tally>();
  private readonly bySegment = new Map<string, { a: number; c: number }[]>();

  constructor(private readonly options: ContactProfileOptions = {}) {}

  /** Adds every slot count of one debtor, with the debtor's segment. */
  addDebtor(segment: string, counts: readonly SlotCount[]): void {
    let a = 0;
    let n = 0;
    for (const c of counts) {
      if (!validSlot(c)) continue;
      const s = slot(c.weekday, c.hour);
      const contacts = Math.min(c.contacts, c.attempts);
      for (const t of [this.all, getOr(this.segments, segment)]) {
        t.attempts[s] = (t.attempts[s] as number) + c.attempts;
        t.contacts[s] = (t.contacts[s] as number) + contacts;
      }
      a += c.attempts;
      n += contacts;
    }
    // Counts are whole numbers: these totals are exact whatever the order of the slots.
    if (a > 0) getOrList(this.bySegment, segment).push({ a, c: n });
  }

  /** The office's and segments' rates and the segments' prior strengths. */
  finish(): ContactRates {
    const k0 = this.options.globalStrength ?? 20;
    const k1 = this.options.segmentStrength ?? 20;
    const all = this.all;
    const totalA = sum(all.attempts);
    const mean = totalA > 0 ? sum(all.contacts) / totalA : this.options.priorRate ?? 0.3;
    const globalRates = new Float64Array(SLOTS);
    for (let i = 0; i < SLOTS; i++) globalRates[i] = ((all.contacts[i] as number) + k0 * mean) / ((all.attempts[i] as number) + k0);
    const segmentRates = new Map<string, Float64Array>();
    for (const [name, t] of this.segments) {
      const r = new Float64Array(SLOTS);
      for (let i = 0; i < SLOTS; i++) r[i] = ((t.contacts[i] as number) + k1 * (globalRates[i] as number)) / ((t.attempts[i] as number) + k1);
      segmentRates.set(name, r);
    }
    const strengths = new Map<string, number>();
    for (const [name, list] of this.bySegment) strengths.set(name, betaBinomialStrength(list));
    return new ContactRates(segmentRates, globalRates, strengths);
  }
}

/** The learned office-wide and segment rates, without any debtor's own record. */
export class ContactRates {
  /** @internal */
  constructor(
    private readonly segmentRates: Map<string, Float64Array>,
    private readonly globalRates: Float64Array,
    private readonly strengths: Map<string, number>,
  ) {}

  /** Profiles for the debtors of `counts` (any others get their segment's rates). */
  profiles(counts: readonly SlotCount[], segmentOf: (debtorId: string) => string): ContactProfiles {
    const debtors = new Map<string, Tally>();
    for (const c of counts) {
      if (!validSlot(c)) continue;
      const s = slot(c.weekday, c.hour);
      const t = getOr(debtors, c.debtorId);
      t.attempts[s] = (t.attempts[s] as number) + c.attempts;
      t.contacts[s] = (t.contacts[s] as number) + Math.min(c.contacts, c.attempts);
    }
    return new ContactProfiles(this.segmentRates, this.globalRates, this.strengths, debtors, segmentOf);
  }
}

/**
 * Method-of-moments prior strength m = α + β of a beta-binomial: with p̄ the pooled rate, q = p̄(1 − p̄),
 * V the mean squared deviation of the debtors' rates and h the mean of 1/attempts,
 * E[V] = q(1 + m·h)/(m + 1), so m = (q − V)/(V − q·h). Clamped to [2, 200]; 200 when the rates vary
 * no more than binomial noise alone would make them.
 */
export function betaBinomialStrength(debtors: readonly { a: number; c: number }[]): number {
  const used = debtors.filter((d) => d.a >= 2);
  if (used.length < 5) return DEFAULT_STRENGTH;
  const totalA = used.reduce((s, d) => s + d.a, 0);
  const p = used.reduce((s, d) => s + d.c, 0) / totalA;
  const q = p * (1 - p);
  if (q <= 0) return 200;
  const v = used.reduce((s, d) => s + (d.c / d.a - p) ** 2, 0) / used.length;
  const h = used.reduce((s, d) => s + 1 / d.a, 0) / used.length;
  if (v <= q * h) return 200;
  return Math.min(200, Math.max(2, (q - v) / (v - q * h)));
}

/** A recommended calling window and the contact rate expected in it. */
export interface RecommendedWindow extends Interval {
  /** Mean right-party contact rate over the window. */
  pContact: number;
}

/**
 * Every `hours`-long run of local hours inside `interval`, clipped to it, with its mean contact
 * rate (hours the interval only partly covers count by their share); best first, earliest first
 * on a tie.
 */
export function candidateWindows(profiles: ContactProfiles, debtorId: string, interval: Interval, timeZone: string, hours: number): RecommendedWindow[] {
  const slots: { start: number; end: number; rate: number; weight: number }[] = [];
  const first = localParts(interval.start, timeZone);
  let t = interval.start.getTime() - first.minute * 60000 - interval.start.getUTCSeconds() * 1000 - interval.start.getUTCMilliseconds();
  const stop = interval.end.getTime();
  while (t < stop) {
    const p = localParts(new Date(t), timeZone);
    const start = Math.max(t, interval.start.getTime());
    const end = Math.min(t + 3600000, stop);
    slots.push({ start, end, rate: profiles.rate(debtorId, p.weekday, p.hour), weight: (end - start) / 3600000 });
    t += 3600000;
  }
  const size = Math.min(hours, slots.length);
  const out: (RecommendedWindow & { order: number })[] = [];
  for (let i = 0; i + size <= slots.length; i++) {
    const block = slots.slice(i, i + size);
    const w = block.reduce((s, b) => s + b.weight, 0);
    const score = w > 0 ? block.reduce((s, b) => s + b.rate * b.weight, 0) / w : 0;
    out.push({ start: new Date(block[0]!.start), end: new Date(block[block.length - 1]!.end), pContact: Math.max(0, score), order: i });
  }
  if (out.length === 0) return [{ start: interval.start, end: interval.end, pContact: 0 }];
  return out.sort((a, b) => b.pContact - a.pContact || a.order - b.order).map(({ start, end, pContact }) => ({ start, end, pContact }));
}

/** The best window of {@link candidateWindows}. */
export function recommendWindow(profiles: ContactProfiles, debtorId: string, interval: Interval, timeZone: string, hours: number): RecommendedWindow {
  return candidateWindows(profiles, debtorId, interval, timeZone, hours)[0]!;
}

function getOr(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = tally()));
  return t;
}
function getOrList<T>(map: Map<string, T[]>, key: string): T[] {
  let t = map.get(key);
  if (!t) map.set(key, (t = []));
  return t;
}
function sum(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}
