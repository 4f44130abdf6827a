/**
 * A scored debtor as read for tonight's list (`sql/ranking/candidates.sql`), typed.
 */
import type { IsoDate } from '../core/ids';
import type { Contribution } from './reasons';

/** Everything the list needs to know about one scored debtor. */
export interface Candidate {
  debtorId: string;
  pPay: number;
  modelVersionId: string;
  /** The uplift model's predictions (null before the first uplift model): P(pay) if called, if not, and the shrunk effect the list ranks by. */
  uplift?: { modelVersionId: string; pPayCalled: number; pPayNotCalled: number; upliftP: number } | null;
  explanation: Contribution[];
  balance: number;
  avgPaymentAmount: number | null;
  lastPaymentAmount: number | null;
  openPromiseAmount: number;
  officeCode: string | null;
  country: string | null;
  postalCode: string | null;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  timeZone: string;
  doNotCall: boolean;
  /** Where the standing do-not-call requests come from, for the exclusion's detail. */
  doNotCallSources?: string | null;
  ceaseCommunication: boolean;
  openStages: string[];
  creditors: string[];
  disputedOpenCases: number;
  phoneE164: string | null;
  phoneType: string | null;
  attemptDates: IsoDate[];
  lastConversationOn: IsoDate | null;
  lastPaymentOn: IsoDate | null;
  lastKeptPromiseOn: IsoDate | null;
  openPromiseDueOn: IsoDate | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const list = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  // Text arrays arrive as '{a,b}' when the driver does not parse them.
  if (typeof v === 'string' && v.startsWith('{')) return v.slice(1, -1).split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, ''));
  return [];
};

function parseExplanation(v: unknown): Contribution[] {
  const raw = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as { feature?: unknown }).feature === 'string')
    .map((c) => ({ feature: String(c.feature), value: c.value === null || c.value === undefined ? null : Number(c.value), contribution: Number(c.contribution ?? 0) }));
}

/** Types one row of `sql/ranking/candidates.sql`. */
export function toCandidate(row: Record<string, unknown>): Candidate {
  return {
    debtorId: String(row.debtor_id),
    pPay: Number(row.p_pay),
    modelVersionId: String(row.model_version_id ?? ''),
    uplift:
      row.uplift_p === null || row.uplift_p === undefined
        ? null
        : { modelVersionId: String(row.uplift_model_version_id ?? ''), pPayCalled: Number(row.p_pay_called), pPayNotCalled: Number(row.p_pay_not_called), upliftP: Number(row.uplift_p) },
    explanation: parseExplanation(row.explanation),
    balance: Number(row.balance ?? 0),
    avgPaymentAmount: num(row.avg_payment_amount),
    lastPaymentAmount: num(row.last_payment_fact_amount) ?? num(row.last_payment_amount),
    openPromiseAmount: Number(row.open_promise_amount ?? 0),
    officeCode: text(row.office_code),
    country: text(row.country),
    postalCode: text(row.postal_code),
    title: text(row.title),
    firstName: text(row.first_name),
    lastName: text(row.last_name),
    timeZone: String(row.time_zone ?? 'Europe/Paris'),
    doNotCall: row.do_not_call === true,
    doNotCallSources: text(row.do_not_call_sources) || null,
    ceaseCommunication: row.cease_communication === true,
    openStages: list(row.open_stages),
    creditors: list(row.creditors),
    disputedOpenCases: Number(row.disputed_open ?? 0),
    phoneE164: text(row.phone_e164),
    phoneType: text(row.phone_type),
    attemptDates: list(row.attempt_dates),
    lastConversationOn: text(row.last_conversation_on),
    lastPaymentOn: text(row.last_payment_on),
    lastKeptPromiseOn: text(row.last_kept_promise_on),
    openPromiseDueOn: text(row.open_promise_due_on),
  };
}
