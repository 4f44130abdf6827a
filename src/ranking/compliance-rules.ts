/**
 * The compliance rules that keep a debtor off the list, applied before ranking. Every rule that
 * applies is recorded with a plain detail, so each exclusion can be explained and audited.
 *
 * Shipped defaults (config `ranking.compliance`): US calling hours 08:00–21:00 local (FDCPA,
 * 15 U.S.C. 1692c(a)(1)); in France, where no statute sets hours for amicable collection, a
 * conservative weekdays 08:00–20:00 without public holidays. Frequency caps per Regulation F
 * (12 CFR 1006.14(b)(2)): at most 7 attempts in 7 consecutive days and none in the 7 days that
 * start on the day of a telephone conversation.
 */
import { addDays, type IsoDate } from '../core/ids';
import type { ComplianceConfig, ComplianceRegime } from '../config/schema/ranking';
import { allowedCallingDay, type Interval } from './calling-window';

/** The rules, by the name recorded in `dialer.exclusions.rule`. */
export const COMPLIANCE_RULES = [
  'do_not_call',
  'cease_communication',
  'legal_stage',
  'no_open_case',
  'disputed',
  'no_valid_phone',
  'frequency_cap',
  'after_conversation',
  'calling_day',
  'calling_hours',
] as const;

/** The name of a compliance rule. */
export type ComplianceRule = (typeof COMPLIANCE_RULES)[number];

/** A rule that keeps a debtor off tonight's list, with a detail for the audit. */
export interface Exclusion {
  rule: ComplianceRule;
  detail: string;
}

/** What the rules need to know about a debtor. */
export interface ComplianceFacts {
  country: string | null;
  timeZone: string;
  postalCode: string | null;
  /** A standing do-not-call request, from any source (the export's flag, a call, the office, …). */
  doNotCall: boolean;
  /** Where the request comes from (`calls since 2026-11-02`), for the detail. */
  doNotCallSources?: string | null;
  /** Request to cease communication. */
  ceaseCommunication: boolean;
  /** Legal stages of the debtor's open cases. */
  openStages: readonly string[];
  /** Number of open cases marked disputed. */
  disputedOpenCases: number;
  /** The phone to call, or null when no valid number is known. */
  phoneE164: string | null;
  /** Local dates (debtor's time zone) of the call attempts of the last weeks, one entry per attempt. */
  attemptDates: readonly IsoDate[];
  /** Local date of the last telephone conversation (right-party contact, promise, refusal). */
  lastConversationOn: IsoDate | null;
}

/** The regime that applies to a debtor of `country`. */
export function regimeFor(country: string | null, compliance: ComplianceConfig): ComplianceRegime {
  const regime = (country ? compliance.regimes[country.toUpperCase()] : undefined) ?? compliance.regimes[compliance.defaultRegime];
  if (!regime) throw new RangeError(`no compliance regime ${compliance.defaultRegime}`);
  return regime;
}

/** The verdict on one debtor: every rule that excludes it, and the allowed interval of the day. */
export interface ComplianceVerdict {
  exclusions: Exclusion[];
  regime: ComplianceRegime;
  /** The allowed calling interval of the list date, when the day allows calls. */
  allowed?: Interval;
}

/** Applies every debtor-level rule for the calls of `listDate`. */
export function evaluateCompliance(facts: ComplianceFacts, listDate: IsoDate, compliance: ComplianceConfig): ComplianceVerdict {
  const regime = regimeFor(facts.country, compliance);
  const exclusions: Exclusion[] = [];
  if (facts.doNotCall) exclusions.push({ rule: 'do_not_call', detail: facts.doNotCallSources ? `do-not-call request (${facts.doNotCallSources})` : 'do-not-call request' });
  if (facts.ceaseCommunication) exclusions.push({ rule: 'cease_communication', detail: 'request to cease communication' });
  const stopped = facts.openStages.filter((s) => regime.stopLegalStages.includes(s));
  if (stopped.length > 0) exclusions.push({ rule: 'legal_stage', detail: `calls stop in legal stage ${[...new Set(stopped)].join(', ')}` });
  else if (facts.openStages.length === 0) exclusions.push({ rule: 'no_open_case', detail: 'no open case' });
  if (regime.excludeDisputed && facts.disputedOpenCases > 0) exclusions.push({ rule: 'disputed', detail: `${facts.disputedOpenCases} disputed open case(s)` });
  if (!facts.phoneE164) exclusions.push({ rule: 'no_valid_phone', detail: 'no valid phone number' });
  const frequency = frequencyExclusions(facts, listDate, regime);
  exclusions.push(...frequency);
  const day = allowedCallingDay(listDate, facts, regime);
  if (!day.allowed) {
    exclusions.push({ rule: day.rule, detail: day.detail });
    return { exclusions, regime };
  }
  return { exclusions, regime, allowed: day.interval };
}

/** The frequency caps of Regulation F: attempts in the period ending today, and quiet days after a conversation. */
export function frequencyExclusions(facts: Pick<ComplianceFacts, 'attemptDates' | 'lastConversationOn'>, listDate: IsoDate, regime: ComplianceRegime): Exclusion[] {
  const out: Exclusion[] = [];
  const { maxAttempts, periodDays, quietDaysAfterConversation } = regime.frequency;
  // Today's call would be one more attempt in the period [today - (periodDays - 1), today].
  const periodStart = addDays(listDate, -(periodDays - 1));
  const attempts = facts.attemptDates.filter((d) => d >= periodStart && d <= listDate).length;
  if (attempts >= maxAttempts) out.push({ rule: 'frequency_cap', detail: `${attempts} attempts since ${periodStart} (at most ${maxAttempts} in ${periodDays} days)` });
  if (facts.lastConversationOn && quietDaysAfterConversation > 0) {
    const firstAllowed = addDays(facts.lastConversationOn, quietDaysAfterConversation);
    if (listDate < firstAllowed) out.push({ rule: 'after_conversation', detail: `conversation on ${facts.lastConversationOn}: no call before ${firstAllowed}` });
  }
  return out;
}
