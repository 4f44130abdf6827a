import type { Knex } from 'knex';
import type { Database } from '../db';
import { wrapDbError } from '../db';
import { ConflictError } from '../core/errors';
import { isTransient } from '../core/retryable';
import type { Json, RunType } from '../dag';
import type { AlertRecord, ExpiredTry, NewRun, NewTaskInstance, RunStore, TaskLogLine, TaskPatch, TryClaim } from './run-store';
import { runIdFor, taskLabel, type DagRunRecord, type RunState, type TaskInstanceRecord, type TaskKey, type TaskState } from './states';

interface PgClient {
  query(sql: string, values: unknown[]): Promise<{ rows: { ok?: boolean }[] }>;
}

const RUNS = 'orchestrator.dag_runs';
const TIS = 'orchestrator.task_instances';

type Row = Record<string, unknown>;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

function toRun(r: Row): DagRunRecord {
  return {
    runId: r.run_id as string, dagId: r.dag_id as string, logicalDate: date(r.logical_date)!, dataIntervalStart: date(r.data_interval_start)!,
    dataIntervalEnd: date(r.data_interval_end)!, runType: r.run_type as RunType, conf: (r.conf ?? {}) as Record<string, unknown>, state: r.state as RunState,
    createdAt: date(r.created_at)!, startedAt: date(r.started_at), endedAt: date(r.ended_at), deadlineAt: date(r.deadline_at), deadlineAlertedAt: date(r.deadline_alerted_at),
  };
}

function toInstance(r: Row): TaskInstanceRecord {
  return {
    runId: r.run_id as string, taskId: r.task_id as string, mapIndex: Number(r.map_index), mapItem: (r.map_item ?? null) as Json | null, state: r.state as TaskState,
    tryNumber: Number(r.try_number), maxTries: Number(r.max_tries), pool: r.pool as string, priority: Number(r.priority), hostname: (r.hostname ?? null) as string | null,
    pid: r.pid === null || r.pid === undefined ? null : Number(r.pid), queuedAt: date(r.queued_at), startedAt: date(r.started_at), endedAt: date(r.ended_at),
    durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms), nextTryAt: date(r.next_try_at), error: (r.error ?? null) as string | null,
    leaseExpiresAt: date(r.lease_expires_at),
  };
}

const COLUMNS: Record<keyof TaskPatch, string> = {
  tryNumber: 'try_number', hostname: 'hostname', pid: 'pid', queuedAt: 'queued_at', startedAt: 'started_at', endedAt: 'ended_at',
  durationMs: 'duration_ms', nextTryAt: 'next_try_at', error: 'error', maxTries: 'max_tries',
};

function instanceRow(runId: string, i: NewTaskInstance): Row {
  return { run_id: runId, task_id: i.taskId, map_index: i.mapIndex, map_item: i.mapItem === undefined ? null : JSON.stringify(i.mapItem), state: 'scheduled', try_number: i.tryNumber ?? 0, max_tries: i.maxTries, pool: i.pool, priority: i.priority };
}

/** The {@link RunStore} on Postgres or PGlite, in the `orchestrator` schema. */
export class PgRunStore implements RunStore {
  private readonly knex: Knex;
  private readonly kind: Database['kind'];
  private readonly held = new Set<number>();
  constructor(db: Database) {
    this.knex = db.knex;
    this.kind = db.kind;
  }

