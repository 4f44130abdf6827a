/**
 * The error classifier against errors the real drivers raise: a refused connection (pg and mysql2
 * to a closed port), a peer that hangs up, a unique violation, a division by zero, an unknown
 * table, an administrator's termination (57P01) and a real deadlock (40P01) on Postgres; synthetic
 * objects only where provoking the error costs too much (ETIMEDOUT, 53300). Then the callers: the
 * task retry policy, the database error wrapper, and a real task run.
 */
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { classifyError, isRetryable, isTransient, QualityCheckError, SourceMissingError, TaskTimeoutError, ValidationError } from '../../src/core';
import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag, shouldRetry } from '../../src/dag';
import { wrapDbError } from '../../src/db';
import { extractSource } from '../../src/elt';
import { PgRunStore, runDag } from '../../src/orchestrator';
import { freshPglite, type TestDatabase } from '../helpers/db';
import { describeIfMariadb, describeIfPostgres, services } from '../helpers/services';
import { officeSource, run } from '../elt/elt-fixtures';

/** The error a promise rejects with. */
async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** A TCP port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describePostgres();
describeMariadb();

function describePostgres(): void {
  describeIfPostgres('error classifier on real Postgres errors', () => {
    let knex: Knex;
    beforeAll(() => {
      knex = knexFactory({ client: 'pg', connection: services.databaseUrl, pool: { min: 0, max: 2 } });
    });
    afterAll(() => knex.destroy());

    test('a refused connection is transient, and so is the wrapped DatabaseError', async () => {
      const port = await closedPort();
      const office = knexFactory({ client: 'pg', connection: `postgres://postgres@127.0.0.1:${port}/office`, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 5_000 });
      try {
        const error = await failure(() => office.raw('select 1'));
        expect((error as { code?: string }).code).toBe('ECONNREFUSED');
        expect(classifyError(error)).toEqual({ verdict: 'transient', reason: 'ECONNREFUSED' });
        expect(wrapDbError(error, 'sql/x.sql').retryable).toBe(true);
      } finally {
        await office.destroy();
      }
    });

    test('a peer that hangs up mid-handshake is transient', async () => {
      const server = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${(server.address() as net.AddressInfo).port}/office` });
      try {
        const error = await failure(() => client.connect());
        expect(isTransient(error)).toBe(true);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    test.each([
      ['unique violation', 'create temp table t_unique (x int primary key); insert into t_unique values (1), (1)', '23505'],
      ['division by zero', 'select 1 / 0', '22012'],
      ['unknown table', 'select * from no_such_table', '42P01'],
      ['syntax error', 'selec 1', '42601'],
    ])('a %s is permanent: not retried by a task, not re-run by the store', async (_what, sql, code) => {
      const error = await failure(() => knex.raw(sql));
      expect((error as { code?: string }).code).toBe(code);
      expect(classifyError(error)).toEqual({ verdict: 'permanent', reason: `SQLSTATE ${code}` });
      expect(isRetryable(error)).toBe(false);
      expect(wrapDbError(error, 'sql/x.sql').retryable).toBe(false);
      expect(shouldRetry({ retries: 3 }, 1, error)).toBe(false);
    });

    test('a backend terminated by an administrator (57P01) is transient', async () => {
      const victim = new pg.Client({ connectionString: services.databaseUrl });
      await victim.connect();
      victim.on('error', () => undefined);
      try {
        const pid = (await victim.query('select pg_backend_pid() as pid')).rows[0].pid as number;
        await knex.raw('select pg_terminate_backend(?)', [pid]);
        const error = await failure(() => victim.query('select 1'));
        expect(isTransient(error)).toBe(true);
        // Depending on timing the driver reports the server's 57P01 or its own lost connection.
        expect(classifyError(error).reason).toMatch(/SQLSTATE 57P01|connection lost/);
      } finally {
        await victim.end().catch(() => undefined);
      }
    });

    test('a real deadlock (40P01) is transient', async () => {
      const a = new pg.Client({ connectionString: services.databaseUrl });
      const b = new pg.Client({ connectionString: services.databaseUrl });
      await Promise.all([a.connect(), b.connect()]);
      const keys = [727_640_001, 727_640_002];
      try {
        await a.query('begin');
        await b.query('begin');
        await a.query('select pg_advisory_xact_lock($1)', [keys[0]]);
        await b.query('select pg_advisory_xact_lock($1)', [keys[1]]);
        const crossed = await Promise.allSettled([a.query('select pg_advisory_xact_lock($1)', [keys[1]]), b.query('select pg_advisory_xact_lock($1)', [keys[0]])]);
        const errors = crossed.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as { code?: string });
        expect(errors.map((e) => e.code)).toEqual(['40P01']);
        expect(classifyError(errors[0])).toEqual({ verdict: 'transient', reason: 'SQLSTATE 40P01' });
      } finally {
        await Promise.allSettled([a.query('rollback'), b.query('rollback')]);
        await Promise.all([a.end(), b.end()]);
      }
    });
  });
}

function describeMariadb(): void {
  describeIfMariadb('error classifier on real MariaDB errors (mysql2)', () => {
    test('a refused connection is transient; a duplicate key and an unknown table are permanent', async () => {
      const port = await closedPort();
      const closed = knexFactory({ client: 'mysql2', connection: { uri: `mysql://root@127.0.0.1:${port}/test` } as Knex.MySql2ConnectionConfig, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 5_000 });
      const office = knexFactory({ client: 'mysql2', connection: { uri: services.mariadbUrl } as Knex.MySql2ConnectionConfig, pool: { min: 1, max: 1 } });
      try {
        const refused = await failure(() => closed.raw('select 1'));
        expect(classifyError(refused)).toEqual({ verdict: 'transient', reason: 'ECONNREFUSED' });
        await office.raw('create temporary table t_dup (x int primary key)');
        const duplicate = await failure(() => office.raw('insert into t_dup values (1), (1)'));
        expect(duplicate).toMatchObject({ code: 'ER_DUP_ENTRY' });
        expect(classifyError(duplicate)).toEqual({ verdict: 'permanent', reason: 'SQLSTATE 23000' });
        const unknown = await failure(() => office.raw('select * from no_such_table'));
        expect(classifyError(unknown)).toEqual({ verdict: 'permanent', reason: 'SQLSTATE 42S02' });
      } finally {
        await Promise.all([closed.destroy(), office.destroy()]);
      }
    });
  });
}

