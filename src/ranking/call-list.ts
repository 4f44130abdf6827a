/**
 * The call list of one date as a value: the ranked rows per team with every term of their
 * priority, and the debtors kept off it (excluded by a rule, deferred for capacity, held out as
 * control). Built by {@link assembleCallList}, written by `publish.ts`.
 */
import type { IsoDate } from '../core/ids';
import type { ExpectedValue } from './expected-value';
import type { ComplianceRule } from './compliance-rules';
import type { Reason } from './reasons';

/** One row of the published list, with the terms of its expected value. */
export interface CallListRow extends ExpectedValue {
  teamId: string;
  /** 1 = call first, within the team. */
  rank: number;
  debtorId: string;
  officeCode: string | null;
  /** Name and address fields for the dialer's screen (not stored in dialer.call_list). */
  contact: { title: string | null; firstName: string | null; lastName: string | null; postalCode: string | null; country: string | null };
  phoneE164: string;
  timeZone: string;
  windowStart: Date;
  windowEnd: Date;
  balance: number;
  reasons: Reason[];
  /** Why the call matters for this debtor, from its call, promise and payment history (src/ranking/call-reasons.ts). */
  callReasons?: Reason[];
  /** P(pay) if called and if not called (uplift model); null without one. */
  pPayCalled?: number | null;
  pPayNotCalled?: number | null;
  modelVersionId: string;
}

/** A debtor kept off the list by a rule. */
export interface ExclusionRow {
  debtorId: string;
  rule: ComplianceRule;
  detail: string;
}

/** An eligible debtor that did not fit. */
export interface DeferredRow {
  debtorId: string;
  /** The team it would have gone to; null when no team's portfolio covers it. */
  teamId: string | null;
  /** capacity: did not fit; no_team: no team works its portfolio; no_gain: ordered by uplift, the call is expected to add nothing. */
  reason: 'capacity' | 'no_team' | 'no_gain';
  pPay: number;
  expectedAmount: number;
  pContact: number;
  priority: number;
  expectedRecovery: number;
  incrementalRecovery?: number | null;
  expectedMinutes: number;
}

/** A debtor of the control group. */
export interface HoldoutRow {
  debtorId: string;
  month: string;
  teamId: string | null;
  pPay: number;
  expectedAmount: number;
  pContact: number;
  priority: number;
  expectedRecovery: number;
  incrementalRecovery?: number | null;
  /** Whether its priority beat the cut-off of its team's list. */
  wouldBeListed: boolean;
}

/** The call list of one date. */
export interface CallList {
  listDate: IsoDate;
  runId: string;
  /** The model version of the scores (the most common one when several). */
  modelVersionId: string | null;
  /** Share of recent payments that settled their case, used in the expected amounts. */
  settleShare: number;
  /** Scored debtors considered. */
  candidates: number;
  /** What ordered the list: the configured objective, or `propensity` when `uplift` had no uplift model to rank by. */
  objective?: 'uplift' | 'propensity';
  /** The configured `ranking.objective`. */
  objectiveConfigured?: 'uplift' | 'propensity';
  /** The uplift model of the scores (the most common one), when any. */
  upliftModelVersionId?: string | null;
  /** What the team should know about how the list was ordered (the fallback), in French and English; null when nothing. */
  note?: { fr: string; en: string } | null;
  rows: CallListRow[];
  exclusions: ExclusionRow[];
  deferred: DeferredRow[];
  holdout: HoldoutRow[];
}
