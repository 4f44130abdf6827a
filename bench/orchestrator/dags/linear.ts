/** Benchmark DAGs: 100 DAGs of 10 linear no-op tasks (Astronomer's Airflow 2.0 shape). */
import { defineDag, type Dag } from '../../../src/dag';

export const linearDags: Dag<unknown>[] = Array.from({ length: 100 }, (_, d) =>
  defineDag<unknown>({ id: `bench_linear_${String(d).padStart(3, '0')}`, schedule: null, startDate: '2026-01-01' }, (dag) => {
    dag.chain(...Array.from({ length: 10 }, (_, t) => dag.task(`step_${t}`, () => undefined)));
  }),
);
