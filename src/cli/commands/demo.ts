import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { addDays, dateInZone, isIsoDate, type IsoDate } from '../../core/ids';
import type { RelanceConfig } from '../../config';
import { allowedCallingDay } from '../../ranking/calling-window';
import { languageOfLocale, t } from '../../api/i18n';
import { localeFormats } from '../format-table';
import { ValidationError } from '../../core/errors';
import { createLogger } from '../../core/log';
import { synthesize } from '../../synth';
import { loadDagRegistry, DAGS_DIR, PgRunStore, runDag, type RunReport } from '../../orchestrator';
import type { PipelineResources } from '../../pipeline/resources';
import type { CliEnv } from '../cli-env';
import { printCallList } from './call-list';
import { createTerminalToken, startDashboard } from './serve';

/** Options of `relance demo`. */
interface DemoOptions {
  debtors: string;
  seed: string;
  date?: string;
  limit: string;
  serve?: boolean;
}

function summarise(report: RunReport): string {
  const states = report.instances.map((i) => `${i.taskId}${i.mapIndex === null || i.mapIndex === undefined || i.mapIndex < 0 ? '' : `[${i.mapIndex}]`} ${i.state} ${i.durationMs !== null && i.durationMs !== undefined ? `${(i.durationMs / 1000).toFixed(1)}s` : ''}`.trim());
  return `${report.run.dagId} ${report.run.state}: ${states.join(', ')}`;
}

/**
 * The first day from `from` on which the office's default calling regime allows calls (a weekday
 * it allows, not a public holiday where the office is); `from` itself when nothing allows any.
 */
function nextCallingDay(from: IsoDate, config: RelanceConfig): IsoDate {
  const compliance = config.ranking.compliance;
  const regime = compliance.regimes[compliance.defaultRegime];
  if (!regime) return from;
  for (let k = 0; k < 14; k++) {
    const day = addDays(from, k);
    if (allowedCallingDay(day, { timeZone: config.timezone }, regime).allowed) return day;
  }
  return from;
}

/**
 * `relance demo`: the whole nightly path on a synthetic office, on whatever database the
 * configuration names (embedded PGlite by default): synthesise the exports, run the `retrain` DAG
 * (extract, clean, train, promote), run `nightly_call_list` (features, score, rank, publish), print
 * the top of the list, then serve the dashboard.
 */
export function demoCommand(env: CliEnv): Command {
  return new Command('demo')
    .description('synthesise an office, load it, train, score and print the ranked call list')
    .option('--debtors <n>', 'debtors in the synthetic office', '20000')
    .option('--seed <s>', 'seed of the synthetic office', '7')
    .option('--date <YYYY-MM-DD>', 'list date (default: today in the office time zone)')
    .option('--limit <n>', 'rows of the list to print', '15')
    .option('--serve', 'serve the dashboard afterwards (default when run in a terminal)')
    .option('--no-serve', 'exit once the list is printed')
    .action(async (opts: DemoOptions) => {
      const config = env.config();
      const today = dateInZone(new Date(), config.timezone);
      const listDate = opts.date ?? nextCallingDay(today, config);
      if (!isIsoDate(listDate)) throw new ValidationError(`--date must be YYYY-MM-DD (got ${listDate})`, { context: { field: 'date' } });
      const debtors = Number(opts.debtors);
      const source = config.sources.find((s) => s.kind === 'csv');
      if (!source || source.kind !== 'csv') throw new ValidationError('the demo needs a CSV source in config/relance.yaml (sources:)', { context: { path: 'sources' } });
      const started = Date.now();
      const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

      if (!opts.date && listDate !== today) {
        const f = localeFormats(config.locale);
        env.print(t(languageOfLocale(config.locale) ?? 'fr', 'call-list:cli.demo_next_calling_day', { today: f.date(today), date: f.date(listDate) }));
      }
      env.print(`relance demo — list of ${listDate}, synthetic office of ${debtors.toLocaleString('en')} debtors, ${config.database.url ? 'Postgres' : `embedded PGlite in ${config.home}/`}`);
      await rm(source.dir, { recursive: true, force: true });
      // The database opens and migrates on this thread while worker threads write the office: the
      // two do not depend on each other, and the export's bytes do not depend on the thread count.
      const opening = env.openResources();
      // Handled here, thrown where it is awaited: a failure to open must not end the process mid-synthesis.
      opening.catch(() => undefined);
      let lastShown = 0;
      const synth = await synthesize({
        debtors,
        seed: Number(opts.seed),
        outDir: source.dir,
        asOf: listDate,
        threads: availableParallelism(),
        onProgress: (p) => {
          if (process.stdout.isTTY && Date.now() - lastShown > 250) {
            lastShown = Date.now();
            process.stdout.write(`\r  synthesising… ${p.debtorsDone}/${p.debtorsTotal} debtors`);
          }
        },
      }).catch(async (error: unknown) => {
        await opening.then((r) => r.close(), () => undefined);
        throw error;
      });
      if (process.stdout.isTTY) process.stdout.write('\r\x1b[K');
      const rows = Object.values(synth.manifest.files).reduce((s, f) => s + f.dataRows, 0);
      env.print(`[${elapsed()}] exports written to ${synth.exportDir}: ${rows.toLocaleString('en')} rows in ${Object.keys(synth.manifest.files).length} files`);

      const resources = await opening;
      const log = createLogger({ level: 'warn' });
      try {
        const registry = loadDagRegistry<PipelineResources>(DAGS_DIR, config.dags);
        const store = new PgRunStore(resources.db);
        // The run whose data interval ends on the list date publishes that date's list.
        const ds = addDays(listDate, -1);
        for (const dagId of ['retrain', 'nightly_call_list']) {
          env.print(`[${elapsed()}] running ${dagId} …`);
          const report = await runDag(registry.get(dagId), { date: ds, resources, store, rerun: true, runType: 'manual', log, sleep: () => Promise.resolve(), alerts: { webhookUrl: config.monitoring.alerts.webhookUrl } });
          env.print(`[${elapsed()}] ${summarise(report)}`);
          if (report.run.state !== 'success') {
            const failed = report.instances.filter((i) => i.state === 'failed');
            for (const f of failed) env.print(`  ${f.taskId} failed: ${f.error ?? 'see relance tasks logs'}`);
            throw new ValidationError(`${dagId} did not succeed; see \`relance tasks logs ${report.run.runId} <task>\``);
          }
        }
        env.print('');
        await printCallList(env, resources, { listDate, limit: Number(opts.limit), masked: true });
        env.print('');
        env.print(`[${elapsed()}] done.`);
        const serve = opts.serve ?? Boolean(process.stdout.isTTY);
        await startDashboard(env, resources, { serve, token: await createTerminalToken(resources, 'lead') });
      } finally {
        await resources.close();
      }
    });
}
