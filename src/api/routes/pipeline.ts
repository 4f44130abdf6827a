import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { NotFoundError, ValidationError, isErrorNamed } from '../../core/errors';
import { redact } from '../../core/log';
import { ACCESS } from '../auth/roles';
import { principalOf } from '../auth/access';
import type { ApiContext } from '../context';
import { parseCron, localIsoDate } from '../../dag';
import { PgRunStore } from '../../orchestrator';

const runParams = { type: 'object', properties: { runId: { type: 'string', minLength: 1, maxLength: 300 } }, required: ['runId'] } as const;

/** The state shown for a mapped task: the least advanced or worst of its items. */
const STATE_ORDER = ['failed', 'upstream_failed', 'up_for_retry', 'running', 'queued', 'scheduled', 'skipped', 'success'];
function combinedState(states: string[]): string {
  return [...states].sort((a, b) => STATE_ORDER.indexOf(a) - STATE_ORDER.indexOf(b))[0] ?? 'scheduled';
}

/** The list date a run produces: `conf.list_date`, else the local date its data interval ends on (src/pipeline/list-date.ts). */
function listDateOfRun(r: Record<string, unknown>, timeZone: string): string | null {
  const conf = (typeof r.conf === 'string' ? JSON.parse(r.conf) : r.conf) as Record<string, unknown> | null;
  if (typeof conf?.list_date === 'string') return conf.list_date;
  return r.data_interval_end ? localIsoDate(new Date(r.data_interval_end as string), timeZone) : null;
}

function runJsonIn(r: Record<string, unknown>, timeZone: string) {
  return {
    listDate: listDateOfRun(r, timeZone),
    dataIntervalEnd: r.data_interval_end ?? null,
    runId: r.run_id,
    dagId: r.dag_id,
    logicalDate: r.logical_date,
    runType: r.run_type,
    state: r.state,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    deadlineAt: r.deadline_at,
    conf: r.conf,
  };
}

function noControl(reply: FastifyReply): FastifyReply {
  return reply.code(503).send({ error: 'unavailable', message: 'this API process has no orchestrator attached: start it with `relance serve` next to the scheduler' });
}

