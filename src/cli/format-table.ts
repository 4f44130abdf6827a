/** A column of {@link formatTable}: header, how to read a cell, alignment. */
export interface TableColumn<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

/** Renders rows as a plain-text table with aligned columns, for people reading a terminal. */
export function formatTable<T>(rows: readonly T[], columns: readonly TableColumn<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, j) => Math.max(c.header.length, ...cells.map((r) => (r[j] as string).length)));
  const line = (values: string[]) =>
    values.map((v, j) => (columns[j]!.align === 'right' ? v.padStart(widths[j]!) : v.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Number and date formats of a locale for the CLI's tables (`fr-FR`: `1 234 €`, `12 %`, `04/12/2026`, `14:30`). */
export interface LocaleFormats {
  /** An integer or a number with `digits` decimals. */
  number(x: number | null, digits?: number): string;
  /** Whole euros. */
  euros(x: number | null): string;
  /** A share as a percentage. */
  percent(x: number | null): string;
  /** A calendar day `YYYY-MM-DD`. */
  date(iso: string): string;
  /** A time of day in a time zone. */
  time(at: Date | null, timeZone: string): string;
}

/** The formats of `locale` (config `locale`, default fr-FR). */
export function localeFormats(locale: string): LocaleFormats {
  const n = (digits: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const dash = '-';
  return {
    number: (x, digits = 0) => (x === null ? dash : n(digits).format(x)),
    euros: (x) => (x === null ? dash : new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(x)),
    percent: (x) => (x === null ? dash : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(x)),
    date: (iso) => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T12:00:00Z`)),
    time: (at, timeZone) => (at ? new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at) : '--:--'),
  };
}
