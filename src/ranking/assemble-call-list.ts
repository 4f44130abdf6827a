/**
 * From scored candidates to the call list, without I/O: compliance first, then the teams that may
 * work each debtor and the calling window with each, the expected value of the call, the control
 * group, the capacity fit, and the reasons of the listed rows.
 */
import type { IsoDate } from '../core/ids';
import type { RankingConfig } from '../config/schema/ranking';
import type { Candidate } from './candidate';
import type { CallList, CallListRow, DeferredRow, ExclusionRow, HoldoutRow } from './call-list';
import { evaluateCompliance } from './compliance-rules';
import { intersect, teamInterval, type Interval } from './calling-window';
import { candidateWindows, learnContactProfiles, recommendWindow, type ContactProfiles, type RecommendedWindow, type SlotCount } from './contact-profile';
import { expectedAmount, expectedValue, typicalPayment, type AmountFallback, type ExpectedValue, type Objective } from './expected-value';
import { fitToCapacity, inPortfolio, teamCapacityMinutes, teamHourlyCapacity, windowHourShares, type CapacityItem } from './capacity';
import { holdoutMonth, isInHoldout } from './holdout';
import { topReasons, type FeaturePhrasebook, type Reason } from './reasons';
import { callReasons, type CallHistoryFacts } from './call-reasons';
import { localParts } from './zoned-time';

/** What {@link assembleCallList} works from. */
export interface CallListInputs {
  listDate: IsoDate;
  runId: string;
  candidates: readonly Candidate[];
  /** Call attempts and contacts per debtor, local weekday and hour. */
  slots: readonly (SlotCount & { officeCode?: string | null })[];
  ranking: RankingConfig;
  /** Share of recent payments that settled their case (`sql/ranking/settle-share.sql`). @defaultValue 0 */
  settleShare?: number;
  /** Time zone of teams that name none. */
  timeZone: string;
  /** Words for the features in the reasons. @defaultValue names and values only */
  phrasebook?: FeaturePhrasebook;
  /** Call, promise and payment history of the candidates, for why each call matters. @defaultValue none */
  callHistory?: ReadonlyMap<string, CallHistoryFacts>;
}

/** The note of a list that should have been ordered by uplift and could not. */
export const NO_UPLIFT_MODEL_NOTE = {
  fr: "Liste classée par probabilité de paiement (et non par ce que l'appel apporte) : aucun modèle d'effet des appels n'a encore été appris. Il le sera au prochain réentraînement (DAG retrain).",
  en: 'List ordered by the chance of payment (not by what the call adds): no model of the effect of a call has been learned yet. The next retrain (retrain DAG) learns it.',
} as const;

/**
 * What orders tonight's list: the configured objective, unless it is `uplift` and some candidate
 * has no learned effect of a call (no uplift model yet), in which case the list falls back to the
 * propensity ordering with {@link NO_UPLIFT_MODEL_NOTE}.
 */
export function effectiveObjective(configured: Objective, candidates: number, withUplift: number): { objective: Objective; note: { fr: string; en: string } | null } {
  const ready = candidates > 0 && withUplift === candidates;
  if (configured === 'uplift' && !ready) return { objective: 'propensity', note: candidates > 0 ? { ...NO_UPLIFT_MODEL_NOTE } : null };
  return { objective: configured, note: null };
}

/** One way to call a candidate: a team, a window, and the expected value of that call. */
export interface CandidateOption {
  teamId: string;
  window: RecommendedWindow;
  ev: ExpectedValue;
}

/** The segment of similar debtors whose contact rates a debtor borrows from. */
export function contactSegment(officeCode: string | null | undefined, phoneType: string | null | undefined): string {
  return `${officeCode ?? '?'}|${phoneType ?? '?'}`;
}

/** What the per-candidate decisions of a list share: the day's team intervals, the contact rates, the amount fallback. */
export interface CandidateContext {
  listDate: IsoDate;
  ranking: RankingConfig;
  profiles: ContactProfiles;
  intervals: ReadonlyMap<string, Interval>;
  fallback: AmountFallback;
  /** What the priority ranks by tonight ({@link effectiveObjective}). */
  objective: Objective;
}

