/**
 * What an agent needs on screen before dialling, in one read: who, the balance and open cases,
 * the last payment, the open or broken promise, the rank and window of today's list with its
 * reasons, the last contacts (the office's and the call room's), the model's explanation in
 * points of probability, and what similar debtors paid. Phone numbers follow the role's masking.
 */
import type { Knex } from 'knex';
import { isoDate, type IsoDate } from '../../core/ids';
import { explainScores } from '../../pipeline/score-snapshot';
import { NotFoundError } from '../../core/errors';
import { maskPhone, type Role } from '../auth/roles';
import { plainEffects, type ExplanationTerm, type PlainEffect } from './plain-explanation';
import { similarDebtors, type SimilarDebtors } from './similar-debtors';

/** A promise and where it stands on the list date. */
export interface PromiseState {
  state: 'open' | 'broken' | 'kept';
  amount: number;
  promisedOn: string;
  dueOn: string | null;
}

/** A past call, from the office's history or the call room's log. */
export interface PastContact {
  at: string;
  outcome: string;
  agent: string | null;
  source: 'office' | 'call_room';
  note: string | null;
  /** The callback agreed on the call, when there was one. */
  callbackAt: string | null;
}

/** The brief of one debtor for one list date. */
export interface DebtorBrief {
  debtorId: string;
  listDate: string;
  name: { title: string | null; firstName: string | null; lastName: string | null };
  timeZone: string;
  listing: {
    rank: number;
    teamId: string;
    windowStart: string | null;
    windowEnd: string | null;
    pPay: number;
    phone: string | null;
    reasons: { fr?: string; en?: string; text?: string }[];
    /** Why the call matters for this debtor (call, promise and payment history; the uplift model). */
    callReasons: { fr?: string; en?: string; text?: string }[];
    /** What the call adds (EUR), null without an uplift model. */
    incrementalRecovery: number | null;
  } | null;
  exclusions: { rule: string; detail: string }[];
  balance: number | null;
  openCases: { caseId: string; creditor: string | null; amount: number; legalStage: string | null; disputed: boolean }[];
  lastPayment: { on: string; amount: number } | null;
  promise: PromiseState | null;
  lastContacts: PastContact[];
  explanation: { asOf: string; pPay: number; effects: PlainEffect[] } | null;
  similar: SimilarDebtors;
}

const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const instant = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const addDays = (d: string, n: number): string => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);

