import path from 'node:path';
import { Command } from 'commander';
import { compileConfig } from '../../src/config';
import { silentLogger } from '../../src/core/log';
import { loadDagRegistry } from '../../src/orchestrator';
import { dagsCommand, type DagCliEnv } from '../../src/cli/commands/dags';
import { runsCommand } from '../../src/cli/commands/runs';
import { tasksCommand } from '../../src/cli/commands/tasks';
import { createFixtureTables, type FixtureResources } from '../fixtures/dags/fixture-rows';
import { freshPglite, type TestDatabase } from '../helpers/db';

describe('orchestrator commands (embedded mode: PGlite, inline executor)', () => {
  let test: TestDatabase;
  let out: string[];
  const run = async (...args: string[]): Promise<string> => {
    out = [];
    const cli: DagCliEnv<FixtureResources> = {
      config: () => compileConfig({}),
      registry: () => loadDagRegistry<FixtureResources>(path.resolve(__dirname, '../fixtures/dags')),
      openResources: async () => ({ db: test.db, close: async () => undefined }),
      print: (line) => void out.push(line),
      logger: () => silentLogger,
    };
    const program = new Command('relance').exitOverride();
    for (const c of [dagsCommand(cli), runsCommand(cli), tasksCommand(cli)]) program.addCommand(c);
    await program.parseAsync(['node', 'relance', ...args]);
    return out.join('\n');
  };

  beforeAll(async () => {
    test = await freshPglite();
    await createFixtureTables(test.db);
  });
  afterAll(() => test.close());
  afterEach(() => {
    process.exitCode = 0;
  });

  it('runs a DAG for a date, lists runs and tasks, shows logs', async () => {
    expect(await run('dags', 'run', 'fixture_rows', '--date', '2026-02-01', '--conf', '{"rows": 10}')).toMatch(/run fixture_rows@2026-02-01T01:00:00Z: success/);
    const runs = JSON.parse(await run('runs', 'list', 'fixture_rows', '--json')) as { runId: string; state: string; runType: string }[];
    expect(runs).toEqual([expect.objectContaining({ runId: 'fixture_rows@2026-02-01T01:00:00Z', state: 'success', runType: 'manual' })]);
    const tasks = JSON.parse(await run('tasks', 'list', 'fixture_rows@2026-02-01T01:00:00Z', '--json')) as { tasks: { taskId: string; mapIndex: number; state: string }[] };
    expect(tasks.tasks.map((t) => `${t.taskId}${t.mapIndex >= 0 ? `[${t.mapIndex}]` : ''}:${t.state}`)).toEqual(['plan:success', 'write[0]:success', 'write[1]:success', 'count:success']);
    const table = await run('tasks', 'list', 'fixture_rows@2026-02-01T01:00:00Z');
    expect(table).toMatch(/write\[1\]\s+success\s+1\/3/);
    expect(await run('tasks', 'logs', 'fixture_rows@2026-02-01T01:00:00Z', 'write', '--map', '1')).toMatch(/--- write\[1\] try 1[\s\S]*wrote 10 rows of part b/);
  });

  it('refuses a second run of the same date; --rerun runs it again (with the run\'s conf)', async () => {
    await expect(run('dags', 'run', 'fixture_rows', '--date', '2026-02-01')).rejects.toThrow(/already has run fixture_rows@2026-02-01T01:00:00Z \(success\)/);
    expect(await run('dags', 'run', 'fixture_rows', '--date', '2026-02-01', '--rerun')).toMatch(/: success/);
    const tasks = JSON.parse(await run('tasks', 'list', 'fixture_rows@2026-02-01T01:00:00Z', '--json')) as { tasks: { taskId: string; tryNumber: number }[] };
    expect(tasks.tasks.every((t) => t.tryNumber === 2)).toBe(true);
  });

  it('clears a task with its downstream tasks and runs them again, leaving upstream alone', async () => {
    expect(await run('tasks', 'clear', 'fixture_rows@2026-02-01T01:00:00Z', 'write', '--downstream')).toMatch(/cleared 3 task instance\(s\)[\s\S]*: success/);
    const tasks = JSON.parse(await run('tasks', 'list', 'fixture_rows@2026-02-01T01:00:00Z', '--json')) as { tasks: { taskId: string; tryNumber: number; state: string }[] };
    expect(Object.fromEntries(tasks.tasks.map((t) => [t.taskId, t.tryNumber]))).toEqual({ plan: 2, write: 3, count: 3 });
    const rows = await test.db.knex('public.fixture_rows').where({ run_id: 'fixture_rows@2026-02-01T01:00:00Z' }).count({ n: '*' });
    expect(Number((rows[0] as { n: number }).n)).toBe(20);
  });

  it('backfills a range: dry run lists, then runs the missing dates and keeps the existing one', async () => {
    const dry = JSON.parse(await run('dags', 'backfill', 'fixture_rows', '--from', '2026-01-31', '--to', '2026-02-02', '--dry-run', '--json')) as { ds: string; action: string }[];
    expect(dry.map((p) => `${p.ds} ${p.action}`)).toEqual(['2026-01-31 create', '2026-02-01 keep (success)', '2026-02-02 create']);
    expect((await run('runs', 'list', 'fixture_rows', '--json')).match(/"runId"/g)).toHaveLength(1);
    const done = JSON.parse(await run('dags', 'backfill', 'fixture_rows', '--from', '2026-01-31', '--to', '2026-02-02', '--json')) as { ds: string; state?: string }[];
    expect(done.map((p) => `${p.ds} ${p.state ?? '-'}`)).toEqual(['2026-01-31 success', '2026-02-01 -', '2026-02-02 success']);
    const runs = JSON.parse(await run('runs', 'list', '--json')) as { runType: string }[];
    expect(runs.map((r) => r.runType)).toEqual(['backfill', 'manual', 'backfill']);
  });

  it('pauses and unpauses a DAG, shown by dags list', async () => {
    await run('dags', 'pause', 'fixture_rows');
    expect((JSON.parse(await run('dags', 'list', '--json')) as { dagId: string; paused: boolean }[]).find((d) => d.dagId === 'fixture_rows')!.paused).toBe(true);
    await run('dags', 'unpause', 'fixture_rows');
    expect(await run('dags', 'list')).toMatch(/fixture_rows\s+0 2 \* \* \* Europe\/Paris\s+no/);
  });

  it('tests one task in-process without recording it', async () => {
    const text = await run('tasks', 'test', 'fixture_rows', 'count', '--date', '2026-02-01');
    expect(text).toBe('count: success {"rows":20}');
    expect((await run('runs', 'list', '--json')).match(/"runId"/g)).toHaveLength(3);
  });

  it('refuses to clear a running task (never two tries at once), then clears it once the try has ended', async () => {
    const runId = 'fixture_rows@2026-02-10T01:00:00Z';
    // Part 'a' writes half its rows and waits for a 'go' mark: its try is running meanwhile.
    const running = run('dags', 'run', 'fixture_rows', '--date', '2026-02-10', '--conf', '{"rows": 10, "crash": "redis"}');
    while (!(await test.db.knex('public.fixture_marks').where({ run_id: runId, event: 'ready' }).first())) await new Promise((resolve) => setTimeout(resolve, 25));
    await expect(run('tasks', 'clear', runId, 'write', '--downstream')).rejects.toThrow(/write\[0\] \(try 1 on .*\) of run fixture_rows@2026-02-10T01:00:00Z is running/);
    await test.db.knex('public.fixture_marks').insert({ run_id: runId, event: 'go' });
    expect(await running).toMatch(/: success/);
    const tries = (list: string) => (JSON.parse(list) as { tasks: { taskId: string; mapIndex: number; tryNumber: number; state: string }[] }).tasks.map((t) => `${t.taskId}${t.mapIndex >= 0 ? `[${t.mapIndex}]` : ''}:${t.state}#${t.tryNumber}`);
    expect(tries(await run('tasks', 'list', runId, '--json'))).toEqual(['plan:success#1', 'write[0]:success#1', 'write[1]:success#1', 'count:success#1']);
    expect(await run('tasks', 'clear', runId, 'write', '--downstream')).toMatch(/cleared 3 task instance\(s\)[\s\S]*: success/);
    expect(tries(await run('tasks', 'list', runId, '--json'))).toEqual(['plan:success#1', 'write[0]:success#2', 'write[1]:success#2', 'count:success#2']);
  });
});
