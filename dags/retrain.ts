/**
 * retrain — every week, the models learn from the latest history.
 *
 * extract → clean + quality checks → train logistic and GBDT on monthly point-in-time snapshots,
 * register the best as challenger, promote it only if it beats the champion on the same holdout
 * on both business cost and AUC; then, in the same task, learn the effect of a call (the uplift
 * model the nightly ranks by, judged on a later snapshot than it was fitted on) from the same
 * snapshots, still in memory.
 */
import { defineDag } from '../src/dag';
import type { PipelineResources } from '../src/pipeline/resources';
import { listDateOf } from '../src/pipeline/list-date';
import { cleanStep, extractStep, sourceNames, trainStep } from '../src/pipeline/nightly-steps';

export default defineDag<PipelineResources>(
  {
    id: 'retrain',
    description: 'train the models and promote a better one',
    schedule: '0 4 * * 0',
    timezone: 'Europe/Paris',
    startDate: '2026-01-01',
    catchup: false,
    maxActiveRuns: 1,
    tags: ['model'],
    defaults: { retries: 1, retryDelayMs: 300_000, timeoutMs: 7_200_000 },
  },
  (dag) => {
    const extract = dag.mappedTask('extract', { over: (ctx) => sourceNames(ctx.resources), pool: 'io' }, (ctx, source: string) =>
      extractStep(ctx.resources, source, { runId: ctx.runId, log: ctx.log }),
    );

    const clean = dag.task('clean', (ctx) =>
      cleanStep(ctx.resources, { runId: ctx.runId, asOf: listDateOf(ctx, ctx.resources.config.timezone), log: ctx.log }),
    );

    const train = dag.task('train', { cpu: true, timeoutMs: 7_200_000 }, (ctx) =>
      trainStep(ctx.resources, { runId: ctx.runId, asOf: listDateOf(ctx, ctx.resources.config.timezone), log: ctx.log }),
    );

    dag.chain(extract, clean, train);
  },
);
