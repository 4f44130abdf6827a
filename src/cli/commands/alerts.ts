import { Command } from 'commander';
import { acknowledgeAlert, listAllAlerts, parseAlertRef, type AnyAlert } from '../../monitoring/all-alerts';
import { ValidationError } from '../../core/errors';
import { formatTable } from '../format-table';
import { withResources, type CliEnv } from '../cli-env';

/**
 * `relance alerts [list] [--open] [--kind k] [--json]` and `relance alerts ack <source:id>`: every
 * alert (missed deadlines, dataset drift, realised AUC, freshness), newest first, and closing one.
 */
export function alertsCommand(env: CliEnv): Command {
  const alerts = new Command('alerts').description('alerts: missed deadlines, drift, realised AUC, freshness, quality (newest first)');

  alerts
    .command('list', { isDefault: true })
    .description('every alert, newest first (default command)')
    .option('--open', 'only the alerts nobody acknowledged')
    .option('--kind <kind>', 'only this kind (deadline_missed, dataset_drift, realised_auc, freshness, …)')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'machine-readable output')
    .action((opts: { open?: boolean; kind?: string; limit: string; json?: boolean }) =>
      withResources(env, async ({ db, config }) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new ValidationError(`--limit must be a positive integer (got ${opts.limit})`, { context: { field: 'limit' } });
        const list = await listAllAlerts(db.knex, { kind: opts.kind, openOnly: opts.open, limit });
        if (opts.json) return env.print(JSON.stringify(list, null, 2));
        if (list.length === 0) return env.print(opts.open ? 'no open alert' : 'no alert');
        const at = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: config.timezone, dateStyle: 'short', timeStyle: 'short' }).format(d);
        env.print(
          formatTable(list, [
            { header: 'alert', value: (a: AnyAlert) => `${a.source}:${a.id}` },
            { header: 'raised', value: (a) => at(a.raisedAt) },
            { header: 'kind', value: (a) => a.kind },
            { header: 'severity', value: (a) => a.severity },
            { header: 'open', value: (a) => (a.acknowledgedAt ? `no (${a.acknowledgedBy ?? '?'})` : 'yes') },
            { header: 'message', value: (a) => a.message },
          ]),
        );
      }),
    );

  alerts
    .command('ack <alert>')
    .description('acknowledge (close) an alert, named source:id as `relance alerts` shows it')
    .option('--by <name>', 'who acknowledges it', 'cli')
    .action((ref: string, opts: { by: string }) =>
      withResources(env, async ({ db, clock }) => {
        const closed = await acknowledgeAlert(db.knex, parseAlertRef(ref), opts.by, clock.now());
        env.print(closed ? `alert ${ref} acknowledged` : `alert ${ref} was already acknowledged`);
      }),
    );

  return alerts;
}