/** What the list makes of one candidate: rules that exclude it, a deferral (no team works it, or a call is expected to add nothing), or its options (team and window). */
export type CandidateOutcome = { kind: 'excluded'; exclusions: ExclusionRow[] } | { kind: 'deferred'; deferred: DeferredRow } | { kind: 'eligible'; options: CandidateOption[] };

/** Decides one candidate: compliance first, then the teams that may work it and every window with each. */
export function evaluateCandidate(c: Candidate, ctx: CandidateContext): CandidateOutcome {
  const { listDate, ranking, profiles, intervals, fallback, objective } = ctx;
  const verdict = evaluateCompliance(c, listDate, ranking.compliance);
  if (verdict.exclusions.length > 0 || !verdict.allowed) return { kind: 'excluded', exclusions: verdict.exclusions.map((e) => ({ debtorId: c.debtorId, ...e })) };
  const allowed = verdict.allowed;
  const amount = expectedAmount(c, fallback);
  const teams = ranking.teams.filter((t) => inPortfolio(t, { officeCode: c.officeCode, creditors: c.creditors, legalStages: c.openStages }));
  const opts: CandidateOption[] = [];
  for (const team of teams) {
    const interval = intersect(allowed, intervals.get(team.id)!);
    if (!interval) continue;
    // Every window of the day is an option: when the best hours are full, the next best are used.
    for (const window of candidateWindows(profiles, c.debtorId, interval, c.timeZone, ranking.contact.windowHours)) {
      const ev = expectedValue({ pPay: c.pPay, amount, pContact: window.pContact, minutes: { contact: team.minutesPerCall, attempt: team.minutesPerAttempt }, upliftP: c.uplift?.upliftP ?? null, objective });
      opts.push({ teamId: team.id, window, ev });
    }
  }
  if (teams.length === 0) {
    const window = recommendWindow(profiles, c.debtorId, allowed, c.timeZone, ranking.contact.windowHours);
    const ev = expectedValue({ pPay: c.pPay, amount, pContact: window.pContact, minutes: { contact: 6, attempt: 1.5 }, upliftP: c.uplift?.upliftP ?? null, objective });
    return { kind: 'deferred', deferred: { debtorId: c.debtorId, teamId: null, reason: 'no_team', pPay: ev.pPay, expectedAmount: ev.expectedAmount, pContact: ev.pContact, priority: ev.priority, expectedRecovery: ev.expectedRecovery, incrementalRecovery: ev.incrementalRecovery, expectedMinutes: ev.expectedMinutes } };
  }
  if (opts.length === 0) {
    return { kind: 'excluded', exclusions: [{ debtorId: c.debtorId, rule: 'calling_hours', detail: `allowed hours ${describe(allowed, c.timeZone)} do not meet the hours of team ${teams.map((t) => `${t.id} (${t.hours})`).join(', ')}` }] };
  }
  // Ordered by what the call adds, a call expected to add nothing (or to put the debtor off) in every
  // window is not made, even with minutes to spare: deferred, and out of the control group too.
  if (objective === 'uplift' && opts.every((o) => (o.ev.incrementalRecovery ?? 0) <= 0)) {
    const best = [...opts].sort((a, b) => b.ev.priority - a.ev.priority)[0]!;
    return { kind: 'deferred', deferred: { debtorId: c.debtorId, teamId: best.teamId, reason: 'no_gain', pPay: best.ev.pPay, expectedAmount: best.ev.expectedAmount, pContact: best.ev.pContact, priority: best.ev.priority, expectedRecovery: best.ev.expectedRecovery, incrementalRecovery: best.ev.incrementalRecovery, expectedMinutes: best.ev.expectedMinutes } };
  }
  return { kind: 'eligible', options: opts };
}

