/**
 * The trigger rules of `relance dags trigger | run | backfill` on real Postgres: one run per night,
 * only nights that exist, manual runs within `maxActiveRuns` (inline, and queued for the workers
 * with Redis), paused DAGs refused unless forced, backfill ranges checked and confirmed.
 */
import { Command } from 'commander';
import { compileConfig, type RelanceConfigInput } from '../../src/config';
import { FixedClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { defineDag, type Dag } from '../../src/dag';
import type { Database } from '../../src/db';
import { PgRunStore, registryOf } from '../../src/orchestrator';
import { dagsCommand, type DagCliEnv } from '../../src/cli/commands/dags';
import { freshPostgres, type TestDatabase } from '../helpers/db';
import { describeIfPostgres, describeIfPostgresAndRedis, services } from '../helpers/services';
import { dropPrefix } from './redis-keys';

interface Resources {
  db: Database;
  close(): Promise<void>;
}

/** A gate the tasks of a test wait on, counting how many run at once. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const seen = { active: 0, max: 0, ran: [] as string[] };
  return { open, opened, seen };
}

let dagCounter = 0;
function nightly(extra: { maxActiveRuns?: number; wait?: Promise<void>; seen?: { active: number; max: number; ran: string[] } } = {}): Dag<Resources> {
  return defineDag<Resources>(
    { id: `trig${++dagCounter}_${process.pid}`, schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-11-01', maxActiveRuns: extra.maxActiveRuns ?? 1, defaults: { retries: 0 } },
    (d) => {
      d.task('work', async (ctx) => {
        const seen = extra.seen;
        if (seen) {
          seen.active++;
          seen.max = Math.max(seen.max, seen.active);
        }
        try {
          await extra.wait;
          seen?.ran.push(ctx.ds);
        } finally {
          if (seen) seen.active--;
        }
      });
    },
  );
}

/** Polls until `check` holds (no fixed sleeps: waits for a state, whatever the machine's speed). */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeIfPostgres('trigger rules of the dags commands (Postgres)', () => {
  let test: TestDatabase;
  let store: PgRunStore;
  const clock = new FixedClock('2026-11-24T08:00:00Z');

  /** Runs one `relance …` command; its printed lines are in `lines` (even before it ends). */
  const cli = (dag: Dag<Resources>, args: string[], options: { config?: RelanceConfigInput; confirm?: (question: string) => Promise<boolean> } = {}) => {
    const lines: string[] = [];
    const env: DagCliEnv<Resources> = {
      config: () => compileConfig(options.config ?? {}),
      registry: () => registryOf([dag]),
      openResources: async () => ({ db: test.db, close: async () => undefined }),
      print: (line) => void lines.push(line),
      logger: () => silentLogger,
      clock: () => clock,
      ...(options.confirm ? { confirm: options.confirm } : {}),
    };
    const program = new Command('relance').exitOverride().addCommand(dagsCommand(env));
    const done = program.parseAsync(['node', 'relance', 'dags', ...args]).then(() => lines.join('\n'));
    return { lines, done };
  };
  const runOf = (dag: Dag<Resources>, utc: string) => store.getRun(`${dag.id}@${utc}`);

  beforeAll(async () => {
    test = await freshPostgres();
    store = new PgRunStore(test.db);
  });
  afterAll(() => test.close());
  beforeEach(() => clock.set('2026-11-24T08:00:00Z'));
  afterEach(() => {
    process.exitCode = 0;
  });

  it('a second manual run waits for the first when maxActiveRuns is 1 (inline), then runs', async () => {
    const g = gate();
    const dag = nightly({ wait: g.opened, seen: g.seen });
    const first = cli(dag, ['trigger', dag.id, '--date', '2026-11-20']);
    await until(async () => (await runOf(dag, '2026-11-20T01:00:00Z'))?.state === 'running' && g.seen.active === 1, 'the first run to be running');
    const second = cli(dag, ['trigger', dag.id, '--date', '2026-11-21']);
    // Either the second run starts (the defect) or the command says it waits for the first.
    await until(async () => (await runOf(dag, '2026-11-21T01:00:00Z'))?.state === 'running' || second.lines.some((l) => /queued/.test(l)), 'the second trigger to start or queue');
    expect((await runOf(dag, '2026-11-21T01:00:00Z'))?.state).toBe('queued');
    expect(second.lines.join('\n')).toMatch(new RegExp(`queued behind ${dag.id}@2026-11-20T01:00:00Z`));
    g.open();
    expect(await first.done).toMatch(/: success/);
    expect(await second.done).toMatch(/: success/);
    expect(g.seen).toEqual({ active: 0, max: 1, ran: ['2026-11-20', '2026-11-21'] });
  });

  it('refuses a paused DAG unless --force', async () => {
    const dag = nightly();
    await cli(dag, ['pause', dag.id]).done;
    await expect(cli(dag, ['trigger', dag.id, '--date', '2026-11-20']).done).rejects.toThrow(/paused.*--force/);
    expect(await store.listRuns({ dagId: dag.id })).toEqual([]);
    expect(await cli(dag, ['trigger', dag.id, '--date', '2026-11-20', '--force']).done).toMatch(/: success/);
  });

  it('refuses a date that does not exist, and one with no run of the schedule', async () => {
    const dag = nightly();
    await expect(cli(dag, ['trigger', dag.id, '--date', '2026-02-30']).done).rejects.toThrow(/2026-02-30 is not a date/);
    await expect(cli(dag, ['trigger', dag.id, '--date', '2026-13-01', '--force']).done).rejects.toThrow(/2026-13-01 is not a date/);
    const weekly = defineDag<Resources>({ id: `weekly${++dagCounter}_${process.pid}`, schedule: '0 4 * * 0', timezone: 'Europe/Paris', startDate: '2026-11-01' }, (d) => void d.task('work', () => undefined));
    await expect(cli(weekly, ['trigger', weekly.id, '--date', '2026-11-18']).done).rejects.toThrow(/no run on 2026-11-18.*2026-11-15.*2026-11-22/);
    expect(await store.listRuns({ dagId: dag.id })).toEqual([]);
    expect(await store.listRuns({ dagId: weekly.id })).toEqual([]);
  });

  it('refuses a night before startDate or not over yet unless --force', async () => {
    const dag = nightly();
    await expect(cli(dag, ['trigger', dag.id, '--date', '2026-10-31']).done).rejects.toThrow(/before the DAG's startDate 2026-11-01.*--force/);
    await expect(cli(dag, ['trigger', dag.id, '--date', '2026-11-24']).done).rejects.toThrow(/has not ended.*--force/);
    await expect(cli(dag, ['run', dag.id, '--date', '2026-12-01']).done).rejects.toThrow(/has not ended/);
    expect(await store.listRuns({ dagId: dag.id })).toEqual([]);
    expect(await cli(dag, ['trigger', dag.id, '--date', '2026-10-31', '--force']).done).toMatch(/: success/);
    expect(await cli(dag, ['trigger', dag.id, '--date', '2026-11-24', '--force']).done).toMatch(/: success/);
    // The day's run, once its night is over, is the default trigger.
    clock.set('2026-11-25T08:00:00Z');
    await expect(cli(dag, ['trigger', dag.id]).done).rejects.toThrow(/already has run .*@2026-11-24T01:00:00Z/);
  });

  it('backfill refuses an inverted range and asks before creating more runs than backfill.confirmAbove', async () => {
    const dag = nightly();
    const config = { backfill: { confirmAbove: 3 } };
    await expect(cli(dag, ['backfill', dag.id, '--from', '2026-11-10', '--to', '2026-11-05']).done).rejects.toThrow(/--from 2026-11-10 is after --to 2026-11-05/);
    await expect(cli(dag, ['backfill', dag.id, '--from', '2026-11-01', '--to', '2026-11-31']).done).rejects.toThrow(/2026-11-31 is not a date/);
    await expect(cli(dag, ['backfill', dag.id, '--from', '2026-11-20', '--to', '2026-11-26']).done).rejects.toThrow(/has not ended.*--force/);
    // Non-interactive, no --yes: refused before creating anything.
    await expect(cli(dag, ['backfill', dag.id, '--from', '2026-11-01', '--to', '2026-11-05'], { config }).done).rejects.toThrow(/5 runs.*backfill\.confirmAbove is 3.*--yes/);
    expect(await store.listRuns({ dagId: dag.id })).toEqual([]);
    // Asked, and answered no, then yes.
    const questions: string[] = [];
    await expect(cli(dag, ['backfill', dag.id, '--from', '2026-11-01', '--to', '2026-11-05'], { config, confirm: async (q) => (questions.push(q), false) }).done).rejects.toThrow(/cancelled/);
    expect(questions).toEqual([expect.stringMatching(/create 5 runs/)]);
    expect(await store.listRuns({ dagId: dag.id })).toEqual([]);
    const yes = JSON.parse(await cli(dag, ['backfill', dag.id, '--from', '2026-11-01', '--to', '2026-11-05', '--json'], { config, confirm: async () => true }).done) as { state: string }[];
    expect(yes.map((p) => p.state)).toEqual(['success', 'success', 'success', 'success', 'success']);
    // --yes answers in advance; at most confirmAbove runs need no answer.
    const more = JSON.parse(await cli(dag, ['backfill', dag.id, '--from', '2026-11-06', '--to', '2026-11-10', '--yes', '--json'], { config }).done) as { action: string }[];
    expect(more.map((p) => p.action)).toEqual(['create', 'create', 'create', 'create', 'create']);
    const few = JSON.parse(await cli(dag, ['backfill', dag.id, '--from', '2026-11-09', '--to', '2026-11-13', '--json'], { config }).done) as { action: string }[];
    expect(few.map((p) => p.action)).toEqual(['keep (success)', 'keep (success)', 'create', 'create', 'create']);
  });

  it('backfill refuses a paused DAG unless --force', async () => {
    const dag = nightly();
    await cli(dag, ['pause', dag.id]).done;
    await expect(cli(dag, ['backfill', dag.id, '--from', '2026-11-01', '--to', '2026-11-02']).done).rejects.toThrow(/paused.*--force/);
    expect(await store.listRuns({ dagId: dag.id })).toEqual([]);
    const forced = JSON.parse(await cli(dag, ['backfill', dag.id, '--from', '2026-11-01', '--to', '2026-11-02', '--force', '--json']).done) as { state: string }[];
    expect(forced.map((p) => p.state)).toEqual(['success', 'success']);
  });

  it('admission is atomic across connections: concurrent admitters never exceed maxActiveRuns', async () => {
    const dag = nightly({ maxActiveRuns: 2 });
    for (const d of ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']) {
      await store.createRun({ dagId: dag.id, logicalDate: new Date(`${d}T01:00:00Z`), dataIntervalStart: new Date(`${d}T01:00:00Z`), dataIntervalEnd: new Date(`${d}T01:00:00Z`), runType: 'manual', conf: {}, deadlineAt: null }, []);
    }
    // Several connections of the pool admit at once, as schedulers, CLI triggers and the API would.
    const admitted = (await Promise.all(Array.from({ length: 8 }, () => store.admitQueuedRuns(dag.id, dag.maxActiveRuns, clock.now())))).flat();
    expect(admitted.sort()).toEqual([`${dag.id}@2026-11-01T01:00:00Z`, `${dag.id}@2026-11-02T01:00:00Z`]);
    expect((await store.listRuns({ dagId: dag.id, states: ['running'] })).length).toBe(2);
  });

  describeIfPostgresAndRedis('with workers (Redis)', () => {
    const prefix = `relance-trigger-${process.pid}`;
    afterAll(() => dropPrefix(prefix));

    it('manual triggers beyond maxActiveRuns stay queued for the scheduler instead of running at once', async () => {
      const dag = nightly();
      const config = { redis: { url: services.redisUrl, prefix } };
      const outputs = await Promise.all(['2026-11-20', '2026-11-21', '2026-11-22'].map((d) => cli(dag, ['trigger', dag.id, '--date', d], { config }).done));
      const runs = await store.listRuns({ dagId: dag.id });
      expect(runs.map((r) => r.state).sort()).toEqual(['queued', 'queued', 'running']);
      expect(outputs.filter((o) => /queued for the workers/.test(o))).toHaveLength(1);
      expect(outputs.filter((o) => /queued behind .*the scheduler starts it/.test(o))).toHaveLength(2);
    });
  });
});