describe('error classifier: codes, relance errors, causes', () => {
  test.each([
    ['ETIMEDOUT', 'transient'], ['ECONNRESET', 'transient'], ['EPIPE', 'transient'],
    ['08006', 'transient'], ['40001', 'transient'], ['40P01', 'transient'], ['53300', 'transient'], ['53100', 'transient'],
    ['57P01', 'transient'], ['55P03', 'transient'],
    ['22001', 'permanent'], ['23503', 'permanent'], ['42703', 'permanent'], ['57014', 'permanent'], ['XX000', 'permanent'],
    ['PROTOCOL_CONNECTION_LOST', 'transient'], ['ER_LOCK_DEADLOCK', 'transient'], ['ER_PARSE_ERROR', 'permanent'],
  ])('code %s is %s', (code, verdict) => {
    expect(classifyError(Object.assign(new Error('driver'), { code })).verdict).toBe(verdict);
  });

  test('relance errors carry their own decision; a task\'s own Error is unknown, hence retried', () => {
    expect(classifyError(new QualityCheckError('too few debtors')).verdict).toBe('permanent');
    expect(classifyError(new ValidationError('bad field')).verdict).toBe('permanent');
    expect(classifyError(new TaskTimeoutError('slow')).verdict).toBe('transient');
    expect(classifyError(new Error('flaky')).verdict).toBe('unknown');
    expect(isRetryable(new Error('flaky'))).toBe(true);
    expect(isTransient(new Error('flaky'))).toBe(false);
    // Rebuilt after crossing a process (a CPU thread's error): the flag is data.
    expect(isRetryable(Object.assign(new Error('x'), { name: 'QualityCheckError', retryable: false }))).toBe(false);
  });

  test('a cause chain and an aggregate are looked through', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyError(new Error('extract failed', { cause: refused })).verdict).toBe('transient');
    expect(classifyError(new AggregateError([refused, new Error('other')], 'all attempts failed')).verdict).toBe('transient');
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    expect(classifyError(new Error('load failed', { cause: unique })).verdict).toBe('permanent');
  });
});

describe('a missing drop folder', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await freshPglite();
  });
  afterAll(() => test.close());

  it('is worth waiting for only while the freshness window is open', async () => {
    const missing = path.join(os.tmpdir(), 'relance-no-such-drop-folder');
    const clock = new FixedClock('2026-11-24T04:00:00Z');
    const closedWindow = await failure(() => extractSource(test.db, officeSource(missing), run('r1')));
    expect(closedWindow).toBeInstanceOf(SourceMissingError);
    expect(classifyError(closedWindow, clock.now()).verdict).toBe('permanent');
    const open = await failure(() => extractSource(test.db, officeSource(missing), { ...run('r2'), waitUntil: new Date('2026-11-24T05:00:00Z') }));
    expect(classifyError(open, clock.now()).verdict).toBe('transient');
    expect(shouldRetry({ retries: 2 }, 1, open, clock.now())).toBe(true);
    clock.set('2026-11-24T05:00:00Z');
    expect(shouldRetry({ retries: 2 }, 1, open, clock.now())).toBe(false);
  });
});

describe('task retries follow the classifier', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await freshPglite();
  });
  afterAll(() => test.close());

  it('a unique violation fails the task at once; a refused office connection is retried', async () => {
    const port = await closedPort();
    const clock = new FixedClock('2026-11-24T08:00:00Z');
    const dag = defineDag<Knex>({ id: 'classified', schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-11-01', defaults: { retries: 2, retryDelayMs: 1000 } }, (d) => {
      d.task('duplicate', (ctx) => ctx.resources.raw('create temp table if not exists t_dup (x int primary key); insert into t_dup values (1), (1)'));
      d.task('office', async () => {
        const office = knexFactory({ client: 'pg', connection: `postgres://postgres@127.0.0.1:${port}/office`, pool: { min: 0, max: 1 }, acquireConnectionTimeout: 5_000 });
        try {
          await office.raw('select 1');
        } finally {
          await office.destroy();
        }
      });
    });
    const store = new PgRunStore(test.db);
    const report = await runDag(dag, { date: '2026-11-22', resources: test.db.knex, store, clock, sleep: async (ms) => clock.advance(ms) });
    const tries = Object.fromEntries(report.instances.map((i) => [i.taskId, `${i.state} after ${i.tryNumber}`]));
    expect(tries).toEqual({ duplicate: 'failed after 1', office: 'failed after 3' });
  });
});
