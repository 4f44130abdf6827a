import { Command } from 'commander';
import { dateInZone, isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import type { PipelineResources } from '../../pipeline/resources';
import { formatTable } from '../format-table';
import { withResources, type CliEnv } from '../cli-env';

interface ListRow {
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
}

/** A phone number with all but its last two digits hidden: `+33 6 •• •• •• 78`. */
export function maskPhone(phone: string | null): string {
  if (!phone) return '-';
  return phone.slice(0, 4) + phone.slice(4, -2).replace(/\d/g, '•') + phone.slice(-2);
}

const euros = (v: number | null) => (v === null ? '-' : `${Math.round(v).toLocaleString('fr-FR')} €`);

function hhmm(d: Date | null, timeZone: string | null): string {
  if (!d) return '--:--';
  return new Intl.DateTimeFormat('fr-FR', { timeZone: timeZone ?? 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** Prints the published list of a date as a table: rank, debtor, masked phone, balance, P(pay), expected recovery, window, main reason. */
export async function printCallList(env: CliEnv, resources: PipelineResources, options: { listDate: string; limit: number; masked: boolean; team?: string }): Promise<void> {
  const { knex } = resources.db;
  const query = knex('dialer.call_list').where({ list_date: options.listDate }).orderBy([{ column: 'team_id' }, { column: 'rank' }]).limit(options.limit);
  if (options.team) query.andWhere({ team_id: options.team });
  const rows = (await query) as ListRow[];
  const pub = await knex('dialer.publications').where({ list_date: options.listDate }).first();
  if (rows.length === 0) {
    env.print(`no call list published for ${options.listDate}`);
    return;
  }
  env.print(
    `Call list of ${options.listDate}` +
      (pub ? ` — ${pub.listed} to call, ${pub.excluded} excluded by compliance, ${pub.deferred} deferred (capacity), ${pub.holdout} in the control group; model ${pub.model_version_id}` : ''),
  );
  if (pub?.stale) env.print(`STALE since ${new Date(pub.stale_since).toISOString()}: no later list could be published (${pub.stale_reason ?? 'see monitoring.alerts'})`);
  env.print(
    formatTable(rows, [
      { header: 'rank', value: (r) => String(r.rank), align: 'right' },
      { header: 'team', value: (r) => r.team_id },
      { header: 'debtor', value: (r) => r.debtor_id },
      { header: 'phone', value: (r) => (options.masked ? maskPhone(r.phone_e164) : (r.phone_e164 ?? '-')) },
      { header: 'balance', value: (r) => euros(r.balance), align: 'right' },
      { header: 'P(pay)', value: (r) => `${(r.p_pay * 100).toFixed(0)} %`, align: 'right' },
      { header: 'exp. recovery', value: (r) => euros(r.expected_recovery), align: 'right' },
      { header: 'window', value: (r) => `${hhmm(r.window_start, r.time_zone)}-${hhmm(r.window_end, r.time_zone)}` },
      {
        header: 'main reason',
        value: (r) => {
          const reasons = typeof r.reasons === 'string' ? (JSON.parse(r.reasons) as ListRow['reasons'] & object[]) : r.reasons;
          const first = Array.isArray(reasons) ? reasons[0] : undefined;
          return first?.fr ?? first?.text ?? '-';
        },
      },
    ]),
  );
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
