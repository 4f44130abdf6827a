import { Command } from 'commander';
import type { RelanceConfig } from '../../config';
import type { Database } from '../../db';
import { ValidationError } from '../../core/errors';
import { createLogger, type Logger } from '../../core/log';
import { systemClock } from '../../core/clock';
import { intervalForDate, localIsoDate, type Dag, type DataInterval, type ScheduledDag } from '../../dag';
import {
  BullmqExecutor, createOrClearRun, DAGS_DIR, driveRunInline, loadDagRegistry, PgRunStore, startRun, type DagRegistry, type RunStore, type TaskEnvironment,
} from '../../orchestrator';
import { formatTable } from '../format-table';

/** Resources the orchestrator commands need from the project's factory: a database to keep state in. */
export interface OrchestratorResources {
  readonly db: Database;
  close(): Promise<void>;
}

/**
 * What the orchestrator commands need from their process (the project's `CliEnv` fits): the
 * config, the resources factory, an output, and optionally the DAGs (default: every file of
 * `dags/` with `config.dags` applied; tests pass their own).
 */
export interface DagCliEnv<R extends OrchestratorResources> {
  config(): RelanceConfig;
  openResources(): Promise<R>;
  print(line: string): void;
  registry?(): DagRegistry<R>;
  /** The process logger. @defaultValue stderr, at the configured level */
  logger?(): Logger;
}

/** An opened orchestrator context: resources, store, registry, logger. Close it. */
export interface OrchestratorSession<R extends OrchestratorResources> {
  resources: R;
  store: RunStore;
  registry: DagRegistry<R>;
  log: Logger;
  env: TaskEnvironment<R>;
  config: RelanceConfig;
  close(): Promise<void>;
}

/** Opens resources and the run store for one command. */
export async function openSession<R extends OrchestratorResources>(cli: DagCliEnv<R>): Promise<OrchestratorSession<R>> {
  const config = cli.config();
  const registry = cli.registry ? cli.registry() : loadDagRegistry<R>(DAGS_DIR, config.dags);
  const log = cli.logger?.() ?? createLogger({ level: config.log.level, json: config.log.json });
  const resources = await cli.openResources();
  const store = new PgRunStore(resources.db);
  return { resources, store, registry, log, config, env: { store, resources, clock: systemClock, log, leaseMs: config.orchestrator.leaseMs }, close: () => resources.close() };
}

/** Runs `fn` in a session and always closes it. */
export async function inSession<R extends OrchestratorResources, T>(cli: DagCliEnv<R>, fn: (s: OrchestratorSession<R>) => Promise<T>): Promise<T> {
  const session = await openSession(cli);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/** `2026-03-10 02:00` in a time zone, or '-'. */
export function when(date: Date | null | undefined, timeZone: string): string {
  if (!date) return '-';
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
  return local.slice(0, 16);
}

/** Parses `--conf` (a JSON object). */
export function parseConf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError(`--conf must be a JSON object, got: ${text}`, { context: { field: 'conf' } });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('--conf must be a JSON object', { context: { field: 'conf' } });
  return value as Record<string, unknown>;
}

/**
 * Starts a recorded run: queued for the workers when Redis is configured (BullMQ executor),
 * else run here to its end with the inline executor. Returns the run's state when known.
 */
export async function executeRun<R extends OrchestratorResources>(s: OrchestratorSession<R>, dag: Dag<R>, runId: string, mode: 'auto' | 'inline' = 'auto'): Promise<string> {
  if (mode === 'auto' && s.config.redis.url) {
    const executor = new BullmqExecutor({ url: s.config.redis.url, prefix: s.config.redis.prefix }, { log: s.log });
    try {
      await startRun(dag, runId, s.env, (ti, tryNumber) => executor.enqueue({ ...ti, dagId: dag.id }, tryNumber));
    } finally {
      await executor.close();
    }
    return 'queued for the workers';
  }
  await s.store.setRunState(runId, ['queued'], 'running', new Date());
  await driveRunInline(dag, runId, s.env);
  return (await s.store.getRun(runId))?.state ?? 'unknown';
}

