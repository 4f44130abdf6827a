/**
 * Disputes raised outside the office export — on the phone, in the call room — kept in
 * `dialer.disputes`: the debtor is excluded (rule `disputed`) from the day it was raised until it
 * is lifted. Nothing deletes one.
 */
import type { Knex } from 'knex';
import { runSql } from '../db';
import { ValidationError } from '../core/errors';
import { isIsoDate, isoDate, type IsoDate } from '../core/ids';

/** A dispute raised outside the export. */
export interface PhoneDispute {
  debtorId: string;
  caseId: string | null;
  raisedOn: IsoDate;
  source: string;
  liftedOn: IsoDate | null;
}

const toDispute = (r: Record<string, unknown>): PhoneDispute => ({
  debtorId: String(r.debtor_id),
  caseId: r.case_id === null || r.case_id === undefined ? null : String(r.case_id),
  raisedOn: isoDate(r.raised_on) as IsoDate,
  source: String(r.source),
  liftedOn: isoDate(r.lifted_on),
});

/** Records a dispute raised on `raisedOn` (once per debtor, day and source). */
export async function recordPhoneDispute(runner: Knex | Knex.Transaction, input: { debtorId: string; caseId: string | null; raisedOn: IsoDate; source: string; outcomeId?: string; note?: string | null }): Promise<void> {
  await runner('dialer.disputes')
    .insert({ debtor_id: input.debtorId, case_id: input.caseId, raised_on: input.raisedOn, source: input.source, outcome_id: input.outcomeId ?? null, note: input.note ?? null })
    .onConflict(['debtor_id', 'raised_on', 'source'])
    .ignore();
}

/** Lifts a debtor's standing disputes from `liftedOn`; returns those lifted (none: nothing stood). */
export async function liftPhoneDisputes(runner: Knex | Knex.Transaction, options: { debtorId: string; liftedOn: IsoDate; note: string }): Promise<PhoneDispute[]> {
  if (!isIsoDate(options.liftedOn)) throw new ValidationError(`liftedOn must be YYYY-MM-DD (got ${options.liftedOn})`, { context: { field: 'liftedOn' } });
  if (!options.note.trim()) throw new ValidationError('note must say why the dispute is lifted', { context: { field: 'note' } });
  const { rows } = await runSql<Record<string, unknown>>(runner, 'ranking/lift-disputes', { debtor_id: options.debtorId, lifted_on: options.liftedOn, lift_note: options.note.trim() });
  return rows.map(toDispute);
}

/** A debtor's disputes raised outside the export, newest first. */
export async function phoneDisputesOf(runner: Knex | Knex.Transaction, debtorId: string): Promise<PhoneDispute[]> {
  const rows = (await runner('dialer.disputes').where({ debtor_id: debtorId }).orderBy('raised_on', 'desc')) as Record<string, unknown>[];
  return rows.map(toDispute);
}
