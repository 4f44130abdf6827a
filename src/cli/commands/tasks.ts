import { Command } from 'commander';
import { NotFoundError } from '../../core/errors';
import { intervalForDate, type Json } from '../../dag';
import { buildContext, describeError, taskLabel, type DagRunRecord } from '../../orchestrator';
import { formatTable } from '../format-table';
import { executeRun, inSession, when, type DagCliEnv, type OrchestratorResources } from './dags';

/** The task ids of `taskId` and, with `downstream`, of everything after it. */
export function withDownstream(upstreamOf: ReadonlyMap<string, { upstream: readonly string[] }>, taskId: string, downstream: boolean): string[] {
  const picked = new Set([taskId]);
  if (downstream) {
    let grew = true;
    while (grew) {
      grew = false;
      for (const [id, spec] of upstreamOf) if (!picked.has(id) && spec.upstream.some((u) => picked.has(u))) grew = picked.add(id).size > 0;
    }
  }
  return [...picked];
}

/** `relance tasks list | logs | clear | test`. */
export function tasksCommand<R extends OrchestratorResources>(cli: DagCliEnv<R>): Command {
  const tasks = new Command('tasks').description('task instances of a run');

  tasks.command('list <run>').description('the task instances of a run: state, try, worker, timings').option('--json', 'machine-readable output')
    .action((runId: string, opts: { json?: boolean }) => inSession(cli, async (s) => {
      const run = await s.store.getRun(runId);
      if (!run) throw new NotFoundError(`no run ${runId}`, { context: { runId } });
      const dag = s.registry.dags.get(run.dagId);
      const order = (id: string): number => dag?.order.indexOf(id) ?? 0;
      const list = (await s.store.listTaskInstances(runId)).sort((a, b) => order(a.taskId) - order(b.taskId) || a.mapIndex - b.mapIndex);
      if (opts.json) return cli.print(JSON.stringify({ run, tasks: list }, null, 2));
      const tz = dag?.timezone ?? 'UTC';
      cli.print(`${run.runId}: ${run.state} (${run.runType})`);
      cli.print(formatTable(list, [
        { header: 'task', value: (t) => taskLabel(t) },
        { header: 'state', value: (t) => t.state },
        { header: 'try', value: (t) => `${t.tryNumber}/${t.maxTries}`, align: 'right' },
        { header: 'worker', value: (t) => (t.hostname ? `${t.hostname}:${t.pid}` : '-') },
        { header: 'started', value: (t) => when(t.startedAt, tz) },
        { header: 'duration', value: (t) => (t.durationMs === null ? '-' : `${(t.durationMs / 1000).toFixed(1)}s`), align: 'right' },
        { header: 'error', value: (t) => (t.error ?? '').slice(0, 80) },
      ]));
    }));

  tasks.command('logs <run> <task>').description('the stored log lines of a task (every try, or one)')
    .option('--try <n>', 'only this try').option('--map <i>', 'only this map index').option('--json', 'machine-readable output')
    .action((runId: string, taskId: string, opts: { try?: string; map?: string; json?: boolean }) => inSession(cli, async (s) => {
      const lines = await s.store.readLogs(runId, taskId, { tryNumber: opts.try === undefined ? undefined : Number(opts.try), mapIndex: opts.map === undefined ? undefined : Number(opts.map) });
      if (opts.json) return cli.print(JSON.stringify(lines, null, 2));
      if (lines.length === 0) cli.print(`no log lines for ${taskId} in ${runId}`);
      let current = '';
      for (const l of lines) {
        const header = `--- ${taskLabel({ taskId, mapIndex: l.mapIndex })} try ${l.tryNumber}`;
        if (header !== current) cli.print((current = header));
        cli.print(l.line);
      }
    }));

  tasks.command('clear <run> <task>').description('reset a task (and with --downstream what follows it) so that it runs again')
    .option('--downstream', 'also every task after it').option('--no-run', 'only reset; let the scheduler or workers run it')
    .action((runId: string, taskId: string, opts: { downstream?: boolean; run: boolean }) => inSession(cli, async (s) => {
      const run = await s.store.getRun(runId);
      if (!run) throw new NotFoundError(`no run ${runId}`, { context: { runId } });
      const dag = s.registry.get(run.dagId);
      if (!dag.tasks.has(taskId)) throw new NotFoundError(`dag ${dag.id} has no task ${taskId}`, { context: { dagId: dag.id, taskId } });
      const ids = withDownstream(dag.tasks, taskId, opts.downstream ?? false);
      const n = await s.store.clearTasks(runId, ids, (id) => dag.tasks.get(id)?.options.retries ?? 0);
      cli.print(`cleared ${n} task instance(s) of ${runId}: ${ids.join(', ')}`);
      if (opts.run) cli.print(`run ${runId}: ${await executeRun(s, dag, runId, 'auto', cli.print)}`);
    }));

  tasks.command('test <dag> <task>').description('run one task here, now, without recording its state (upstream results are read from the run of that date)')
    .option('--date <YYYY-MM-DD>', 'logical date (local)', new Date().toISOString().slice(0, 10)).option('--conf <json>', 'ctx.conf')
    .action((dagId: string, taskId: string, opts: { date: string; conf?: string }) => inSession(cli, async (s) => {
      const dag = s.registry.get(dagId);
      const spec = dag.tasks.get(taskId);
      if (!spec) throw new NotFoundError(`dag ${dagId} has no task ${taskId}`, { context: { dagId, taskId } });
      const interval = intervalForDate(dag, opts.date);
      const existing = await s.store.findRun(dag.id, interval.start);
      const run: DagRunRecord = existing ?? {
        runId: `${dag.id}@test`, dagId: dag.id, logicalDate: interval.start, dataIntervalStart: interval.start, dataIntervalEnd: interval.end, runType: 'manual',
        conf: {}, state: 'running', createdAt: new Date(), startedAt: null, endedAt: null, deadlineAt: null, deadlineAlertedAt: null,
      };
      if (opts.conf) run.conf = JSON.parse(opts.conf) as Record<string, unknown>;
      const log = s.log.child({ task: taskId });
      const ctx = buildContext(dag, run, { taskId, mapIndex: -1 }, 1, s.env, log, new AbortController().signal);
      const items: (Json | undefined)[] = spec.over ? [...(await spec.over(ctx))] : [undefined];
      for (const [i, item] of items.entries()) {
        const itemCtx = spec.over ? buildContext(dag, run, { taskId, mapIndex: i }, 1, s.env, log.child({ map: i }), new AbortController().signal) : ctx;
        try {
          const value = await spec.run(itemCtx, item);
          cli.print(`${taskLabel({ taskId, mapIndex: spec.over ? i : -1 })}: success ${JSON.stringify(value ?? null)}`);
        } catch (error) {
          cli.print(`${taskLabel({ taskId, mapIndex: spec.over ? i : -1 })}: failed ${describeError(error)}`);
          process.exitCode = 1;
        }
      }
    }));
  return tasks;
}
