/**
 * The call list as a CSV file that opens right in the office's spreadsheet: in French, `;`
 * between fields, decimal commas, dates `04/12/2026`, times in the debtor's own time zone, French
 * headers and a UTF-8 byte-order mark (Excel reads the accents); in English, `,` and decimal
 * points with English headers. Cells that a spreadsheet would run as a formula are quoted out.
 */
import { stringify } from 'csv-stringify/sync';
import { LOCALES, t, type Language } from './i18n';
import type { CallListEntry } from './call-list-entry';

/** The columns of the export, in order (their headers are `call-list:csv.<column>`). */
export const CSV_COLUMNS = ['list_date', 'team', 'rank', 'debtor_id', 'name', 'office', 'phone', 'balance', 'p_pay', 'p_contact', 'expected_amount', 'expected_recovery', 'incremental_recovery', 'p_pay_called', 'p_pay_not_called', 'window_start', 'window_end', 'time_zone', 'call_reasons', 'reasons'] as const;

type Column = (typeof CSV_COLUMNS)[number];

/** A leading = + - @ would run as a formula; numbers and phone numbers are left as they are. */
function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?[\d .,•]+$/.test(text) ? `'${text}` : text;
}

function reasonText(reasons: unknown, lang: Language): string {
  if (!Array.isArray(reasons)) return '';
  return reasons
    .map((r: unknown) => {
      if (typeof r === 'string') return r;
      if (typeof r !== 'object' || r === null) return '';
      const o = r as Record<string, unknown>;
      return String(o[lang] ?? o.fr ?? o.text ?? o.label ?? o.feature ?? '');
    })
    .filter(Boolean)
    .join(' | ');
}

/** The call list `entries` as CSV text in `lang` (with its byte-order mark). */
export function callListCsv(entries: readonly CallListEntry[], lang: Language, officeTimeZone: string): string {
  const locale = LOCALES[lang];
  const decimal = (x: number | null, digits: number) => (x === null ? '' : new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(x));
  const day = (iso: string) => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`));
  const local = (iso: string | null, zone: string) => {
    if (!iso) return '';
    const at = new Date(iso);
    const date = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: zone }).format(at);
    const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone }).format(at);
    return `${date} ${time}`;
  };
  const rows = entries.map((e): Record<Column, string> => {
    const zone = e.window.timeZone ?? officeTimeZone;
    return {
      list_date: day(e.listDate),
      team: e.teamId,
      rank: String(e.rank),
      debtor_id: e.debtorId,
      name: e.name,
      office: e.officeCode ?? '',
      phone: e.phone ?? '',
      balance: decimal(e.balance, 2),
      p_pay: decimal(e.pPay * 100, 1),
      p_contact: decimal(e.pContact === null ? null : e.pContact * 100, 1),
      expected_amount: decimal(e.expectedAmount, 2),
      expected_recovery: decimal(e.expectedRecovery, 2),
      incremental_recovery: decimal(e.incrementalRecovery, 2),
      p_pay_called: decimal(e.pPayCalled === null ? null : e.pPayCalled * 100, 1),
      p_pay_not_called: decimal(e.pPayNotCalled === null ? null : e.pPayNotCalled * 100, 1),
      window_start: local(e.window.start, zone),
      window_end: local(e.window.end, zone),
      time_zone: zone,
      call_reasons: reasonText(e.callReasons, lang),
      reasons: reasonText(e.reasons, lang),
    };
  });
  return stringify(rows, {
    bom: true,
    delimiter: lang === 'fr' ? ';' : ',',
    record_delimiter: 'windows',
    header: true,
    columns: CSV_COLUMNS.map((key) => ({ key, header: t(lang, `call-list:csv.${key}`) })),
    cast: { string: defused },
  });
}
