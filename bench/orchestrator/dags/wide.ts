/** Benchmark DAG: 1,000 independent no-op tasks. */
import { defineDag } from '../../../src/dag';

export default defineDag<unknown>({ id: 'bench_wide', schedule: null, startDate: '2026-01-01', defaults: { retries: 0 } }, (dag) => {
  for (let i = 0; i < 1000; i++) dag.task(`noop_${String(i).padStart(4, '0')}`, () => undefined);
});
