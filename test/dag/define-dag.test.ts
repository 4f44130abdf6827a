import { applyDagSettings, defineDag, dueIntervals, deadlineFor, intervalForDate, retryDelay, shouldRetry, type DagOptions } from '../../src/dag';
import { evaluateTriggerRule } from '../../src/orchestrator/planner';
import { QualityCheckError, TaskTimeoutError } from '../../src/core/errors';

const base: DagOptions = { id: 'd', schedule: '0 2 * * *', timezone: 'Europe/Paris', startDate: '2026-01-01' };
const noop = (): void => undefined;

describe('defineDag', () => {
  it('orders tasks topologically, ties in declaration order', () => {
    const dag = defineDag(base, (d) => {
      const a = d.task('a', noop);
      const b = d.task('b', noop);
      const c = d.task('c', noop);
      const z = d.task('z', noop);
      z.then(a);
      d.chain([a, b], c);
    });
    expect(dag.order).toEqual(['b', 'z', 'a', 'c']);
    expect(dag.tasks.get('c')!.upstream).toEqual(['a', 'b']);
  });

  it('resolves task options over DAG defaults over built-ins', () => {
    const dag = defineDag({ ...base, defaults: { retries: 2, pool: 'io' } }, (d) => {
      d.task('a', { retries: 5, cpu: true }, noop);
      d.task('b', noop);
    });
    expect(dag.tasks.get('a')!.options).toMatchObject({ retries: 5, pool: 'io', cpu: true, triggerRule: 'all_success' });
    expect(dag.tasks.get('b')!.options).toMatchObject({ retries: 2, pool: 'io', cpu: false, timeoutMs: 3_600_000 });
  });

  it.each([
    ['a cycle', (d: Parameters<Parameters<typeof defineDag>[1]>[0]) => { const a = d.task('a', noop); const b = d.task('b', noop); a.then(b); b.then(a); }, /dag d, task (a|b): cycle (a -> b -> a|b -> a -> b)/],
    ['a duplicate task id', (d: Parameters<Parameters<typeof defineDag>[1]>[0]) => { d.task('a', noop); d.task('a', noop); }, /dag d: task 'a' is declared twice/],
    ['a bad option', (d: Parameters<Parameters<typeof defineDag>[1]>[0]) => { d.task('a', { retries: -1 }, noop); }, /dag d, task a: retries must be a non-negative integer/],
    ['a bad trigger rule', (d: Parameters<Parameters<typeof defineDag>[1]>[0]) => { d.task('a', { triggerRule: 'sometimes' as never }, noop); }, /task a: triggerRule must be one of/],
  ])('rejects %s, naming the DAG and task', (_name, build, message) => {
    expect(() => defineDag(base, build)).toThrow(message);
  });

  it('rejects an unknown dependency, naming the task', () => {
    expect(() => defineDag(base, (d) => { d.task('a', noop).after({ id: 'ghost', then: (x) => x, after: () => { throw new Error(); } }); })).toThrow(/dag d, task a: depends on unknown task 'ghost'/);
  });

  it('rejects a bad cron, a bad time zone and a bad deadline, naming the DAG', () => {
    expect(() => defineDag({ ...base, schedule: '0 25 * * *' }, (d) => void d.task('a', noop))).toThrow(/dag d: schedule: cron '0 25 \* \* \*': hour value '25'/);
    expect(() => defineDag({ ...base, timezone: 'Mars/Olympus' }, (d) => void d.task('a', noop))).toThrow(/dag d: schedule: unknown time zone/);
    expect(() => defineDag({ ...base, deadline: '7:30' }, (d) => void d.task('a', noop))).toThrow(/dag d: deadline must be HH:MM/);
  });

  it('applies configured settings: schedule, retries as the default of the tasks, paused, deadline', () => {
    const dag = defineDag({ ...base, defaults: { retries: 2 } }, (d) => {
      d.task('a', { retries: 0 }, noop);
      d.task('b', noop);
      d.mappedTask('m', { over: () => [1] }, noop);
      d.mappedTask('n', { over: () => [1], retries: 1 }, noop);
    });
    const tuned = applyDagSettings(dag, { schedule: '0 3 * * *', retries: 4, paused: true, deadline: '08:00' });
    expect(tuned.schedule).toBe('0 3 * * *');
    const retries = Object.fromEntries([...tuned.tasks.values()].map((t) => [t.id, t.options.retries]));
    expect(retries).toEqual({ a: 0, b: 4, m: 4, n: 1 });
    expect(tuned.paused).toBe(true);
    expect(() => applyDagSettings(dag, { schedule: 'nope' })).toThrow(/dag d: schedule/);
  });
});

