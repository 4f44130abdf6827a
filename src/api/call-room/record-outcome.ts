/**
 * Logs one call in relance's call log, in one transaction: the outcome row (once per idempotency
 * key), the claim marked worked, and what compliance must know at once — a do-not-call request is
 * permanent from today, a dispute keeps the debtor off every list until it is lifted.
 */
import type { Knex } from 'knex';
import { newId, dateInZone, isoDate } from '../../core/ids';
import { NotFoundError, ValidationError } from '../../core/errors';
import { recordContactRequest } from '../../ranking/contact-requests';
import type { OutcomeInput } from './outcome-input';

/** Who logs the call. */
export interface CallAgent {
  agentId: string;
  name: string;
}

/** A logged call, as stored. */
export interface LoggedCall {
  outcomeId: string;
  /** False when the idempotency key was already used: the earlier row is returned. */
  created: boolean;
  listDate: string;
  debtorId: string;
  outcome: string;
  caseId: string | null;
  calledAt: string;
}

/** The latest published list date (the list the call room works). */
export async function currentListDate(knex: Knex | Knex.Transaction): Promise<string | null> {
  const row = (await knex.raw(`select greatest((select max(list_date) from dialer.publications), (select max(list_date) from dialer.call_list)) as d`)) as { rows: { d: unknown }[] };
  return isoDate(row.rows[0]?.d);
}

/** Records `input` for `agent` at `now`; a second call with the same idempotency key returns the first row. */
export async function recordOutcome(knex: Knex, input: OutcomeInput, agent: CallAgent, now: Date): Promise<LoggedCall> {
  return knex.transaction(async (trx) => {
    const existing = await trx('dialer.call_outcomes').where({ idempotency_key: input.idempotencyKey }).first();
    if (existing) return toLogged(existing, false);
    const debtor = (await trx('clean.debtors').where({ debtor_id: input.debtorId }).first('debtor_id', 'time_zone')) as { time_zone: string | null } | undefined;
    if (!debtor) throw new NotFoundError(`no debtor ${input.debtorId}`);
    const listDate = input.listDate ?? (await currentListDate(trx));
    if (!listDate) throw new ValidationError('listDate: no list is published yet', { context: { field: 'listDate' } });
    const caseId = input.caseId ?? (await mainOpenCase(trx, input.debtorId));
    if (input.caseId) {
      const known = await trx('clean.cases').where({ case_id: input.caseId, debtor_id: input.debtorId }).first('case_id');
      if (!known) throw new ValidationError(`caseId: no case ${input.caseId} of this debtor`, { context: { field: 'caseId' } });
    }
    if (input.outcome === 'promise' && !caseId) throw new ValidationError('caseId: the debtor has no open case to promise on', { context: { field: 'caseId' } });
    const listed = (await trx('dialer.call_list').where({ list_date: listDate, debtor_id: input.debtorId }).first('phone_e164')) as { phone_e164: string | null } | undefined;
    const row = {
      outcome_id: newId(),
      idempotency_key: input.idempotencyKey,
      list_date: listDate,
      debtor_id: input.debtorId,
      case_id: caseId,
      phone_e164: listed?.phone_e164 ?? null,
      agent_id: agent.agentId,
      agent_name: agent.name,
      outcome: input.outcome,
      promise_amount: input.outcome === 'promise' ? input.promiseAmount : null,
      promise_due_on: input.outcome === 'promise' ? input.promiseDueOn : null,
      callback_at: input.outcome === 'callback' ? input.callbackAt : null,
      note: input.note?.trim() || null,
      called_at: now,
      created_at: now,
      created_by: agent.name,
    };
    // A concurrent double submit loses the race on the unique key and reads the winner's row.
    const inserted = await trx('dialer.call_outcomes').insert(row).onConflict('idempotency_key').ignore().returning('*');
    if (inserted.length === 0) return toLogged(await trx('dialer.call_outcomes').where({ idempotency_key: input.idempotencyKey }).first(), false);
    const localDay = dateInZone(now, debtor.time_zone ?? 'Europe/Paris');
    await trx('dialer.claims')
      .insert({ list_date: listDate, debtor_id: input.debtorId, agent_id: agent.agentId, agent_name: agent.name, claimed_at: now, expires_at: now, worked_at: now })
      .onConflict(['list_date', 'debtor_id'])
      .merge({ worked_at: now });
    if (input.outcome === 'do_not_call') {
      // Under the key the night's cleaning gives the same request (sql/clean/85-contact-requests.sql): one row.
      await recordContactRequest(trx, { debtorId: input.debtorId, kind: 'do_not_call', requestedOn: localDay, phoneE164: row.phone_e164, source: 'calls', sourceRef: `RL-${row.outcome_id}`, note: `do-not-call request on call RL-${row.outcome_id}` });
    }
    if (input.outcome === 'dispute') {
      await trx('dialer.disputes')
        .insert({ debtor_id: input.debtorId, case_id: caseId, raised_on: localDay, source: 'relance_call_log', outcome_id: row.outcome_id, note: row.note })
        .onConflict(['debtor_id', 'raised_on', 'source'])
        .ignore();
    }
    return toLogged(inserted[0] as Record<string, unknown>, true);
  });
}

/** The debtor's open case with the largest amount: where a promise or dispute goes by default. */
async function mainOpenCase(trx: Knex.Transaction, debtorId: string): Promise<string | null> {
  const row = (await trx('clean.cases')
    .where({ debtor_id: debtorId, status: 'open' })
    .orderByRaw('coalesce(principal, 0) + coalesce(fees, 0) desc, case_id')
    .first('case_id')) as { case_id: string } | undefined;
  return row?.case_id ?? null;
}

function toLogged(r: Record<string, unknown>, created: boolean): LoggedCall {
  return {
    outcomeId: String(r.outcome_id),
    created,
    listDate: isoDate(r.list_date) as string,
    debtorId: String(r.debtor_id),
    outcome: String(r.outcome),
    caseId: r.case_id === null || r.case_id === undefined ? null : String(r.case_id),
    calledAt: new Date(r.called_at as string).toISOString(),
  };
}
