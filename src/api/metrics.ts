/**
 * Prometheus metrics of the API process (prom-client): scoring latency and HTTP durations measured
 * here, and pipeline gauges read from the orchestrator tables and the BullMQ queues when scraped.
 */
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Knex } from 'knex';
import type { Logger } from '../core/log';

/** Counts of jobs per queue and state, as BullMQ reports them. */
export type QueueDepthReader = () => Promise<{ queue: string; state: string; count: number }[]>;

/** The metrics an API server records into. */
export interface ApiMetrics {
  readonly registry: Registry;
  /** Seconds spent scoring one row (model only, no I/O). */
  readonly scoringLatency: Histogram<'source'>;
  /** Seconds per HTTP request, by route pattern (never the URL: it may carry ids). */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** Creates a registry with the API's metrics; `knex` and `queues` feed the pipeline gauges. */
export function createApiMetrics(options: { knex: Knex; log: Logger; queues?: QueueDepthReader; defaultMetrics?: boolean }): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'relance_api_' });
  const { knex, log } = options;

  const scoringLatency = new Histogram({
    name: 'relance_scoring_latency_seconds',
    help: 'Time to score and explain one debtor on demand',
    labelNames: ['source'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'relance_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  new Gauge({
    name: 'relance_dag_run_duration_seconds',
    help: 'Duration of the latest finished run of each DAG',
    labelNames: ['dag_id', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows = await knex.raw(
          `select distinct on (dag_id) dag_id, state, extract(epoch from (ended_at - started_at)) as seconds
             from orchestrator.dag_runs where ended_at is not null and started_at is not null
            order by dag_id, logical_date desc`,
        );
        for (const r of rows.rows as { dag_id: string; state: string; seconds: number | string }[]) this.set({ dag_id: r.dag_id, state: r.state }, Number(r.seconds));
      } catch (error) {
        log.warn('metrics: could not read dag runs', { error });
      }
    },
  });

  new Gauge({
    name: 'relance_task_failures',
    help: 'Task instances failed in the last 24 hours, by DAG and task',
    labelNames: ['dag_id', 'task_id'],
    registers: [registry],
    async collect() {
      this.reset();
      try {
        const rows = await knex.raw(
          `select r.dag_id, t.task_id, count(*)::int as n
             from orchestrator.task_instances t join orchestrator.dag_runs r using (run_id)
            where t.state in ('failed', 'up_for_retry') and t.updated_at > now() - interval '24 hours'
            group by r.dag_id, t.task_id`,
        );
        for (const r of rows.rows as { dag_id: string; task_id: string; n: number }[]) this.set({ dag_id: r.dag_id, task_id: r.task_id }, Number(r.n));
      } catch (error) {
        log.warn('metrics: could not read task failures', { error });
      }
    },
  });

  new Gauge({
    name: 'relance_queue_depth',
    help: 'Jobs per BullMQ queue and state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!options.queues) return;
      try {
        for (const q of await options.queues()) this.set({ queue: q.queue, state: q.state }, q.count);
      } catch (error) {
        log.warn('metrics: could not read queue depths', { error });
      }
    },
  });

  return { registry, scoringLatency, httpDuration };
}
