import { Command } from 'commander';
import { dateInZone, isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import type { PipelineResources } from '../../pipeline/resources';
import { formatTable, localeFormats } from '../format-table';
import { languageOfLocale, t } from '../../api/i18n';
import { withResources, type CliEnv } from '../cli-env';

/** A row of `dialer.call_list` as the table reads it. */
export interface ListRow {
  rank: number;
  team_id: string;
  debtor_id: string;
  phone_e164: string | null;
  balance: number | null;
  p_pay: number;
  expected_recovery: number;
  window_start: Date | null;
  window_end: Date | null;
  time_zone: string | null;
  reasons: { fr?: string; en?: string; text?: string }[] | string;
  /** What a call adds (EUR), when the list was ordered by it. */
  incremental_recovery?: number | null;
  /** Why the call matters for this debtor. */
  call_reasons?: { fr?: string; en?: string; text?: string }[] | string | null;
}

/** A phone number with all but its last two digits hidden: `+33 6 •• •• •• 78`. */
export function maskPhone(phone: string | null): string {
  if (!phone) return '-';
  return phone.slice(0, 4) + phone.slice(4, -2).replace(/\d/g, '•') + phone.slice(-2);
}

/** A published list's counts, as `dialer.publications` holds them. */
interface Publication {
  listed: number;
  excluded: number;
  deferred: number;
  holdout: number;
  model_version_id: string | null;
  /** Set by the freshness check when a later night could not replace this list. */
  stale?: boolean;
  stale_since?: string | Date | null;
  stale_reason?: string | null;
  /** What ordered the list: `uplift` (what the call adds) or `propensity` (chance of payment). */
  objective?: string | null;
  /** Why the list was not ordered as configured (French line, then English). */
  note?: string | null;
}

/** The first reason of a stored reasons column in the language asked. */
function firstReason(value: ListRow['reasons'] | null | undefined, lang: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const reasons = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  const first = Array.isArray(reasons) ? (reasons[0] as { fr?: string; en?: string; text?: string } | undefined) : undefined;
  return (lang === 'en' ? first?.en : first?.fr) ?? first?.text;
}

/**
 * The published list as a table in the office's locale (`locale` in the config): headers in its
 * language, `1 234 €`, `31 %`, the window in the debtor's own time zone, the main reason in words. A list
 * ordered by what the call adds says so, shows that amount and, first, why the call matters.
 */
export function callListTable(rows: readonly ListRow[], pub: Publication | undefined, options: { listDate: string; locale: string; masked: boolean; officeTimeZone: string }): string {
  const lang = languageOfLocale(options.locale) ?? 'fr';
  const f = localeFormats(options.locale);
  const h = (key: string) => t(lang, `call-list:cli.headers.${key}`);
  const title = callListTitle(pub, options);
  const byUplift = pub?.objective === 'uplift';
  const noteLines = (pub?.note ?? '').split('\n');
  const order = pub?.objective ? `\n${t(lang, `call-list:cli.ordered_by_${byUplift ? 'uplift' : 'propensity'}`)}${pub.note ? ` — ${(lang === 'en' ? noteLines[1] : noteLines[0]) ?? noteLines[0]}` : ''}` : '';
  const stale = pub?.stale ? `\n${t(lang, 'call-list:cli.stale', { since: pub.stale_since ? `${f.date(new Date(pub.stale_since).toISOString().slice(0, 10))} ${f.time(new Date(pub.stale_since), options.officeTimeZone)}` : '-', reason: pub.stale_reason ?? t(lang, 'call-list:cli.stale_unknown') })}` : '';
  const table = formatTable(rows, [
    { header: h('rank'), value: (r) => String(r.rank), align: 'right' },
    { header: h('team'), value: (r) => r.team_id },
    { header: h('debtor'), value: (r) => r.debtor_id },
    { header: h('phone'), value: (r) => (options.masked ? maskPhone(r.phone_e164) : (r.phone_e164 ?? '-')) },
    { header: h('balance'), value: (r) => f.euros(r.balance === null ? null : Number(r.balance)), align: 'right' },
    { header: h('p_pay'), value: (r) => f.percent(r.p_pay), align: 'right' },
    { header: h('expected'), value: (r) => f.euros(r.expected_recovery), align: 'right' },
    ...(byUplift ? [{ header: h('added'), value: (r: ListRow) => f.euros(r.incremental_recovery === null || r.incremental_recovery === undefined ? null : Number(r.incremental_recovery)), align: 'right' as const }] : []),
    { header: h('window'), value: (r) => `${f.time(r.window_start, r.time_zone ?? options.officeTimeZone)}-${f.time(r.window_end, r.time_zone ?? options.officeTimeZone)}` },
    {
      header: h('reason'),
      value: (r) => (byUplift ? firstReason(r.call_reasons, lang) : undefined) ?? firstReason(r.reasons, lang) ?? '-',
    },
  ]);
  return `${title}${order}${stale}\n${table}`;
}

/** `Liste d'appels du 04/12/2026 — 12 à appeler, …` in the office's locale. */
function callListTitle(pub: Publication | undefined, options: { listDate: string; locale: string }): string {
  const lang = languageOfLocale(options.locale) ?? 'fr';
  const f = localeFormats(options.locale);
  return t(lang, 'call-list:cli.title', { date: f.date(options.listDate) }) + (pub ? t(lang, 'call-list:cli.summary', { listed: f.number(pub.listed), excluded: f.number(pub.excluded), deferred: f.number(pub.deferred), holdout: f.number(pub.holdout), model: pub.model_version_id ?? '-' }) : '');
}

/** Prints the published list of a date as a table: rank, debtor, masked phone, balance, P(pay), expected recovery, window, main reason. */
export async function printCallList(env: CliEnv, resources: PipelineResources, options: { listDate: string; limit: number; masked: boolean; team?: string }): Promise<void> {
  const { knex } = resources.db;
  const query = knex('dialer.call_list').where({ list_date: options.listDate }).orderBy([{ column: 'team_id' }, { column: 'rank' }]).limit(options.limit);
  if (options.team) query.andWhere({ team_id: options.team });
  const rows = (await query) as ListRow[];
  const pub = (await knex('dialer.publications').where({ list_date: options.listDate }).first()) as Publication | undefined;
  env.print(callListText(rows, pub, { listDate: options.listDate, locale: resources.config.locale, masked: options.masked, officeTimeZone: resources.config.timezone, ...(options.team ? { team: options.team } : {}) }));
}

/**
 * What `relance call-list` prints: the table; for a list published without a row (of the team,
 * when one is asked), its title and counts and that it is empty; else that nothing was published.
 */
export function callListText(rows: readonly ListRow[], pub: Publication | undefined, options: { listDate: string; locale: string; masked: boolean; officeTimeZone: string; team?: string }): string {
  const lang = languageOfLocale(options.locale) ?? 'fr';
  if (rows.length > 0) return callListTable(rows, pub, options);
  if (!pub) return t(lang, 'call-list:cli.none', { date: localeFormats(options.locale).date(options.listDate) });
  return `${callListTitle(pub, options)}\n${options.team && Number(pub.listed) > 0 ? t(lang, 'call-list:cli.empty_team', { team: options.team }) : t(lang, 'call-list:cli.empty')}`;
}

/** `relance call-list [--date D] [--limit N]`: the published list as a readable table. */
export function callListCommand(env: CliEnv): Command {
  return new Command('call-list')
    .description('print the published call list of a date')
    .option('--date <YYYY-MM-DD>', 'list date (default: today in the office time zone)')
    .option('--limit <n>', 'rows to print', '30')
    .option('--team <id>', 'only this team')
    .option('--show-phones', 'print phone numbers in full (masked by default)')
    .option('--json', 'machine-readable output')
    .action((opts: { date?: string; limit: string; team?: string; showPhones?: boolean; json?: boolean }) =>
      withResources(env, async (resources) => {
        const listDate = opts.date ?? dateInZone(new Date(), resources.config.timezone);
        if (!isIsoDate(listDate)) throw new ValidationError(`--date must be YYYY-MM-DD (got ${listDate})`, { context: { field: 'date' } });
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit <= 0) throw new ValidationError(`--limit must be a positive integer (got ${opts.limit})`, { context: { field: 'limit' } });
        if (opts.json) {
          const rows = await resources.db.knex('dialer.call_list').where({ list_date: listDate }).modify((q) => (opts.team ? q.andWhere({ team_id: opts.team }) : q)).orderBy(['team_id', 'rank']).limit(limit);
          env.print(JSON.stringify(opts.showPhones ? rows : rows.map((r: ListRow) => ({ ...r, phone_e164: maskPhone(r.phone_e164) })), null, 2));
          return;
        }
        await printCallList(env, resources, { listDate, limit, masked: !opts.showPhones, team: opts.team });
      }),
    );
}
