import { Command } from 'commander';
import { dateInZone, isIsoDate } from '../../core/ids';
import { ValidationError } from '../../core/errors';
import { liftPhoneDisputes, phoneDisputesOf } from '../../ranking';
import { formatTable } from '../format-table';
import { withResources, type CliEnv } from '../cli-env';

/**
 * `relance disputes`: disputes raised on the phone (the call room's "conteste la dette"), which
 * keep the debtor off every list until lifted. `list` prints a debtor's, `lift` lifts them once
 * the dispute is settled.
 */
export function disputesCommand(env: CliEnv): Command {
  const command = new Command('disputes').description('disputes raised on the phone: list, lift');
  command
    .command('lift')
    .description("lift a debtor's standing disputes: calls are allowed again from --on (default today)")
    .requiredOption('--debtor <id>', 'debtor id (clean.debtors)')
    .option('--on <YYYY-MM-DD>', 'first day calls are allowed again (default: today in the office time zone)')
    .requiredOption('--note <text>', 'why it is lifted (for the audit)')
    .action((opts: { debtor: string; on?: string; note: string }) =>
      withResources(env, async (resources) => {
        const liftedOn = opts.on ?? dateInZone(new Date(), resources.config.timezone);
        if (!isIsoDate(liftedOn)) throw new ValidationError(`--on must be YYYY-MM-DD (got ${liftedOn})`, { context: { field: 'on' } });
        const lifted = await liftPhoneDisputes(resources.db.knex, { debtorId: opts.debtor, liftedOn, note: opts.note });
        env.print(lifted.length === 0 ? `no standing dispute for ${opts.debtor}` : `${lifted.length} dispute(s) of ${opts.debtor} lifted from ${liftedOn}`);
      }),
    );
  command
    .command('list')
    .description("print a debtor's disputes raised on the phone, standing and lifted")
    .requiredOption('--debtor <id>', 'debtor id')
    .action((opts: { debtor: string }) =>
      withResources(env, async (resources) => {
        const disputes = await phoneDisputesOf(resources.db.knex, opts.debtor);
        if (disputes.length === 0) {
          env.print(`no dispute for ${opts.debtor}`);
          return;
        }
        env.print(
          formatTable(disputes, [
            { header: 'raised', value: (d) => d.raisedOn },
            { header: 'case', value: (d) => d.caseId ?? '-' },
            { header: 'source', value: (d) => d.source },
            { header: 'lifted', value: (d) => d.liftedOn ?? '-' },
          ]),
        );
      }),
    );
  return command;
}