/** The brief of `debtorId` for `listDate`, as `role` may see it. */
export async function debtorBrief(knex: Knex, debtorId: string, listDate: string, role: Role): Promise<DebtorBrief> {
  const profile = await knex('clean.debtors').where({ debtor_id: debtorId }).first();
  if (!profile) throw new NotFoundError(`no debtor ${debtorId}`);
  const [listed, exclusions, features, cases, lastPayment, promises, officeCalls, roomCalls, score, similar] = await Promise.all([
    knex('dialer.call_list').where({ list_date: listDate, debtor_id: debtorId }).first(),
    knex('dialer.exclusions').where({ list_date: listDate, debtor_id: debtorId }).orderBy('rule').select('rule', 'detail'),
    knex('features.debtor_features').where({ debtor_id: debtorId }).where('as_of', '<=', listDate).orderBy('as_of', 'desc').first('balance'),
    knex('clean.cases').where({ debtor_id: debtorId, status: 'open' }).orderBy('opened_on').select('case_id', 'creditor', 'principal', 'fees', 'legal_stage', 'disputed'),
    knex('clean.payments').where({ debtor_id: debtorId }).where('paid_on', '<', listDate).orderBy([{ column: 'paid_on', order: 'desc' }, { column: 'amount', order: 'desc' }]).first('paid_on', 'amount'),
    knex('clean.promises').where({ debtor_id: debtorId }).orderBy([{ column: 'promised_on', order: 'desc' }, { column: 'promise_id', order: 'desc' }]).limit(5).select('promise_id', 'case_id', 'promised_on', 'amount', 'due_on'),
    knex('clean.calls').where({ debtor_id: debtorId }).whereNot('call_id', 'like', 'RL-%').orderBy('called_at', 'desc').limit(5).select('called_at', 'outcome', 'agent'),
    knex('dialer.call_outcomes').where({ debtor_id: debtorId }).orderBy('called_at', 'desc').limit(5).select('outcome_id', 'called_at', 'outcome', 'agent_name', 'note', 'case_id', 'promise_amount', 'promise_due_on', 'callback_at'),
    knex('scoring.scores').where({ debtor_id: debtorId }).where('as_of', '<=', listDate).orderBy('as_of', 'desc').first('as_of', 'p_pay', 'explanation'),
    similarDebtors(knex, debtorId, listDate),
  ]);

  const logged = (roomCalls as Record<string, unknown>[]).filter((c) => c.outcome === 'promise').map((c) => ({ promise_id: `call:RL-${String(c.outcome_id)}`, case_id: c.case_id, promised_on: c.called_at, amount: c.promise_amount, due_on: c.promise_due_on }));
  const known = new Set((promises as Record<string, unknown>[]).map((p) => String(p.promise_id)));
  const allPromises = [...logged.filter((p) => !known.has(p.promise_id)), ...(promises as Record<string, unknown>[])];
  const latestPromise = allPromises.sort((a, b) => String(isoDate(b.promised_on)).localeCompare(String(isoDate(a.promised_on))))[0];
  const promise = latestPromise ? await promiseState(knex, latestPromise, listDate) : null;

  const contacts: PastContact[] = [
    ...(officeCalls as Record<string, unknown>[]).map((c) => ({ at: instant(c.called_at) as string, outcome: String(c.outcome ?? 'unknown'), agent: text(c.agent), source: 'office' as const, note: null, callbackAt: null })),
    ...(roomCalls as Record<string, unknown>[]).map((c) => ({ at: instant(c.called_at) as string, outcome: String(c.outcome), agent: text(c.agent_name), source: 'call_room' as const, note: text(c.note), callbackAt: instant(c.callback_at) })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, 5);

  // Scores are explained when shown; a debtor opened here is explained now (and stored).
  const stored = score ? (json(score.explanation) as ExplanationTerm[] | null) : null;
  const terms = stored ?? (score ? ((await explainScores(knex, { asOf: isoDate(score.as_of) as IsoDate, debtorIds: [debtorId] })).get(debtorId) ?? []) : []);
  return {
    debtorId,
    listDate,
    name: { title: text(profile.title), firstName: text(profile.first_name), lastName: text(profile.last_name) },
    timeZone: text(profile.time_zone) ?? 'Europe/Paris',
    listing: listed
      ? {
          rank: Number(listed.rank),
          teamId: String(listed.team_id),
          windowStart: instant(listed.window_start),
          windowEnd: instant(listed.window_end),
          pPay: Number(listed.p_pay),
          phone: maskPhone(text(listed.phone_e164), role),
          reasons: (json(listed.reasons) as { fr?: string; en?: string; text?: string }[] | null) ?? [],
          callReasons: (json(listed.call_reasons) as { fr?: string; en?: string; text?: string }[] | null) ?? [],
          incrementalRecovery: listed.incremental_recovery === null || listed.incremental_recovery === undefined ? null : Number(listed.incremental_recovery),
        }
      : null,
    exclusions: (exclusions as { rule: string; detail: string }[]).map((e) => ({ rule: e.rule, detail: e.detail })),
    balance: features ? Number(features.balance) : null,
    openCases: (cases as Record<string, unknown>[]).map((c) => ({ caseId: String(c.case_id), creditor: text(c.creditor), amount: Number(c.principal ?? 0) + Number(c.fees ?? 0), legalStage: text(c.legal_stage), disputed: c.disputed === true })),
    lastPayment: lastPayment ? { on: isoDate(lastPayment.paid_on) as string, amount: Number(lastPayment.amount) } : null,
    promise,
    lastContacts: contacts,
    explanation: score ? { asOf: isoDate(score.as_of) as string, pPay: Number(score.p_pay), effects: plainEffects(Number(score.p_pay), terms) } : null,
    similar,
  };
}

/** Open until its due date plus 7 days of grace; kept when the case received a payment in that time; broken after. */
async function promiseState(knex: Knex, p: Record<string, unknown>, listDate: string): Promise<PromiseState> {
  const promisedOn = isoDate(p.promised_on) ?? String(p.promised_on).slice(0, 10);
  const dueOn = isoDate(p.due_on);
  const base = { amount: Number(p.amount ?? 0), promisedOn, dueOn };
  if (!dueOn) return { ...base, state: 'open' };
  const paid = p.case_id
    ? await knex('clean.payments').where({ case_id: p.case_id }).where('paid_on', '>=', promisedOn).where('paid_on', '<=', addDays(dueOn, 7)).where('paid_on', '<', listDate).first('payment_id')
    : undefined;
  if (paid) return { ...base, state: 'kept' };
  return { ...base, state: addDays(dueOn, 7) < listDate ? 'broken' : 'open' };
}