/** DAGs, runs, task instances, logs and the run grid; trigger and clear for the IT role. */
export function pipelineRoutes(ctx: ApiContext): FastifyPluginAsync {
  const knex = ctx.db.knex;
  const zone = ctx.config.timezone;
  const runJson = (r: Record<string, unknown>) => runJsonIn(r, zone);
  return async (app) => {
    app.get('/api/dags', { config: { access: ACCESS.staff }, schema: { tags: ['pipeline'], summary: 'DAGs with their schedule, pause state and latest run' } }, async () => {
      const latest = await knex.raw(`select distinct on (dag_id) * from orchestrator.dag_runs order by dag_id, logical_date desc`);
      const paused = await knex('orchestrator.dag_state').select('dag_id', 'paused');
      const ids = new Set<string>([...(ctx.control?.dagIds() ?? []), ...Object.keys(ctx.config.dags), ...(latest.rows as { dag_id: string }[]).map((r) => r.dag_id)]);
      return [...ids].sort().map((dagId) => {
        const settings = ctx.config.dags[dagId];
        const last = (latest.rows as Record<string, unknown>[]).find((r) => r.dag_id === dagId);
        const state = paused.find((p: { dag_id: string }) => p.dag_id === dagId) as { paused: boolean } | undefined;
        const timezone = settings?.timezone ?? zone;
        const schedule = settings?.schedule ?? null;
        let nextRunAt: string | null = null;
        try {
          // A scheduled run starts when its interval ends: the next occurrence of the schedule.
          if (schedule) nextRunAt = parseCron(schedule, timezone).next(new Date()).toISOString();
        } catch {
          nextRunAt = null;
        }
        return { dagId, schedule, timezone, nextRunAt, paused: state?.paused ?? settings?.paused ?? false, latestRun: last ? runJson(last) : null };
      });
    });

    app.get<{ Querystring: { dag?: string; state?: string; limit?: number } }>(
      '/api/runs',
      {
        config: { access: ACCESS.staff },
        schema: { tags: ['pipeline'], summary: 'Runs, newest logical date first', querystring: { type: 'object', properties: { dag: { type: 'string' }, state: { type: 'string', enum: ['queued', 'running', 'success', 'failed'] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, additionalProperties: false } },
      },
      async (request) => {
        const q = knex('orchestrator.dag_runs').orderBy('logical_date', 'desc').limit(request.query.limit ?? 50);
        if (request.query.dag) q.where({ dag_id: request.query.dag });
        if (request.query.state) q.where({ state: request.query.state });
        return (await q).map(runJson);
      },
    );

    app.get<{ Params: { runId: string } }>('/api/runs/:runId', { config: { access: ACCESS.staff }, schema: { tags: ['pipeline'], summary: 'A run and its task instances', params: runParams } }, async (request) => {
      const run = await knex('orchestrator.dag_runs').where({ run_id: request.params.runId }).first();
      if (!run) throw new NotFoundError(`no run ${request.params.runId}`);
      const tasks = await knex('orchestrator.task_instances').where({ run_id: run.run_id }).orderByRaw('coalesce(started_at, queued_at, updated_at), task_id, map_index');
      return {
        ...runJson(run),
        tasks: tasks.map((t: Record<string, unknown>) => ({ taskId: t.task_id, mapIndex: t.map_index, state: t.state, tryNumber: t.try_number, maxTries: t.max_tries, pool: t.pool, hostname: t.hostname, queuedAt: t.queued_at, startedAt: t.started_at, endedAt: t.ended_at, durationMs: t.duration_ms, nextTryAt: t.next_try_at, error: typeof t.error === 'string' ? redact(t.error) : null })),
      };
    });

    app.get<{ Params: { runId: string; taskId: string }; Querystring: { try?: number; mapIndex?: number } }>(
      '/api/runs/:runId/tasks/:taskId/logs',
      {
        config: { access: ACCESS.staff },
        schema: { tags: ['pipeline'], summary: "A task's log lines (redacted), per try", params: { type: 'object', properties: { runId: { type: 'string' }, taskId: { type: 'string' } }, required: ['runId', 'taskId'] }, querystring: { type: 'object', properties: { try: { type: 'integer', minimum: 0 }, mapIndex: { type: 'integer', minimum: -1 } }, additionalProperties: false } },
      },
      async (request) => {
        const q = knex('orchestrator.task_logs').where({ run_id: request.params.runId, task_id: request.params.taskId }).orderBy('id').limit(20_000);
        if (request.query.try !== undefined) q.where({ try_number: request.query.try });
        if (request.query.mapIndex !== undefined) q.where({ map_index: request.query.mapIndex });
        const rows = await q;
        return rows.map((l: Record<string, unknown>) => ({ tryNumber: l.try_number, mapIndex: l.map_index, loggedAt: l.logged_at, level: l.level, line: redact(String(l.line)) }));
      },
    );

    app.get<{ Querystring: { dag?: string; limit?: number } }>(
      '/api/grid',
      {
        config: { access: ACCESS.staff },
        schema: { tags: ['pipeline'], summary: 'Recent runs × tasks with their states (the grid view)', querystring: { type: 'object', properties: { dag: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 } }, additionalProperties: false } },
      },
      async (request) => {
        const runsQuery = knex('orchestrator.dag_runs').orderBy('logical_date', 'desc').limit(request.query.limit ?? 25);
        if (request.query.dag) runsQuery.where({ dag_id: request.query.dag });
        const runs = (await runsQuery).reverse();
        const instances = runs.length ? await knex('orchestrator.task_instances').whereIn('run_id', runs.map((r: { run_id: string }) => r.run_id)) : [];
        const cells = new Map<string, { runId: string; taskId: string; states: string[]; tries: number; durationMs: number; firstAt: number }>();
        for (const t of instances as Record<string, unknown>[]) {
          const key = `${t.run_id}\u0000${t.task_id}`;
          const at = new Date((t.started_at ?? t.queued_at ?? t.updated_at) as string).getTime();
          const cell = cells.get(key) ?? { runId: t.run_id as string, taskId: t.task_id as string, states: [], tries: 0, durationMs: 0, firstAt: at };
          cell.states.push(t.state as string);
          cell.tries = Math.max(cell.tries, Number(t.try_number));
          cell.durationMs += Number(t.duration_ms ?? 0);
          cell.firstAt = Math.min(cell.firstAt, at);
          cells.set(key, cell);
        }
        // Tasks in the order they usually start, so the grid reads like the DAG.
        const firstStart = new Map<string, number>();
        for (const c of cells.values()) firstStart.set(c.taskId, Math.min(firstStart.get(c.taskId) ?? Infinity, c.firstAt - new Date(runs.find((r: { run_id: string }) => r.run_id === c.runId)?.created_at ?? 0).getTime()));
        const tasks = [...firstStart.keys()].sort((a, b) => (firstStart.get(a) as number) - (firstStart.get(b) as number) || a.localeCompare(b));
        return {
          runs: runs.map(runJson),
          tasks,
          cells: [...cells.values()].map((c) => ({ runId: c.runId, taskId: c.taskId, state: combinedState(c.states), mapped: c.states.length > 1, items: c.states.length, tries: c.tries, durationMs: c.durationMs })),
        };
      },
    );

    app.put<{ Params: { dagId: string }; Body: { paused: boolean } }>(
      '/api/dags/:dagId/paused',
      {
        config: { access: ACCESS.itOnly },
        schema: { tags: ['pipeline'], summary: 'Pauses or unpauses a DAG: the scheduler creates no run of a paused DAG (IT role)', params: { type: 'object', properties: { dagId: { type: 'string' } }, required: ['dagId'] }, body: { type: 'object', properties: { paused: { type: 'boolean' } }, required: ['paused'], additionalProperties: false } },
      },
      async (request) => {
        const { dagId } = request.params;
        const known = new Set<string>([...(ctx.control?.dagIds() ?? []), ...Object.keys(ctx.config.dags)]);
        if (!known.has(dagId)) throw new NotFoundError(`no DAG ${dagId}`);
        await new PgRunStore(ctx.db).setPaused(dagId, request.body.paused);
        ctx.log.info(request.body.paused ? 'DAG paused from the API' : 'DAG unpaused from the API', { dagId, by: principalOf(request).name });
        return { dagId, paused: request.body.paused };
      },
    );

    app.post<{ Params: { dagId: string }; Body: { logicalDate?: string; conf?: Record<string, unknown> } }>(
      '/api/dags/:dagId/trigger',
      {
        config: { access: ACCESS.itOnly },
        schema: { tags: ['pipeline'], summary: 'Triggers a manual run (IT role)', params: { type: 'object', properties: { dagId: { type: 'string' } }, required: ['dagId'] }, body: { type: ['object', 'null'], properties: { logicalDate: { type: 'string', format: 'date-time' }, conf: { type: 'object' } }, additionalProperties: false } },
      },
      async (request, reply) => {
        if (!ctx.control) return noControl(reply);
        if (!ctx.control.dagIds().includes(request.params.dagId)) throw new NotFoundError(`no DAG ${request.params.dagId}`);
        const body = request.body ?? {};
        try {
          const run = await ctx.control.trigger(request.params.dagId, { logicalDate: body.logicalDate ? new Date(body.logicalDate) : undefined, conf: body.conf, requestedBy: principalOf(request).name });
          ctx.log.info('run triggered from the API', { dagId: request.params.dagId, runId: run.runId, by: principalOf(request).name });
          return reply.code(201).send(run);
        } catch (error) {
          if (isErrorNamed(error, 'ValidationError') || isErrorNamed(error, 'NotFoundError')) throw error;
          if (isErrorNamed(error, 'ConflictError') || /already/i.test((error as Error).message)) return reply.code(409).send({ error: 'conflict', message: (error as Error).message });
          throw error;
        }
      },
    );

    app.post<{ Params: { runId: string }; Body: { taskIds?: string[]; downstream?: boolean } }>(
      '/api/runs/:runId/clear',
      {
        config: { access: ACCESS.itOnly },
        schema: { tags: ['pipeline'], summary: 'Clears tasks of a run so they run again; no taskIds clears the failed ones (IT role)', params: runParams, body: { type: ['object', 'null'], properties: { taskIds: { type: 'array', items: { type: 'string' } }, downstream: { type: 'boolean', default: true } }, additionalProperties: false } },
      },
      async (request, reply) => {
        if (!ctx.control) return noControl(reply);
        const run = await knex('orchestrator.dag_runs').where({ run_id: request.params.runId }).first('run_id');
        if (!run) throw new NotFoundError(`no run ${request.params.runId}`);
        const body = request.body ?? {};
        if (body.taskIds && body.taskIds.length === 0) throw new ValidationError('taskIds must not be empty (omit it to clear the failed tasks)', { context: { field: 'body.taskIds' } });
        let cleared: number;
        try {
          cleared = await ctx.control.clear(request.params.runId, { taskIds: body.taskIds, downstream: body.downstream ?? true, requestedBy: principalOf(request).name });
        } catch (error) {
          // A running try is never cleared: the request waits for the try to end.
          if (isErrorNamed(error, 'ConflictError')) return reply.code(409).send({ error: 'conflict', message: (error as Error).message });
          throw error;
        }
        ctx.log.info('tasks cleared from the API', { runId: request.params.runId, cleared, by: principalOf(request).name });
        return { runId: request.params.runId, cleared };
      },
    );
  };
}
