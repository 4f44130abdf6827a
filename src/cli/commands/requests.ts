import { Command } from 'commander';
import { dateInZone, isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import { contactRequestsOf, liftContactRequest, recordContactRequest, type ContactRequestKind } from '../../ranking';
import { formatTable } from '../format-table';
import { withResources, type CliEnv } from '../cli-env';
import { maskPhone } from './call-list';

function dateOption(value: string | undefined, field: string, timeZone: string): string {
  const date = value ?? dateInZone(new Date(), timeZone);
  if (!isIsoDate(date)) throw new ValidationError(`--${field} must be YYYY-MM-DD (got ${date})`, { context: { field } });
  return date;
}

/**
 * `relance requests`: the do-not-call and cease-communication requests of `dialer.contact_requests`.
 * `add` records one received by phone or letter, `lift` lifts one (calls allowed again from the
 * lift date), `list` prints a debtor's requests (numbers masked).
 */
export function requestsCommand(env: CliEnv): Command {
  const command = new Command('requests').description('do-not-call and cease-communication requests: record, lift, list');
  command
    .command('add')
    .description('record a request; it applies from --on (default today) until lifted')
    .requiredOption('--debtor <id>', 'debtor id (clean.debtors)')
    .option('--kind <kind>', 'do_not_call or cease_communication', 'do_not_call')
    .option('--on <YYYY-MM-DD>', 'day of the request (default: today in the office time zone)')
    .option('--phone <e164>', 'the number the request concerns (never dialled again for anyone)')
    .option('--source <name>', 'who received it', 'office')
    .option('--note <text>', 'note for the audit')
    .action((opts: { debtor: string; kind: string; on?: string; phone?: string; source: string; note?: string }) =>
      withResources(env, async (resources) => {
        const requestedOn = dateOption(opts.on, 'on', resources.config.timezone);
        const { requestId } = await recordContactRequest(resources.db.knex, {
          debtorId: opts.debtor, kind: opts.kind as ContactRequestKind, requestedOn, phoneE164: opts.phone ?? null, source: opts.source, note: opts.note ?? null,
        });
        env.print(`request ${requestId}: ${opts.kind} for ${opts.debtor} from ${requestedOn}`);
      }),
    );
  command
    .command('lift <requestId>')
    .description('lift a request: calls are allowed again from --on (default today)')
    .option('--on <YYYY-MM-DD>', 'first day calls are allowed again (default: today in the office time zone)')
    .requiredOption('--note <text>', 'why it is lifted (for the audit)')
    .action((requestId: string, opts: { on?: string; note: string }) =>
      withResources(env, async (resources) => {
        const liftedOn = dateOption(opts.on, 'on', resources.config.timezone);
        const lifted = await liftContactRequest(resources.db.knex, { requestId, liftedOn, note: opts.note });
        env.print(`request ${lifted.requestId} (${lifted.kind} for ${lifted.debtorId} since ${lifted.requestedOn}) lifted from ${liftedOn}`);
      }),
    );
  command
    .command('list')
    .description("print a debtor's requests, standing and lifted")
    .requiredOption('--debtor <id>', 'debtor id')
    .action((opts: { debtor: string }) =>
      withResources(env, async (resources) => {
        const requests = await contactRequestsOf(resources.db.knex, opts.debtor);
        if (requests.length === 0) {
          env.print(`no request for ${opts.debtor}`);
          return;
        }
        env.print(
          formatTable(requests, [
            { header: 'request', value: (r) => r.requestId },
            { header: 'kind', value: (r) => r.kind },
            { header: 'phone', value: (r) => (r.phoneE164 ? maskPhone(r.phoneE164) : 'all') },
            { header: 'source', value: (r) => r.source },
            { header: 'since', value: (r) => r.requestedOn },
            { header: 'lifted', value: (r) => r.liftedOn ?? '-' },
          ]),
        );
      }),
    );
  return command;
}