/** A candidate's options as the capacity fit sees them (`ref` points back into `options`). */
export function capacityItem(debtorId: string, options: readonly CandidateOption[]): CapacityItem {
  return { key: debtorId, options: options.map((o, ref) => ({ teamId: o.teamId, priority: o.ev.priority, minutes: o.ev.expectedMinutes, ref, hours: windowHourShares(o.window) })) };
}

/** The list's row of a placed candidate. */
export function listedRow(c: Candidate, a: { teamId: string; rank: number }, o: CandidateOption, listDate: IsoDate, phrasebook?: FeaturePhrasebook, history?: CallHistoryFacts): CallListRow {
  return {
    teamId: a.teamId,
    rank: a.rank,
    debtorId: c.debtorId,
    officeCode: c.officeCode,
    contact: { title: c.title, firstName: c.firstName, lastName: c.lastName, postalCode: c.postalCode, country: c.country },
    phoneE164: c.phoneE164!,
    timeZone: c.timeZone,
    windowStart: o.window.start,
    windowEnd: o.window.end,
    pPay: o.ev.pPay,
    expectedAmount: o.ev.expectedAmount,
    amountBasis: o.ev.amountBasis,
    pContact: o.ev.pContact,
    expectedRecovery: o.ev.expectedRecovery,
    incrementalRecovery: o.ev.incrementalRecovery,
    expectedMinutes: o.ev.expectedMinutes,
    priority: o.ev.priority,
    balance: c.balance,
    reasons: reasonsOf(c, listDate, phrasebook),
    callReasons: callReasons(history, c.uplift ?? null),
    pPayCalled: c.uplift?.pPayCalled ?? null,
    pPayNotCalled: c.uplift?.pPayNotCalled ?? null,
    modelVersionId: c.modelVersionId,
  };
}

/** The deferred row of a candidate that did not fit, with the option it would have had. */
export function capacityDeferredRow(debtorId: string, teamId: string, o: CandidateOption): DeferredRow {
  return { debtorId, teamId, reason: 'capacity', pPay: o.ev.pPay, expectedAmount: o.ev.expectedAmount, pContact: o.ev.pContact, priority: o.ev.priority, expectedRecovery: o.ev.expectedRecovery, incrementalRecovery: o.ev.incrementalRecovery, expectedMinutes: o.ev.expectedMinutes };
}

/** The control-group row of a held-out candidate: its best option, and whether that beat its team's cut-off. */
export function holdoutRow(debtorId: string, options: readonly CandidateOption[], listDate: IsoDate, cutoff: ReadonlyMap<string, number>): HoldoutRow {
  const top = [...options].sort((a, b) => b.ev.priority - a.ev.priority)[0]!;
  return {
    debtorId,
    month: holdoutMonth(listDate),
    teamId: top.teamId,
    pPay: top.ev.pPay,
    expectedAmount: top.ev.expectedAmount,
    pContact: top.ev.pContact,
    priority: top.ev.priority,
    expectedRecovery: top.ev.expectedRecovery,
    incrementalRecovery: top.ev.incrementalRecovery,
    wouldBeListed: top.ev.priority > (cutoff.get(top.teamId) ?? -Infinity),
  };
}

/** The segment of every debtor of the inputs: the candidate's office and phone type, else the office of its calls. */
export function contactSegments(inputs: Pick<CallListInputs, 'candidates' | 'slots'>): Map<string, string> {
  const segments = new Map<string, string>();
  for (const s of inputs.slots) if (!segments.has(s.debtorId)) segments.set(s.debtorId, contactSegment(s.officeCode, undefined));
  for (const c of inputs.candidates) segments.set(c.debtorId, contactSegment(c.officeCode, c.phoneType));
  return segments;
}

