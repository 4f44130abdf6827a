import { Command } from 'commander';
import { BullmqExecutor, InlineExecutor, Scheduler, type Executor } from '../../orchestrator';
import { openSession, type DagCliEnv, type OrchestratorResources } from './dags';

/** Resolves when the process is asked to stop (SIGINT, SIGTERM). */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `relance scheduler`: creates scheduled runs (catching up when a DAG asks), starts them, sweeps
 * for lost work and raises deadline alerts. With Redis configured tasks go to BullMQ workers;
 * without, they run in this process (embedded mode). `--once` does one pass and exits.
 */
export function schedulerCommand<R extends OrchestratorResources>(cli: DagCliEnv<R>, options: { stop?: () => Promise<unknown> } = {}): Command {
  return new Command('scheduler').description('run the scheduler until stopped (Ctrl-C)')
    .option('--once', 'one pass (create due runs, start them, check deadlines), then exit')
    .option('--sweep <ms>', 'interval of the safety sweep', '10000')
    .action(async (opts: { once?: boolean; sweep: string }) => {
      const s = await openSession(cli, { longLived: true });
      const executor: Executor = s.config.redis.url ? new BullmqExecutor({ url: s.config.redis.url, prefix: s.config.redis.prefix }, { log: s.log }) : new InlineExecutor(s.executeCpuTask ? { executeCpuTask: s.executeCpuTask } : {});
      const scheduler = new Scheduler({
        registry: s.registry, resources: s.resources, store: s.store, log: s.log, sweepMs: Number(opts.sweep), executor, leaseMs: s.config.orchestrator.leaseMs,
        alerts: { webhookUrl: s.config.monitoring.alerts.webhookUrl },
      });
      try {
        if (opts.once) {
          const report = await scheduler.tick();
          await scheduler.idle();
          cli.print(JSON.stringify(report));
          return;
        }
        const first = await scheduler.start();
        s.log.info(`scheduler started (${executor.name === 'bullmq' ? 'BullMQ workers' : 'inline'}): ${s.registry.dags.size} DAG(s), ${first.created.length} run(s) created at start`);
        await (options.stop ?? untilSignal)();
        s.log.info('scheduler stopping');
        await scheduler.stop();
      } finally {
        await executor.stop();
        await s.close();
      }
    });
}