describe('retries', () => {
  const policy = { retries: 3, retryDelayMs: 1000, retryBackoff: 2, maxRetryDelayMs: 3000 };
  it('backs off exponentially up to the cap', () => {
    expect([2, 3, 4, 5].map((t) => retryDelay(policy, t))).toEqual([1000, 2000, 3000, 3000]);
  });
  it('retries while tries are left, unless the error says it is useless', () => {
    expect(shouldRetry(policy, 1, new Error('boom'))).toBe(true);
    expect(shouldRetry(policy, 3, new TaskTimeoutError('slow'))).toBe(true);
    expect(shouldRetry(policy, 4, new Error('boom'))).toBe(false);
    expect(shouldRetry(policy, 1, new QualityCheckError('bad data'))).toBe(false);
  });
});

describe('trigger rules', () => {
  it.each([
    ['all_success', ['success', 'success'], 'run'], ['all_success', ['success', 'pending'], 'wait'], ['all_success', ['failed', 'pending'], 'upstream_failed'],
    ['all_success', ['skipped', 'success'], 'skipped'], ['all_done', ['failed', 'skipped'], 'run'], ['all_done', ['failed', 'pending'], 'wait'],
    ['one_failed', ['failed', 'pending'], 'run'], ['one_failed', ['success', 'success'], 'skipped'], ['none_failed', ['skipped', 'success'], 'run'],
    ['none_failed', ['upstream_failed', 'success'], 'upstream_failed'],
  ] as const)('%s with %j → %s', (rule, upstream, expected) => {
    expect(evaluateTriggerRule(rule, upstream)).toBe(expected);
  });
});

describe('intervals', () => {
  const dag = defineDag({ ...base, deadline: '07:30' }, (d) => void d.task('a', noop));
  it('a date means the interval starting at that night’s 02:00', () => {
    const i = intervalForDate(dag, '2026-03-10');
    expect([i.start.toISOString(), i.end.toISOString()]).toEqual(['2026-03-10T01:00:00.000Z', '2026-03-11T01:00:00.000Z']);
    expect(deadlineFor(dag, i)!.toISOString()).toBe('2026-03-11T06:30:00.000Z');
  });
  it('without catchup only the latest ended interval is due; with catchup every missed one', () => {
    const now = new Date('2026-01-04T12:00:00Z');
    expect(dueIntervals(dag, now, null).map((i) => i.start.toISOString())).toEqual(['2026-01-03T01:00:00.000Z']);
    const catchup = defineDag({ ...base, catchup: true }, (d) => void d.task('a', noop));
    expect(dueIntervals(catchup, now, null).map((i) => i.start.toISOString())).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-02T01:00:00.000Z', '2026-01-03T01:00:00.000Z']);
    expect(dueIntervals(catchup, now, new Date('2026-01-02T01:00:00Z')).map((i) => i.start.toISOString())).toEqual(['2026-01-03T01:00:00.000Z']);
    expect(dueIntervals(dag, now, new Date('2026-01-03T01:00:00Z'))).toEqual([]);
  });
  it('the scheduled runs around the spring-forward night are one per night', () => {
    const catchup = defineDag({ ...base, catchup: true, startDate: '2026-03-27' }, (d) => void d.task('a', noop));
    expect(dueIntervals(catchup, new Date('2026-03-31T12:00:00Z'), null).map((i) => i.start.toISOString())).toEqual([
      '2026-03-27T01:00:00.000Z', '2026-03-28T01:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z',
    ]);
  });
});
