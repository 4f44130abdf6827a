/**
 * What the lead's view and the accent-blind search need on top of the API fixture: two debtors
 * with accented names on the list, debtors excluded by several rules, deferred for capacity and
 * in the control group, the publication's counts, the day's calls and promises per agent, and a
 * failed night for the next list date.
 */
import type { Knex } from 'knex';
import { addDays } from '../../src/core/ids';

/** What {@link seedLeadDay} added. */
export interface LeadFixture {
  /** Debtors added to the list of `listDate`: Lefèvre Frédéric and Frederic Anaïs. */
  accented: { debtorId: string; lastName: string; firstName: string }[];
  /** Excluded debtors per rule (a debtor may count under two rules). */
  excludedByRule: Record<string, string[]>;
  /** The list date whose night failed (`listDate` + 1). */
  failedDate: string;
  /** The day's calls per agent, as seeded. */
  calls: Record<string, { calls: number; contacts: number; promises: number; promised: number }>;
}

const PEOPLE: [string, string, string][] = [
  ['X00001', 'Lefèvre', 'Frédéric'],
  ['X00002', 'Frederic', 'Anaïs'],
  ['X00003', 'Gérard', 'Hélène'],
  ['X00004', 'Noël', 'Jérôme'],
  ['X00005', 'Bézier', 'Zoé'],
  ['X00006', 'Müller', 'Björn'],
  ['X00007', 'Perrin', 'Maëlle'],
  ['X00008', 'Roussel', 'Cédric'],
];

/** Exclusion details as the nightly ranking writes them (src/ranking/compliance-rules.ts). */
const DETAILS: Record<string, string> = {
  do_not_call: 'do-not-call request',
  disputed: '1 disputed open case(s)',
  calling_hours: 'allowed hours 08:00-20:00 do not meet the hours of team equipe-1 (21:00-22:00)',
  frequency_cap: '7 attempts since 2026-11-17 (at most 7 in 7 days)',
};