  async exclusively<T>(lockId: number, fn: () => Promise<T>): Promise<T | undefined> {
    // In-process exclusion first; PGlite is one process, Postgres adds the cross-process lock.
    if (this.held.has(lockId)) return undefined;
    this.held.add(lockId);
    try {
      if (this.kind !== 'postgres') return await fn();
      const client = this.knex.client as { acquireConnection(): Promise<PgClient>; releaseConnection(c: PgClient): Promise<void> };
      const connection = await client.acquireConnection();
      try {
        const got = await connection.query('select pg_try_advisory_lock($1) as ok', [lockId]);
        if (!got.rows[0]?.ok) return undefined;
        try {
          return await fn();
        } finally {
          await connection.query('select pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
        }
      } finally {
        await client.releaseConnection(connection);
      }
    } finally {
      this.held.delete(lockId);
    }
  }

  /**
   * Runs one store statement. A statement that fails transiently (its connection died with a
   * terminated backend or a restarted server, a deadlock, a server short of connections) is tried
   * again, on a fresh connection: every statement here is idempotent or a compare-and-set, so
   * running it twice is safe.
   */
  private async q<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (cause) {
        if (cause instanceof ConflictError) throw cause;
        if (attempt >= 4 || !isTransient(cause)) throw wrapDbError(cause, `orchestrator ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  createRun(run: NewRun, instances: readonly NewTaskInstance[]): Promise<DagRunRecord | null> {
    return this.q('create run', () =>
      this.knex.transaction(async (trx) => {
        const runId = runIdFor(run.dagId, run.logicalDate);
        const inserted = (await trx(RUNS)
          .insert({
            run_id: runId, dag_id: run.dagId, logical_date: run.logicalDate, data_interval_start: run.dataIntervalStart, data_interval_end: run.dataIntervalEnd,
            run_type: run.runType, conf: JSON.stringify(run.conf), state: 'queued', deadline_at: run.deadlineAt,
          })
          .onConflict(['dag_id', 'logical_date'])
          .ignore()
          .returning('*')) as Row[];
        const row = inserted[0];
        if (!row) return null;
        if (instances.length > 0) await trx(TIS).insert(instances.map((i) => instanceRow(runId, i)));
        return toRun(row);
      }),
    );
  }

  async getRun(runId: string): Promise<DagRunRecord | undefined> {
    const row = await this.q('get run', () => this.knex(RUNS).where({ run_id: runId }).first());
    return row ? toRun(row as Row) : undefined;
  }

  async findRun(dagId: string, logicalDate: Date): Promise<DagRunRecord | undefined> {
    const row = await this.q('find run', () => this.knex(RUNS).where({ dag_id: dagId, logical_date: logicalDate }).first());
    return row ? toRun(row as Row) : undefined;
  }

  async listRuns(filter: { dagId?: string; states?: RunState[]; limit?: number } = {}): Promise<DagRunRecord[]> {
    const rows = await this.q('list runs', () => {
      const query = this.knex(RUNS).select('*').orderBy([{ column: 'logical_date', order: 'desc' }, { column: 'dag_id' }]).limit(filter.limit ?? 1000);
      if (filter.dagId) query.where({ dag_id: filter.dagId });
      if (filter.states) query.whereIn('state', filter.states);
      return query;
    });
    return (rows as Row[]).map(toRun);
  }

  async latestLogicalDate(dagId: string, runTypes: RunType[] = ['scheduled', 'backfill']): Promise<Date | null> {
    const row = (await this.q('latest run', () => this.knex(RUNS).where({ dag_id: dagId }).whereIn('run_type', runTypes).max({ d: 'logical_date' }).first())) as Row | undefined;
    return date(row?.d);
  }

  async setRunState(runId: string, from: readonly RunState[], state: RunState, at: Date): Promise<boolean> {
    const patch: Row = { state };
    if (state === 'running') patch.started_at = this.knex.raw('coalesce(started_at, ?)', [at]);
    if (state === 'success' || state === 'failed') patch.ended_at = at;
    if (state === 'queued') patch.ended_at = null;
    const n = await this.q('set run state', () => this.knex(RUNS).where({ run_id: runId }).whereIn('state', from).update(patch));
    return Number(n) > 0;
  }

  async listTaskInstances(runId: string): Promise<TaskInstanceRecord[]> {
    const rows = await this.q('list task instances', () => this.knex(TIS).where({ run_id: runId }).orderBy(['task_id', 'map_index']));
    return (rows as Row[]).map(toInstance);
  }

  async countUnfinished(runId: string): Promise<number> {
    const row = (await this.q('count unfinished', () =>
      this.knex(TIS).where({ run_id: runId }).whereNotIn('state', ['success', 'failed', 'upstream_failed', 'skipped']).count({ n: '*' }).first())) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  async getTaskInstance(key: TaskKey): Promise<TaskInstanceRecord | undefined> {
    const row = await this.q('get task instance', () => this.knex(TIS).where({ run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex }).first());
    return row ? toInstance(row as Row) : undefined;
  }

  expandMappedTask(runId: string, taskId: string, items: readonly NewTaskInstance[]): Promise<boolean> {
    return this.q('expand mapped task', () =>
      this.knex.transaction(async (trx) => {
        const where = { run_id: runId, task_id: taskId, map_index: -1, state: 'scheduled' };
        if (items.length === 0) return Number(await trx(TIS).where(where).update({ state: 'skipped', updated_at: trx.fn.now() })) > 0;
        const removed = Number(await trx(TIS).where(where).delete());
        if (removed === 0) return false;
        await trx(TIS).insert(items.map((i) => instanceRow(runId, i)));
        return true;
      }),
    );
  }

  /** `now() + ms` in Postgres time. */
  private fromNow(ms: number): Knex.Raw {
    return this.knex.raw("now() + (?::integer * interval '1 millisecond')", [Math.round(ms)]);
  }

  async claimTry(key: TaskKey, tryNumber: number, by: TryClaim): Promise<TaskInstanceRecord | undefined> {
    const rows = await this.q('claim try', () =>
      this.knex(TIS)
        .where({ run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex })
        .andWhere((w) => w.where({ state: 'queued', try_number: tryNumber }).orWhere((o) => o.where({ state: 'up_for_retry', try_number: tryNumber - 1 })))
        .update({
          state: 'running', try_number: tryNumber, hostname: by.hostname, pid: by.pid, started_at: by.at, ended_at: null, duration_ms: null,
          next_try_at: null, error: null, queued_at: this.knex.raw('coalesce(queued_at, ?)', [by.at]), updated_at: this.knex.fn.now(),
          lease_expires_at: this.fromNow(by.leaseMs), timeout_at: this.fromNow(by.timeoutMs + by.leaseMs),
        })
        .returning('*'),
    );
    const row = (rows as Row[])[0];
    return row ? toInstance(row) : undefined;
  }

  async renewLease(key: TaskKey, tryNumber: number, leaseMs: number): Promise<boolean> {
    const n = await this.q('renew lease', () =>
      this.knex(TIS).where({ run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex, state: 'running', try_number: tryNumber }).update({ lease_expires_at: this.fromNow(leaseMs) }));
    return Number(n) > 0;
  }

  async findExpiredTries(filter: { runId?: string } = {}): Promise<ExpiredTry[]> {
    const rows = await this.q('find expired tries', () => {
      const query = this.knex(`${TIS} as ti`).join(`${RUNS} as r`, 'r.run_id', 'ti.run_id')
        .select('ti.*', 'r.dag_id', this.knex.raw("case when ti.timeout_at < now() then 'timeout' else 'lease' end as expired"))
        .where('ti.state', 'running')
        .andWhere((w) => w.whereNull('ti.lease_expires_at').orWhere('ti.lease_expires_at', '<', this.knex.fn.now()).orWhere('ti.timeout_at', '<', this.knex.fn.now()))
        .orderBy(['ti.run_id', 'ti.task_id', 'ti.map_index']);
      if (filter.runId) query.where('ti.run_id', filter.runId);
      return query;
    });
    return (rows as Row[]).map((r) => ({ ...toInstance(r), dagId: r.dag_id as string, expired: r.expired as 'lease' | 'timeout' }));
  }

  async queueTries(runId: string, items: readonly { taskId: string; mapIndex: number; fromTry: number }[], at: Date): Promise<TaskInstanceRecord[]> {
    if (items.length === 0) return [];
    const tuples = items.map(() => '(?, ?::integer, ?::integer)').join(', ');
    const bindings = items.flatMap((i) => [i.taskId, i.mapIndex, i.fromTry]);
    const result = (await this.q('queue tries', () =>
      this.knex.raw(
        `update ${TIS} set state = 'queued', try_number = try_number + 1, queued_at = ?, updated_at = now()
         where run_id = ? and state = 'scheduled' and (task_id, map_index, try_number) in (${tuples}) returning *`,
        [at, runId, ...bindings],
      ))) as { rows: Row[] };
    return result.rows.map(toInstance);
  }

  async transition(key: TaskKey, from: readonly TaskState[], to: TaskState, patch: TaskPatch = {}, fromTry?: number): Promise<boolean> {
    const update: Row = { state: to, updated_at: this.knex.fn.now() };
    for (const [k, v] of Object.entries(patch)) update[COLUMNS[k as keyof TaskPatch]] = v;
    const n = await this.q('task transition', () => {
      const query = this.knex(TIS).where({ run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex }).whereIn('state', from);
      if (fromTry !== undefined) query.where({ try_number: fromTry });
      return query.update(update);
    });
    return Number(n) > 0;
  }

  clearTasks(runId: string, taskIds: readonly string[], retriesOf: (taskId: string) => number): Promise<number> {
    return this.q('clear tasks', () =>
      this.knex.transaction(async (trx) => {
        const rows = (await trx(TIS).where({ run_id: runId }).whereIn('task_id', taskIds).forUpdate()) as Row[];
        const running = rows.filter((r) => r.state === 'running').map(toInstance);
        if (running.length > 0) {
          const which = running.map((t) => `${taskLabel(t)} (try ${t.tryNumber} on ${t.hostname ?? '?'}:${t.pid ?? '?'})`).join(', ');
          throw new ConflictError(
            `${which} of run ${runId} ${running.length === 1 ? 'is' : 'are'} running; a running try is never cleared (a task never runs twice at once): wait for it to end, or for its timeout; a try whose worker died is failed by the scheduler once its lease expires`,
            { context: { runId, taskId: running[0]!.taskId } },
          );
        }
        const mapped = new Set(rows.filter((r) => Number(r.map_index) >= 0).map((r) => r.task_id as string));
        // A mapped task goes back to its placeholder: the list is computed again on the next run.
        for (const taskId of mapped) {
          const tries = Math.max(0, ...rows.filter((r) => r.task_id === taskId).map((r) => Number(r.try_number)));
          const first = rows.find((r) => r.task_id === taskId)!;
          await trx(TIS).where({ run_id: runId, task_id: taskId }).delete();
          await trx(TIS).insert({ ...instanceRow(runId, { taskId, mapIndex: -1, maxTries: 0, pool: first.pool as string, priority: Number(first.priority) }), try_number: tries, max_tries: tries + retriesOf(taskId) + 1 });
        }
        for (const r of rows.filter((x) => !mapped.has(x.task_id as string))) {
          await trx(TIS).where({ run_id: runId, task_id: r.task_id, map_index: r.map_index }).update({
            state: 'scheduled', max_tries: Number(r.try_number) + retriesOf(r.task_id as string) + 1, hostname: null, pid: null, queued_at: null,
            started_at: null, ended_at: null, duration_ms: null, next_try_at: null, error: null, lease_expires_at: null, timeout_at: null, updated_at: trx.fn.now(),
          });
        }
        await trx('orchestrator.task_results').where({ run_id: runId }).whereIn('task_id', taskIds).delete();
        // An ended run is queued again (to start within maxActiveRuns); a running one keeps its place.
        if (rows.length > 0) await trx(RUNS).where({ run_id: runId }).whereIn('state', ['success', 'failed']).update({ state: 'queued', ended_at: null });
        return rows.length;
      }),
    );
  }

  async findTaskInstances(filter: { states: TaskState[]; before?: Date; runStates?: RunState[] }): Promise<TaskInstanceRecord[]> {
    const rows = await this.q('find task instances', () => {
      const query = this.knex(`${TIS} as ti`).select('ti.*').whereIn('ti.state', filter.states);
      if (filter.before) query.where('ti.next_try_at', '<=', filter.before);
      if (filter.runStates) query.join(`${RUNS} as r`, 'r.run_id', 'ti.run_id').whereIn('r.state', filter.runStates);
      return query;
    });
    return (rows as Row[]).map(toInstance);
  }

  async appendLogs(key: TaskKey, lines: readonly { tryNumber: number; level: string; line: string; at: Date }[]): Promise<void> {
    if (lines.length === 0) return;
    await this.q('append logs', () =>
      this.knex('orchestrator.task_logs').insert(lines.map((l) => ({ run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex, try_number: l.tryNumber, level: l.level, line: l.line, logged_at: l.at }))),
    );
  }

  async readLogs(runId: string, taskId: string, options: { tryNumber?: number; mapIndex?: number } = {}): Promise<TaskLogLine[]> {
    const rows = await this.q('read logs', () => {
      const query = this.knex('orchestrator.task_logs').where({ run_id: runId, task_id: taskId }).orderBy('id');
      if (options.tryNumber !== undefined) query.where({ try_number: options.tryNumber });
      if (options.mapIndex !== undefined) query.where({ map_index: options.mapIndex });
      return query;
    });
    return (rows as Row[]).map((r) => ({ tryNumber: Number(r.try_number), mapIndex: Number(r.map_index), loggedAt: date(r.logged_at)!, level: r.level as string, line: r.line as string }));
  }

  async putResult(key: TaskKey, value: Json): Promise<void> {
    const text = JSON.stringify(value);
    await this.q('put result', () =>
      this.knex('orchestrator.task_results')
        .insert({ run_id: key.runId, task_id: key.taskId, map_index: key.mapIndex, value: text, bytes: Buffer.byteLength(text) })
        .onConflict(['run_id', 'task_id', 'map_index'])
        .merge(),
    );
  }

  async getResults(runId: string, taskId: string): Promise<{ mapIndex: number; value: Json }[]> {
    const rows = await this.q('get results', () => this.knex('orchestrator.task_results').where({ run_id: runId, task_id: taskId }).orderBy('map_index'));
    return (rows as Row[]).map((r) => ({ mapIndex: Number(r.map_index), value: r.value as Json }));
  }

  async isPaused(dagId: string): Promise<boolean | undefined> {
    const row = (await this.q('get paused', () => this.knex('orchestrator.dag_state').where({ dag_id: dagId }).first())) as Row | undefined;
    return row ? Boolean(row.paused) : undefined;
  }

  async setPaused(dagId: string, paused: boolean): Promise<void> {
    await this.q('set paused', () => this.knex('orchestrator.dag_state').insert({ dag_id: dagId, paused }).onConflict('dag_id').merge({ paused, updated_at: this.knex.fn.now() }));
  }

  async markDeadlineAlerted(runId: string, at: Date): Promise<boolean> {
    const n = await this.q('mark deadline', () => this.knex(RUNS).where({ run_id: runId }).whereNull('deadline_alerted_at').update({ deadline_alerted_at: at }));
    return Number(n) > 0;
  }

  async addAlert(alert: { dagId: string; runId: string | null; kind: string; message: string; at: Date }): Promise<void> {
    await this.q('add alert', () => this.knex('orchestrator.alerts').insert({ dag_id: alert.dagId, run_id: alert.runId, kind: alert.kind, message: alert.message, raised_at: alert.at }));
  }

  async listAlerts(filter: { dagId?: string; limit?: number } = {}): Promise<AlertRecord[]> {
    const rows = await this.q('list alerts', () => {
      const query = this.knex('orchestrator.alerts').orderBy('id', 'desc').limit(filter.limit ?? 100);
      if (filter.dagId) query.where({ dag_id: filter.dagId });
      return query;
    });
    return (rows as Row[]).map((r) => ({ id: Number(r.id), dagId: r.dag_id as string, runId: (r.run_id ?? null) as string | null, kind: r.kind as string, message: r.message as string, raisedAt: date(r.raised_at)! }));
  }
}
