import { Command } from 'commander';
import type { RelanceConfig } from '../../config';
import type { Database } from '../../db';
import { ValidationError } from '../../core/errors';
import { createLogger, type Logger } from '../../core/log';
import { systemClock, type Clock } from '../../core/clock';
import { intervalForDate, localIsoDate, parseIsoDate, type Dag, type DataInterval, type ScheduledDag } from '../../dag';
import {
  BullmqExecutor, checkInterval, cpuThreadExecutor, checkNotPaused, createOrClearRun, DAGS_DIR, describeWait, driveRunInline, loadDagRegistry, PgRunStore, recordTriggeredRun, withDeadlineWatch,
  type CpuTaskExecutor, type DagRegistry, type RunStore, type TaskEnvironment,
} from '../../orchestrator';
import { askOnTerminal } from '../confirm';
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
  /** `longLived`: the command runs until stopped (scheduler, worker; see `src/db/shared-embedded`). */
  openResources(options?: { longLived?: boolean }): Promise<R>;
  print(line: string): void;
  registry?(): DagRegistry<R>;
  /** The process logger. @defaultValue stderr, at the configured level */
  logger?(): Logger;
  /** The time the commands go by (which nights are over). @defaultValue the system clock */
  clock?(): Clock;
  /**
   * Asks the person a yes/no question. @defaultValue on a terminal, a question on stdin; without
   * one (scripts, cron), none: the command then needs its `--yes`
   */
  confirm?(question: string): Promise<boolean>;
  /**
   * Where worker threads find the resources factory (module path and export), to run `cpu: true`
   * tasks off the event loop when the database is Postgres (an embedded database stays in its
   * process: its tasks run on the event loop). @defaultValue none: every task on the event loop
   */
  cpuThreads?: { resourcesModule: string; resourcesExport?: string };
}

/** An opened orchestrator context: resources, store, registry, logger. Close it. */
export interface OrchestratorSession<R extends OrchestratorResources> {
  resources: R;
  store: RunStore;
  registry: DagRegistry<R>;
  log: Logger;
  env: TaskEnvironment<R>;
  config: RelanceConfig;
  /** Runs `cpu: true` tasks in worker threads (Postgres and `cpuThreads` set), else undefined. */
  executeCpuTask?: CpuTaskExecutor;
  close(): Promise<void>;
}

