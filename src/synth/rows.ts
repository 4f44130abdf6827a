/**
 * Turns one simulated debtor into export rows, written the way its office writes them.
 */
import type { Rng } from '../core/rng';
import type { Calendar } from './calendar';
import { CaseStatus, STAGE_CODES, type DebtorState } from './debtor';
import { csvField, formatAmount, formatDay, formatPhone, formatTimestamp, formatYmd, type OfficeStyle } from './format';
import { PromiseStatus, type PaymentRecord, type Records } from './simulate';
import type { TableName } from './tables';

/** Where rows go: one callback per table. */
export type RowSink = (table: TableName, fields: string[], rng: Rng) => void;

function pad7(n: number): string {
  return String(n).padStart(7, '0');
}

/** `ETU01`, `ETU02`, … for office index 0, 1, … */
export function officeCode(office: number): string {
  return 'ETU' + String(office + 1).padStart(2, '0');
}

/** The export id of debtor `index`. */
export function debtorId(index: number): string {
  return 'D' + pad7(index + 1);
}

function caseId(index: number, k: number): string {
  return 'DOS' + pad7(index + 1) + '-' + (k + 1);
}

const STATUS_CODES: Record<number, string> = {
  [CaseStatus.Open]: 'EN_COURS', [CaseStatus.Settled]: 'SOLDE', [CaseStatus.WrittenOff]: 'IRRECOUVRABLE',
  [CaseStatus.Disputed]: 'SUSPENDU', [CaseStatus.OverIndebted]: 'SUSPENDU', [CaseStatus.NotOpen]: 'EN_COURS',
};

function phaseCode(status: number, stage: number): string {
  if (status === CaseStatus.Settled || status === CaseStatus.WrittenOff) return 'CLO';
  if (status === CaseStatus.OverIndebted) return 'SUR';
  return STAGE_CODES[stage] as string;
}

/** The fields of a payment row. */
export function paymentFields(s: DebtorState, p: PaymentRecord, id: string, cal: Calendar, style: OfficeStyle, rng: Rng): string[] {
  return [id, caseId(s.index, p.caseIndex), formatDay(cal, p.day, style, rng), formatAmount(p.amount, style, rng), p.mode];
}

/** Writes every row of one debtor, as of the export date. */
export function writeDebtorRows(s: DebtorState, rec: Records, cal: Calendar, style: OfficeStyle, rng: Rng, sink: RowSink): void {
  const id = debtorId(s.index);
  const office = officeCode(s.office);
  const p = s.person;
  let lastDay = s.lastOpenDay;
  for (const pay of rec.payments) lastDay = Math.max(lastDay, pay.day);
  const lastCall = rec.calls[rec.calls.length - 1];
  if (lastCall) lastDay = Math.max(lastDay, lastCall.day);
  sink('debtors', [
    id, office, p.title, csvField(p.lastName), csvField(p.firstName), formatYmd(p.birth, style, rng), csvField(p.address),
    p.postalCode, csvField(p.city), p.country, s.dnc ? 'O' : 'N', formatDay(cal, lastDay, style, rng),
  ], rng);
  s.cases.forEach((c, k) => {
    sink('cases', [
      caseId(s.index, k), id, office, csvField(c.creditor), c.nature, formatAmount(c.principal, style, rng),
      formatAmount(c.fees, style, rng), formatDay(cal, c.openDay, style, rng), phaseCode(c.status, c.stage),
      STATUS_CODES[c.status] as string, c.status === CaseStatus.Disputed ? '1' : '0',
    ], rng);
  });
  rec.payments.forEach((pay, n) => sink('payments', paymentFields(s, pay, `PAI${pad7(s.index + 1)}-${n + 1}`, cal, style, rng), rng));
  rec.calls.forEach((call, n) => {
    const phone = p.phones[call.phoneIndex]!;
    sink('calls', [
      `APP${pad7(s.index + 1)}-${n + 1}`, id, caseId(s.index, call.caseIndex), formatPhone(phone, rng),
      formatTimestamp(cal, call.day, call.hour, call.minute, style, rng), String(call.duration), call.result,
      'AG' + String(s.office * 8 + call.agent + 1).padStart(2, '0'),
    ], rng);
  });
  rec.promises.forEach((pr, n) => {
    const status = pr.status === PromiseStatus.Kept ? 'TENUE' : pr.status === PromiseStatus.Broken ? 'NON_TENUE' : 'EN_COURS';
    sink('promises', [
      `PRO${pad7(s.index + 1)}-${n + 1}`, caseId(s.index, pr.caseIndex), formatDay(cal, pr.day, style, rng),
      formatAmount(pr.amount, style, rng), formatDay(cal, pr.due, style, rng), status,
    ], rng);
  });
  p.phones.forEach((phone, n) => {
    const added = Math.max(0, s.firstOpenDay - 30 * n - rng.int(60));
    sink('phones', [id, formatPhone(phone, rng), phone.type, formatDay(cal, added, style, rng)], rng);
  });
}

/** The id of the n-th payment after the export date (distinct from history ids). */
export function futurePaymentId(index: number, n: number): string {
  return `PAI${pad7(index + 1)}-F${n + 1}`;
}
