import { Command } from 'commander';
import type { RunState } from '../../orchestrator';
import { formatTable } from '../format-table';
import { inSession, when, type DagCliEnv, type OrchestratorResources } from './dags';

/** `relance runs list [<dag>]`: the DAG runs, newest first, with a missed deadline flagged. */
export function runsCommand<R extends OrchestratorResources>(cli: DagCliEnv<R>): Command {
  const runs = new Command('runs').description('DAG runs');
  runs.command('list [dag]').description('runs, newest logical date first')
    .option('--state <state>', 'only runs in this state (queued, running, success, failed)')
    .option('--limit <n>', 'at most this many', '30')
    .option('--json', 'machine-readable output')
    .action((dagId: string | undefined, opts: { state?: string; limit: string; json?: boolean }) => inSession(cli, async (s) => {
      if (dagId) s.registry.get(dagId);
      const list = await s.store.listRuns({ dagId, states: opts.state ? [opts.state as RunState] : undefined, limit: Number(opts.limit) });
      if (opts.json) return cli.print(JSON.stringify(list, null, 2));
      const tz = (id: string): string => s.registry.dags.get(id)?.timezone ?? 'UTC';
      cli.print(formatTable(list, [
        { header: 'run', value: (r) => r.runId },
        { header: 'type', value: (r) => r.runType },
        { header: 'state', value: (r) => r.state },
        { header: 'interval (local)', value: (r) => `${when(r.dataIntervalStart, tz(r.dagId))} → ${when(r.dataIntervalEnd, tz(r.dagId))}` },
        { header: 'started', value: (r) => when(r.startedAt, tz(r.dagId)) },
        { header: 'ended', value: (r) => when(r.endedAt, tz(r.dagId)) },
        { header: 'deadline', value: (r) => (r.deadlineAt ? `${when(r.deadlineAt, tz(r.dagId)).slice(11)}${r.deadlineAlertedAt ? ' MISSED' : ''}` : '-') },
      ]));
    }));
  return runs;
}