/** Opens resources and the run store for one command. */
export async function openSession<R extends OrchestratorResources>(cli: DagCliEnv<R>, options: { longLived?: boolean } = {}): Promise<OrchestratorSession<R>> {
  const config = cli.config();
  const registry = cli.registry ? cli.registry() : loadDagRegistry<R>(DAGS_DIR, config.dags);
  const log = cli.logger?.() ?? createLogger({ level: config.log.level, json: config.log.json });
  const resources = await cli.openResources(options);
  const store = new PgRunStore(resources.db);
  const clock = cli.clock?.() ?? systemClock;
  const executeCpuTask = cli.cpuThreads && resources.db.kind === 'postgres' ? (cpuThreadExecutor(registry.files, { ...cli.cpuThreads, config }) as CpuTaskExecutor) : undefined;
  return { resources, store, registry, log, config, env: { store, resources, clock, log, leaseMs: config.orchestrator.leaseMs }, ...(executeCpuTask ? { executeCpuTask } : {}), close: () => resources.close() };
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

/** How long an inline trigger waits between looks at the runs ahead of its own. */
const WAIT_POLL_MS = 500;

/**
 * Starts a recorded, queued run the way the scheduler does: only within the DAG's
 * `maxActiveRuns` (runs are admitted oldest first, across every process). With Redis configured
 * the admitted runs are queued for the workers and a run with no room is left queued for the
 * scheduler; inline, this process runs what it admits and waits for room for its own run, then
 * runs it to its end. Returns the run's state, or what happens to it.
 */
export async function executeRun<R extends OrchestratorResources>(s: OrchestratorSession<R>, dag: Dag<R>, runId: string, mode: 'auto' | 'inline' = 'auto', print: (line: string) => void = () => undefined): Promise<string> {
  const admit = () => s.store.admitQueuedRuns(dag.id, dag.maxActiveRuns, s.env.clock.now());
  if (mode === 'auto' && s.config.redis.url) {
    const admitted = await admit();
    if (admitted.length > 0) {
      const executor = new BullmqExecutor({ url: s.config.redis.url, prefix: s.config.redis.prefix }, { log: s.log });
      try {
        for (const id of admitted) await executor.start(dag, id, s.env);
      } finally {
        await executor.close();
      }
    }
    const run = await s.store.getRun(runId);
    // Started here or by another process admitting at the same time: its tasks are queued either way.
    if (admitted.includes(runId) || run?.state === 'running') return 'queued for the workers';
    if (run?.state === 'queued') return `${await describeWait(dag as Dag<unknown>, s.store)}; the scheduler starts it when one ends`;
    return run?.state ?? 'unknown';
  }
  let announced = false;
  // Deadlines are watched wherever runs run: here too, not only under `relance scheduler`.
  const watch = { store: s.store, clock: s.env.clock, log: s.log, alerts: { webhookUrl: s.config.monitoring.alerts.webhookUrl } };
  for (;;) {
    const admitted = await admit();
    if (admitted.length > 0) await withDeadlineWatch([dag as Dag<unknown>], watch, () => Promise.all(admitted.map((id) => driveRunInline(dag, id, s.env, s.executeCpuTask ? { executeCpuTask: s.executeCpuTask } : {}))));
    const run = await s.store.getRun(runId);
    if (!run || run.state === 'success' || run.state === 'failed') return run?.state ?? 'unknown';
    if (!announced) {
      print(run.state === 'queued' ? `run ${runId} ${await describeWait(dag as Dag<unknown>, s.store)}; waiting for room` : `run ${runId} is running in another process; waiting for it to end`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
  }
}

/** Intervals whose logical date falls on a local date in `[from, to]`; refuses impossible dates and an inverted range. */
export function intervalsBetween(dag: ScheduledDag & { id: string }, from: string, to: string): DataInterval[] {
  if (!dag.cron) throw new ValidationError(`dag ${dag.id} has no schedule: backfill needs one`, { context: { dagId: dag.id } });
  parseIsoDate(from, 'from');
  parseIsoDate(to, 'to');
  if (from > to) throw new ValidationError(`--from ${from} is after --to ${to}`, { context: { dagId: dag.id, field: 'from' } });
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
      .option('--date <YYYY-MM-DD>', 'the night to run (local date); default: the latest night that has ended')
      .option('--conf <json>', 'parameters for the run (ctx.conf)')
      .option('--rerun', 'if the night already has a run that ended: clear its tasks and run it again')
      .option('--force', 'even if the DAG is paused, or the night is before its startDate or not over yet')
      .option('--json', 'machine-readable output')
      .action((dagId: string, opts: { date?: string; conf?: string; rerun?: boolean; force?: boolean; json?: boolean }) => inSession(cli, async (s) => {
        const dag = s.registry.get(dagId);
        const run = await recordTriggeredRun(dag, s.store, { date: opts.date, conf: parseConf(opts.conf), runType: 'manual', rerun: opts.rerun, force: opts.force }, s.env.clock);
        if (!opts.json) cli.print(`run ${run.runId} (ds ${localIsoDate(run.logicalDate, dag.timezone)}) created`);
        const state = await executeRun(s, dag, run.runId, mode, opts.json ? undefined : cli.print);
        if (opts.json) return cli.print(JSON.stringify({ runId: run.runId, state }));
        cli.print(`run ${run.runId}: ${state}`);
        if (state === 'failed') process.exitCode = 1;
      }));
  trigger('trigger', 'create a manual run (queued for the workers with Redis, else run here), within maxActiveRuns', 'auto');
  trigger('run', 'create a manual run and run it here, in this process (inline executor), within maxActiveRuns', 'inline');

  dags.command('backfill <dag>').description('create the runs of past nights (logical dates from..to, local)')
    .requiredOption('--from <YYYY-MM-DD>', 'first logical date').requiredOption('--to <YYYY-MM-DD>', 'last logical date')
    .option('--rerun-failed', 'clear and run again the failed runs of the range').option('--dry-run', 'only list what would run')
    .option('--force', 'even if the DAG is paused, or nights are before its startDate or not over yet')
    .option('--yes', 'create more runs than backfill.confirmAbove without asking')
    .option('--json', 'machine-readable output')
    .action((dagId: string, opts: { from: string; to: string; rerunFailed?: boolean; dryRun?: boolean; force?: boolean; yes?: boolean; json?: boolean }) => inSession(cli, async (s) => {
      const dag = s.registry.get(dagId);
      const intervals = intervalsBetween(dag, opts.from, opts.to);
      for (const interval of intervals) checkInterval(dag, interval, s.env.clock.now(), opts.force);
      const plan: { interval: DataInterval; logicalDate: string; ds: string; action: string; runId?: string; state?: string }[] = [];
      for (const interval of intervals) {
        const existing = await s.store.findRun(dag.id, interval.start);
        const action = !existing ? 'create' : existing.state === 'failed' && opts.rerunFailed ? 'rerun' : `keep (${existing.state})`;
        plan.push({ interval, logicalDate: interval.start.toISOString(), ds: localIsoDate(interval.start, dag.timezone), action, runId: existing?.runId });
      }
      if (!opts.dryRun) {
        await checkNotPaused(dag as Dag<unknown>, s.store, opts.force);
        await confirmSize(cli, s.config.backfill.confirmAbove, dag.id, opts, plan.filter((p) => !p.action.startsWith('keep')).length, opts.yes);
        for (const p of plan) {
          if (p.action.startsWith('keep')) continue;
          const run = await createOrClearRun(dag, s.store, p.interval, { runType: 'backfill', rerun: p.action === 'rerun' });
          p.runId = run.runId;
          // With workers, the scheduler starts queued runs within maxActiveRuns; inline, one after the other.
          p.state = s.config.redis.url ? 'queued' : await executeRun(s, dag, run.runId, 'inline', opts.json ? undefined : cli.print);
        }
      }
      const rows = plan.map(({ interval: _interval, ...row }) => row);
      if (opts.json) return cli.print(JSON.stringify(rows, null, 2));
      cli.print(formatTable(rows, [
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

/** Asks before a backfill creates more than `limit` runs; `--yes` answers in advance. */
async function confirmSize<R extends OrchestratorResources>(cli: DagCliEnv<R>, limit: number, dagId: string, range: { from: string; to: string }, runs: number, yes: boolean | undefined): Promise<void> {
  if (runs <= limit || yes) return;
  const ask = cli.confirm ?? (process.stdin.isTTY && process.stdout.isTTY ? askOnTerminal : undefined);
  if (!ask) {
    throw new ValidationError(`backfill of ${dagId} from ${range.from} to ${range.to} would create ${runs} runs and backfill.confirmAbove is ${limit}: pass --yes to confirm`, { context: { dagId, field: 'yes' } });
  }
  if (!(await ask(`backfill of ${dagId} from ${range.from} to ${range.to} will create ${runs} runs (backfill.confirmAbove is ${limit}). Go on? [y/N] `))) {
    throw new ValidationError('backfill cancelled: nothing was created', { context: { dagId } });
  }
}
