/**
 * Do-not-call and cease-communication requests, from whatever source: the one place compliance
 * reads them (`dialer.contact_requests`). The cleaning records those the extracted data carries
 * (the export's flag, a call outcome `OPP`); the office, relance's own call log or any other
 * source records its own here. A request keeps the debtor — and the number it was made on, for
 * every debtor — off every list from `requestedOn` until it is lifted; nothing deletes it.
 */
import type { Knex } from 'knex';
import { runSql } from '../db';
import { NotFoundError, ValidationError } from '../core/errors';
import { isIsoDate, type IsoDate } from '../core/ids';

/** What a request asks. */
export type ContactRequestKind = 'do_not_call' | 'cease_communication';

/** A request to record. */
export interface ContactRequestInput {
  debtorId: string;
  kind: ContactRequestKind;
  /** The day the debtor asked (local date); the request applies to the lists of that day on. */
  requestedOn: IsoDate;
  /** The number the request was made on (E.164), never dialled again for anyone; omitted: the debtor's every number. */
  phoneE164?: string | null;
  /** Who recorded it: `office`, `call_log`, … (`calls` and `office_export` are the cleaning's). */
  source: string;
  /** The source's own id of the request (a call id): a source writes each request once. */
  sourceRef?: string | null;
  /** A free note for the audit (never a phone number). */
  note?: string | null;
}

/** A recorded request. */
export interface ContactRequest {
  requestId: string;
  debtorId: string;
  kind: ContactRequestKind;
  phoneE164: string | null;
  source: string;
  sourceRef: string | null;
  requestedOn: IsoDate;
  liftedOn: IsoDate | null;
  note: string | null;
  liftNote: string | null;
}

const KINDS: readonly string[] = ['do_not_call', 'cease_communication'];

/**
 * Records a request (effective from `requestedOn`); returns its id and whether it was new. The
 * same `source` and `sourceRef` again return the request already recorded.
 */
export async function recordContactRequest(runner: Knex | Knex.Transaction, input: ContactRequestInput): Promise<{ requestId: string; created: boolean }> {
  if (!KINDS.includes(input.kind)) throw new ValidationError(`kind must be do_not_call or cease_communication (got ${input.kind})`, { context: { field: 'kind' } });
  if (!isIsoDate(input.requestedOn)) throw new ValidationError(`requestedOn must be YYYY-MM-DD (got ${input.requestedOn})`, { context: { field: 'requestedOn' } });
  if (input.phoneE164 && !/^\+\d{8,15}$/.test(input.phoneE164)) throw new ValidationError('phoneE164 must be an E.164 number (+33612345678)', { context: { field: 'phoneE164' } });
  if (!input.debtorId || !input.source) throw new ValidationError('debtorId and source are required', { context: { field: input.debtorId ? 'source' : 'debtorId' } });
  const { rows } = await runSql<{ request_id: string; created: boolean }>(runner, 'ranking/insert-contact-request', {
    debtor_id: input.debtorId, kind: input.kind, requested_on: input.requestedOn, phone_e164: input.phoneE164 ?? null,
    source: input.source, source_ref: input.sourceRef ?? null, note: input.note ?? null,
  });
  const row = rows[0];
  if (!row) throw new NotFoundError('the request was neither recorded nor found', { context: { field: 'sourceRef' } });
  return { requestId: row.request_id, created: row.created };
}

/**
 * Lifts a standing request: calls are allowed again from `liftedOn` (unless another request
 * stands). Fails when the request is unknown, already lifted, or was made after `liftedOn`.
 */
export async function liftContactRequest(runner: Knex | Knex.Transaction, options: { requestId: string; liftedOn: IsoDate; note?: string | null }): Promise<ContactRequest> {
  if (!isIsoDate(options.liftedOn)) throw new ValidationError(`liftedOn must be YYYY-MM-DD (got ${options.liftedOn})`, { context: { field: 'liftedOn' } });
  const { rows } = await runSql(runner, 'ranking/lift-contact-request', { request_id: options.requestId, lifted_on: options.liftedOn, lift_note: options.note ?? null });
  if (rows.length === 0) {
    const existing = await contactRequest(runner, options.requestId);
    if (!existing) throw new NotFoundError(`no contact request ${options.requestId}`, { context: { field: 'requestId' } });
    if (existing.liftedOn) throw new ValidationError(`contact request ${options.requestId} was already lifted on ${existing.liftedOn}`, { context: { field: 'requestId' } });
    throw new ValidationError(`contact request ${options.requestId} was made on ${existing.requestedOn}, after ${options.liftedOn}`, { context: { field: 'liftedOn' } });
  }
  const lifted = await contactRequest(runner, options.requestId);
  if (!lifted) throw new NotFoundError(`no contact request ${options.requestId}`, { context: { field: 'requestId' } });
  return lifted;
}

/** One request by id, or undefined. */
export async function contactRequest(runner: Knex | Knex.Transaction, requestId: string): Promise<ContactRequest | undefined> {
  const { rows } = await runSql<Record<string, unknown>>(runner, 'ranking/contact-request', { request_id: requestId });
  return rows[0] ? toRequest(rows[0]) : undefined;
}

/** The requests of a debtor, standing and lifted, oldest first. */
export async function contactRequestsOf(runner: Knex | Knex.Transaction, debtorId: string): Promise<ContactRequest[]> {
  const { rows } = await runSql<Record<string, unknown>>(runner, 'ranking/contact-requests-of-debtor', { debtor_id: debtorId });
  return rows.map(toRequest);
}

function toRequest(r: Record<string, unknown>): ContactRequest {
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    requestId: String(r.request_id),
    debtorId: String(r.debtor_id),
    kind: r.kind as ContactRequestKind,
    phoneE164: text(r.phone_e164),
    source: String(r.source),
    sourceRef: text(r.source_ref),
    requestedOn: String(r.requested_on),
    liftedOn: text(r.lifted_on),
    note: text(r.note),
    liftNote: text(r.lift_note),
  };
}
