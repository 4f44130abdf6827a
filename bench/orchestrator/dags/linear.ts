/** Benchmark DAGs: 100 DAGs of 10 linear no-op tasks (Astronomer's Airflow 2.0 shape). */
import { defineDag, type Dag } from '../../../src/dag';

export const linearDags: Dag<unknown>[] = Array.from({ length: 100 }, (_, d) =>
  defineDag<unknown>({ id: `bench_linear_${String(d).padStart(3, '0')}`, schedule: null, startDate: '2026-01-01' }, (dag) => {
    dag.chain(...Array.from({ length: 10 }, (_, t) => dag.task(`step_${t}`, () => undefined)));
  }),
);

/** One DAG of 100 tasks in a chain: the hop from a finished task to its successor's start, unloaded. */
export const chainDag: Dag<unknown> = defineDag<unknown>({ id: 'bench_chain', schedule: null, startDate: '2026-01-01' }, (dag) => {
  dag.chain(...Array.from({ length: 100 }, (_, t) => dag.task(`step_${String(t).padStart(3, '0')}`, () => undefined)));
});
