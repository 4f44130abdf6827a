import { Command } from 'commander';
import { ConfigError, ValidationError } from '../../core/errors';
import { cpuThreadExecutor, startWorker } from '../../orchestrator';
import { openSession, type DagCliEnv, type OrchestratorResources } from './dags';
import { untilSignal } from './scheduler';

/** Parses `io=2,default=4`. */
export function parsePools(text: string | undefined): Record<string, number> {
  const pools: Record<string, number> = {};
  for (const part of (text ?? '').split(',').filter(Boolean)) {
    const [name, size] = part.split('=');
    if (!name || !/^\d+$/.test(size ?? '') || Number(size) < 1) throw new ValidationError(`--pools: '${part}' must be name=size`, { context: { field: 'pools' } });
    pools[name] = Number(size);
  }
  return pools;
}

/**
 * `relance worker`: runs tasks from the BullMQ queues (one per pool) until stopped. Start as many
 * as needed, on any machine that reaches the same Redis and Postgres.
 */
export function workerCommand<R extends OrchestratorResources>(
  cli: DagCliEnv<R>,
  options: {
    stop?: () => Promise<unknown>;
    lockDurationMs?: number;
    stalledIntervalMs?: number;
    /**
     * Runs `cpu: true` tasks in worker threads, which build their resources with this factory
     * (module path and export, e.g. `src/pipeline/resources` / `createResources`). Without it they
     * run on the worker's event loop.
     */
    cpuThreads?: { resourcesModule: string; resourcesExport?: string };
  } = {},
): Command {
  return new Command('worker').description('run tasks from the queues until stopped (Ctrl-C)')
    .option('--pools <list>', 'tries run at once per pool, e.g. io=2,default=4 (default 4 each)')
    .option('--only <list>', 'serve only these pools (comma-separated)')
    .action(async (opts: { pools?: string; only?: string }) => {
      const s = await openSession(cli, { longLived: true });
      try {
        if (!s.config.redis.url) throw new ConfigError('the worker needs Redis: set redis.url or REDIS_URL (without it, the scheduler runs tasks itself)', { context: { path: 'redis.url' } });
        const worker = await startWorker({
          registry: s.registry, resources: s.resources, store: s.store, log: s.log, redis: { url: s.config.redis.url, prefix: s.config.redis.prefix },
          pools: parsePools(opts.pools), onlyPools: opts.only ? opts.only.split(',') : undefined, lockDurationMs: options.lockDurationMs, stalledIntervalMs: options.stalledIntervalMs, leaseMs: s.config.orchestrator.leaseMs,
          executeCpuTask: options.cpuThreads ? cpuThreadExecutor<R>(s.registry.files, { ...options.cpuThreads, config: s.config }) : s.executeCpuTask,
        });
        s.log.info(`worker ${process.pid} serving pools ${worker.pools.join(', ')}`);
        await (options.stop ?? untilSignal)();
        s.log.info('worker stopping: waiting for the tries in progress');
        await worker.close();
      } finally {
        await s.close();
      }
    });
}