/** Intervals whose logical date falls on a local date in `[from, to]`. */
export function intervalsBetween(dag: ScheduledDag & { id: string }, from: string, to: string): DataInterval[] {
  if (!dag.cron) throw new ValidationError(`dag ${dag.id} has no schedule: backfill needs one`, { context: { dagId: dag.id } });
  const start = intervalForDate(dag, from).start;
  const out: DataInterval[] = [];
  for (let t = dag.cron.matches(start) ? start : dag.cron.next(start); localIsoDate(t, dag.timezone) <= to; t = dag.cron.next(t)) {
    out.push({ start: t, end: dag.cron.next(t) });
  }
  return out;
}

/** `relance dags list | pause | unpause | trigger | run | backfill | alerts`. */
export function dagsCommand<R extends OrchestratorResources>(cli: DagCliEnv<R>): Command {
  const dags = new Command('dags').description('the DAGs: list, pause, trigger, run, backfill');

  dags.command('list').description('every DAG with its schedule, state and latest run').option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => inSession(cli, async (s) => {
      const rows = [];
      for (const dag of s.registry.dags.values()) {
        const [latest] = await s.store.listRuns({ dagId: dag.id, limit: 1 });
        const paused = (await s.store.isPaused(dag.id)) ?? dag.paused;
        const alerts = await s.store.listAlerts({ dagId: dag.id, limit: 5 });
        rows.push({
          dagId: dag.id, schedule: dag.schedule, timezone: dag.timezone, paused, catchup: dag.catchup, maxActiveRuns: dag.maxActiveRuns, tags: [...dag.tags], deadline: dag.deadline ?? null,
          tasks: dag.order.length, nextRun: dag.cron ? dag.cron.next(new Date()) : null, latestRun: latest ? { runId: latest.runId, state: latest.state } : null,
          recentAlerts: alerts.map((a) => ({ kind: a.kind, runId: a.runId, at: a.raisedAt })),
        });
      }
      if (opts.json) return cli.print(JSON.stringify(rows, null, 2));
      cli.print(formatTable(rows, [
        { header: 'dag', value: (r) => r.dagId },
        { header: 'schedule', value: (r) => (r.schedule ? `${r.schedule} ${r.timezone}` : 'manual') },
        { header: 'paused', value: (r) => (r.paused ? 'yes' : 'no') },
        { header: 'next start', value: (r) => when(r.nextRun, r.timezone) },
        { header: 'deadline', value: (r) => r.deadline ?? '-' },
        { header: 'latest run', value: (r) => (r.latestRun ? `${r.latestRun.runId} ${r.latestRun.state}` : '-') },
        { header: 'alerts', value: (r) => (r.recentAlerts.length ? `${r.recentAlerts.length} (${r.recentAlerts[0]!.kind})` : '-') },
      ]));
    }));

  for (const [name, paused] of [['pause', true], ['unpause', false]] as const) {
    dags.command(`${name} <dag>`).description(paused ? 'stop scheduling new runs' : 'schedule runs again')
      .action((dagId: string) => inSession(cli, async (s) => {
        s.registry.get(dagId);
        await s.store.setPaused(dagId, paused);
        cli.print(`${dagId} ${paused ? 'paused' : 'unpaused'}`);
      }));
  }

  const trigger = (name: string, description: string, mode: 'auto' | 'inline') =>
    dags.command(`${name} <dag>`).description(description)
      .option('--date <YYYY-MM-DD>', 'logical date (local); default: the latest interval that has ended')
      .option('--conf <json>', 'parameters for the run (ctx.conf)')
      .option('--rerun', 'if the date already has a run that ended: clear its tasks and run it again')
      .option('--json', 'machine-readable output')
      .action((dagId: string, opts: { date?: string; conf?: string; rerun?: boolean; json?: boolean }) => inSession(cli, async (s) => {
        const dag = s.registry.get(dagId);
        const interval = opts.date ? intervalForDate(dag, opts.date) : defaultInterval(dag);
        const run = await createOrClearRun(dag, s.store, interval, { conf: parseConf(opts.conf), runType: 'manual', rerun: opts.rerun });
        if (!opts.json) cli.print(`run ${run.runId} (ds ${localIsoDate(run.logicalDate, dag.timezone)}) created`);
        const state = await executeRun(s, dag, run.runId, mode);
        if (opts.json) return cli.print(JSON.stringify({ runId: run.runId, state }));
        cli.print(`run ${run.runId}: ${state}`);
        if (state === 'failed') process.exitCode = 1;
      }));
  trigger('trigger', 'create a manual run (queued for the workers with Redis, else run here)', 'auto');
  trigger('run', 'create a manual run and run it here, in this process (inline executor)', 'inline');

  dags.command('backfill <dag>').description('create the runs of past intervals (logical dates from..to, local)')
    .requiredOption('--from <YYYY-MM-DD>', 'first logical date').requiredOption('--to <YYYY-MM-DD>', 'last logical date')
    .option('--rerun-failed', 'clear and run again the failed runs of the range').option('--dry-run', 'only list what would run')
    .option('--json', 'machine-readable output')
    .action((dagId: string, opts: { from: string; to: string; rerunFailed?: boolean; dryRun?: boolean; json?: boolean }) => inSession(cli, async (s) => {
      const dag = s.registry.get(dagId);
      const plan: { logicalDate: string; ds: string; action: string; runId?: string; state?: string }[] = [];
      for (const interval of intervalsBetween(dag, opts.from, opts.to)) {
        const existing = await s.store.findRun(dag.id, interval.start);
        const action = !existing ? 'create' : existing.state === 'failed' && opts.rerunFailed ? 'rerun' : `keep (${existing.state})`;
        plan.push({ logicalDate: interval.start.toISOString(), ds: localIsoDate(interval.start, dag.timezone), action, runId: existing?.runId });
        if (opts.dryRun || action.startsWith('keep')) continue;
        const run = await createOrClearRun(dag, s.store, interval, { runType: 'backfill', rerun: action === 'rerun' });
        plan[plan.length - 1]!.runId = run.runId;
        // With workers, the scheduler starts queued runs within maxActiveRuns; inline, one after the other.
        plan[plan.length - 1]!.state = s.config.redis.url ? 'queued' : await executeRun(s, dag, run.runId, 'inline');
      }
      if (opts.json) return cli.print(JSON.stringify(plan, null, 2));
      cli.print(formatTable(plan, [
        { header: 'ds', value: (p) => p.ds }, { header: 'action', value: (p) => (opts.dryRun ? `would ${p.action}` : p.action) },
        { header: 'run', value: (p) => p.runId ?? '-' }, { header: 'state', value: (p) => p.state ?? '-' },
      ]));
    }));

  dags.command('alerts [dag]').description('recent alerts (missed deadlines)').option('--json', 'machine-readable output')
    .action((dagId: string | undefined, opts: { json?: boolean }) => inSession(cli, async (s) => {
      const alerts = await s.store.listAlerts({ dagId, limit: 50 });
      if (opts.json) return cli.print(JSON.stringify(alerts, null, 2));
      cli.print(formatTable(alerts, [
        { header: 'raised', value: (a) => a.raisedAt.toISOString().slice(0, 16).replace('T', ' ') }, { header: 'dag', value: (a) => a.dagId },
        { header: 'kind', value: (a) => a.kind }, { header: 'message', value: (a) => a.message },
      ]));
    }));
  return dags;
}

function defaultInterval(dag: ScheduledDag): DataInterval {
  if (!dag.cron) return { start: new Date(), end: new Date() };
  const end = dag.cron.prev(new Date(Date.now() + 1));
  return { start: dag.cron.prev(end), end };
}