/** Builds the call list of `listDate`; the same inputs always give the same list. */
export function assembleCallList(inputs: CallListInputs): CallList {
  const { listDate, ranking } = inputs;
  const segments = contactSegments(inputs);
  const profiles = learnContactProfiles(inputs.slots, (id) => segments.get(id) ?? contactSegment(undefined, undefined));
  const teamOrder = ranking.teams.map((t) => t.id);
  const intervals = new Map(ranking.teams.map((t) => [t.id, teamInterval(listDate, t, inputs.timeZone)]));

  const exclusions: ExclusionRow[] = [];
  const deferred: DeferredRow[] = [];
  const options = new Map<string, CandidateOption[]>();
  const byId = new Map<string, Candidate>();
  const fallback = { typicalPayment: typicalPayment(inputs.candidates.map((c) => c.avgPaymentAmount)), firstPaymentShare: ranking.amount.firstPaymentShare, settleShare: inputs.settleShare ?? 0 };
  // Ranking by uplift needs every candidate's learned effect; without it the night falls back to
  // the propensity ordering and says so (the caller alerts).
  const { objective, note } = effectiveObjective(ranking.objective, inputs.candidates.length, inputs.candidates.filter((c) => c.uplift).length);
  const ctx: CandidateContext = { listDate, ranking, profiles, intervals, fallback, objective };
  const held: string[] = [];
  const items: CapacityItem[] = [];
  for (const c of inputs.candidates) {
    byId.set(c.debtorId, c);
    const outcome = evaluateCandidate(c, ctx);
    if (outcome.kind === 'excluded') exclusions.push(...outcome.exclusions);
    else if (outcome.kind === 'deferred') deferred.push(outcome.deferred);
    else {
      options.set(c.debtorId, outcome.options);
      if (isInHoldout(c.debtorId, listDate, ranking.holdout)) held.push(c.debtorId);
      else items.push(capacityItem(c.debtorId, outcome.options));
    }
  }

  const capacities = new Map(ranking.teams.map((t) => [t.id, teamCapacityMinutes(t)]));
  const hourly = new Map(ranking.teams.map((t) => [t.id, teamHourlyCapacity(t, intervals.get(t.id)!)]));
  const fit = fitToCapacity(items, capacities, teamOrder, hourly);
  const rows: CallListRow[] = fit.assigned.map((a) => listedRow(byId.get(a.key)!, a, options.get(a.key)![a.option.ref ?? 0]!, listDate, inputs.phrasebook, inputs.callHistory?.get(a.key)));
  for (const d of fit.deferred) deferred.push(capacityDeferredRow(d.key, d.option.teamId, options.get(d.key)![d.option.ref ?? 0]!));
  const holdout: HoldoutRow[] = held.map((id) => holdoutRow(id, options.get(id)!, listDate, fit.cutoff));
  return {
    listDate,
    runId: inputs.runId,
    settleShare: fallback.settleShare,
    modelVersionId: mostCommon(inputs.candidates.map((c) => c.modelVersionId)),
    candidates: inputs.candidates.length,
    objective,
    objectiveConfigured: ranking.objective,
    upliftModelVersionId: mostCommon(inputs.candidates.map((c) => c.uplift?.modelVersionId ?? '')),
    note,
    rows,
    exclusions,
    deferred,
    holdout,
  };
}

/** The reasons shown for a listed candidate: its explanation first, then facts of its file. */
export function reasonsOf(c: Candidate, listDate: IsoDate, phrasebook?: FeaturePhrasebook, explanation: Candidate['explanation'] = c.explanation): Reason[] {
  return topReasons(explanation, { listDate, lastPaymentOn: c.lastPaymentOn, lastPaymentAmount: c.lastPaymentAmount, balance: c.balance, lastKeptPromiseOn: c.lastKeptPromiseOn, openPromiseAmount: c.openPromiseAmount, openPromiseDueOn: c.openPromiseDueOn }, phrasebook);
}

function describe(i: Interval, timeZone: string): string {
  const a = localParts(i.start, timeZone);
  const b = localParts(i.end, timeZone);
  const hm = (p: { hour: number; minute: number }): string => `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  return `${hm(a)}-${hm(b)} ${timeZone}`;
}

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return mostCommonOf(counts);
}

/** The value counted most often (the first in sort order on a tie), or null when none is. */
export function mostCommonOf(counts: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let n = 0;
  for (const [v, k] of [...counts].sort()) if (k > n) [best, n] = [v, k];
  return best;
}