/** Adds the lead's day to a database seeded by seedApiDatabase. */
export async function seedLeadDay(knex: Knex, listDate: string): Promise<LeadFixture> {
  await knex('clean.debtors').insert(PEOPLE.map(([id, last, first]) => ({ debtor_id: id, office_code: 'ETU01', title: 'M.', last_name: last, first_name: first, country: 'FR', time_zone: 'Europe/Paris', do_not_call: false, _load_id: 'load-1' })));
  const maxRank = Number((await knex('dialer.call_list').where({ list_date: listDate, team_id: 'equipe-1' }).max('rank as m').first())?.m ?? 0);
  await knex('dialer.call_list').insert(PEOPLE.slice(0, 2).map(([id], i) => ({
    list_date: listDate, team_id: 'equipe-1', rank: maxRank + 1 + i, debtor_id: id, office_code: 'ETU01', p_pay: 0.31, expected_amount: 120, amount_basis: 'balance_share', p_contact: 0.4,
    expected_recovery: 14.88, expected_minutes: 6, priority: 2.48, balance: 1234.56, time_zone: 'America/Guadeloupe',
    window_start: `${listDate}T14:00:00Z`, window_end: `${listDate}T16:00:00Z`,
    reasons: JSON.stringify([{ feature: 'n_payments_90d', contribution: 0.4, fr: '2 paiements ces 90 derniers jours', en: '2 payments in the last 90 days', text: '2 paiements ces 90 derniers jours' }]),
    incremental_recovery: 5.76, p_pay_called: 0.42, p_pay_not_called: 0.18,
    call_reasons: JSON.stringify([{ feature: 'phone_promises_kept', contribution: null, fr: 'a tenu 2 promesses faites au téléphone', en: 'kept 2 promises made on the phone', text: 'a tenu 2 promesses faites au téléphone' }]),
    phone_e164: `+3361234567${i}`, model_version_id: 'logistic-v1', run_id: `nightly_call_list__${listDate}`,
  })));
  const excludedByRule: Record<string, string[]> = { do_not_call: ['X00003', 'X00004'], disputed: ['X00005'], calling_hours: ['X00006', 'X00007'], frequency_cap: ['X00008', 'X00003'] };
  await knex('dialer.exclusions').insert(Object.entries(excludedByRule).flatMap(([rule, ids]) => ids.map((id) => ({ list_date: listDate, debtor_id: id, rule, detail: DETAILS[rule] ?? rule, run_id: `nightly_call_list__${listDate}` }))));
  const ev = { p_pay: 0.2, expected_amount: 100, p_contact: 0.5, priority: 1.5, expected_recovery: 10, expected_minutes: 6 };
  await knex('dialer.deferred').insert([
    { list_date: listDate, debtor_id: 'D00001', team_id: 'equipe-1', reason: 'capacity', ...ev },
    { list_date: listDate, debtor_id: 'D00002', team_id: 'equipe-1', reason: 'capacity', ...ev },
    { list_date: listDate, debtor_id: 'D00003', team_id: 'equipe-2', reason: 'capacity', ...ev },
    { list_date: listDate, debtor_id: 'D00004', team_id: null, reason: 'no_team', ...ev },
  ]);
  const { expected_minutes: _minutes, ...held } = ev;
  await knex('dialer.holdout').insert([
    { list_date: listDate, debtor_id: 'D00005', month: listDate.slice(0, 7), team_id: 'equipe-1', would_be_listed: true, ...held },
    { list_date: listDate, debtor_id: 'D00006', month: listDate.slice(0, 7), team_id: 'equipe-2', would_be_listed: true, ...held },
    { list_date: listDate, debtor_id: 'D00007', month: listDate.slice(0, 7), team_id: 'equipe-1', would_be_listed: false, ...held },
  ]);
  const listed = Number((await knex('dialer.call_list').where({ list_date: listDate }).count('* as n').first())?.n);
  await knex('dialer.publications').insert({ list_date: listDate, run_id: `nightly_call_list__${listDate}`, model_version_id: 'logistic-v1', candidates: listed + 6 + 4 + 3, listed, excluded: 6, deferred: 4, holdout: 3, expected_recovery: 1000, published_at: `${listDate}T01:20:00Z` });

  // The day's calls (10:00–11:00 Paris time) by two agents, and the promises they took.
  const calls: LeadFixture['calls'] = { 'Agnès': { calls: 3, contacts: 2, promises: 1, promised: 150 }, Bruno: { calls: 2, contacts: 1, promises: 1, promised: 80.5 } };
  const at = (minute: number) => new Date(Date.parse(`${listDate}T09:00:00Z`) + minute * 60_000);
  await knex('clean.calls').insert([
    { call_id: 'L1', debtor_id: 'D00010', called_at: at(1), outcome: 'no_answer', agent: 'Agnès', duration_s: 20 },
    { call_id: 'L2', debtor_id: 'D00011', called_at: at(5), outcome: 'promise', agent: 'Agnès', duration_s: 200 },
    { call_id: 'L3', debtor_id: 'D00012', called_at: at(9), outcome: 'refusal', agent: 'Agnès', duration_s: 90 },
    { call_id: 'L4', debtor_id: 'D00013', called_at: at(3), outcome: 'busy', agent: 'Bruno', duration_s: 5 },
    { call_id: 'L5', debtor_id: 'D00014', called_at: at(12), outcome: 'right_party_contact', agent: 'Bruno', duration_s: 150 },
  ]);
  await knex('clean.promises').insert([
    { promise_id: 'LP1', case_id: 'CD00011', debtor_id: 'D00011', promised_on: listDate, amount: 150, due_on: addDays(listDate, 10) },
    { promise_id: 'LP2', case_id: 'CD00014', debtor_id: 'D00014', promised_on: listDate, amount: 80.5, due_on: addDays(listDate, 7) },
  ]);

  // Two calls logged in the call room by Céline (a promise of 200 €, no answer); the first came back
  // through the night's extract as RL-<outcome_id> in clean.calls and must not count twice.
  await knex('dialer.call_outcomes').insert([
    { outcome_id: 'O1', idempotency_key: 'k-O1', list_date: listDate, debtor_id: 'D00020', agent_id: 'tok-celine', agent_name: 'Céline', outcome: 'promise', promise_amount: 200, promise_due_on: addDays(listDate, 5), called_at: at(20), created_by: 'Céline' },
    { outcome_id: 'O2', idempotency_key: 'k-O2', list_date: listDate, debtor_id: 'D00021', agent_id: 'tok-celine', agent_name: 'Céline', outcome: 'no_answer', called_at: at(25), created_by: 'Céline' },
  ]);
  await knex('clean.calls').insert({ call_id: 'RL-O1', debtor_id: 'D00020', called_at: at(20), outcome: 'promise', agent: 'Céline' });
  await knex('clean.promises').insert({ promise_id: 'call:RL-O1', debtor_id: 'D00020', promised_on: listDate, amount: 200, due_on: addDays(listDate, 5) });
  calls['Céline'] = { calls: 2, contacts: 1, promises: 1, promised: 200 };

  // The next night failed: its list date has no list, and the team works from listDate's.
  const failedDate = addDays(listDate, 1);
  const start = new Date(`${listDate}T01:00:00Z`);
  await knex('orchestrator.dag_runs').insert({ run_id: `nightly_call_list__manual_${failedDate}`, dag_id: 'nightly_call_list', logical_date: new Date(start.getTime() + 3600_000), data_interval_start: start, data_interval_end: new Date(start.getTime() + 86400_000), run_type: 'manual', state: 'failed', conf: JSON.stringify({ list_date: failedDate }), started_at: new Date(start.getTime() + 86400_000), ended_at: new Date(start.getTime() + 86400_000 + 600_000) });
  return { accented: PEOPLE.slice(0, 2).map(([debtorId, lastName, firstName]) => ({ debtorId, lastName, firstName })), excludedByRule, failedDate, calls };
}
