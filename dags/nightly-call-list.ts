/**
 * nightly_call_list — every night, the list the call team works in the morning.
 *
 * extract (one task per configured source, plus relance's own call log) → clean + quality checks → features as of the list
 * date → score with the champion → rank, fit to capacity, apply compliance, publish. Beside them:
 * drift of tonight's snapshot against the champion's training reference, and the realised
 * performance of the list published one horizon ago. A failed quality check stops the run before
 * scoring: yesterday's list stays published. Monitoring never holds the list back.
 */
import { defineDag } from '../src/dag';
import type { PipelineResources } from '../src/pipeline/resources';
import { listDateOf } from '../src/pipeline/list-date';
import { callLogStep, cleanStep, driftStep, extractStep, featuresStep, publishStep, realisedPerformanceStep, scoreStep, sourceNames } from '../src/pipeline/nightly-steps';

export default defineDag<PipelineResources>(
  {
    id: 'nightly_call_list',
    description: 'extract, clean, score and publish the morning call list',
    schedule: '0 2 * * *',
    timezone: 'Europe/Paris',
    startDate: '2026-01-01',
    catchup: false,
    maxActiveRuns: 1,
    tags: ['call-list'],
    deadline: '07:30',
    defaults: { retries: 2, retryDelayMs: 60_000, retryBackoff: 2, maxRetryDelayMs: 600_000, timeoutMs: 3_600_000 },
  },
  (dag) => {
    const extract = dag.mappedTask('extract', { over: (ctx) => sourceNames(ctx.resources), pool: 'io' }, (ctx, source: string) =>
      extractStep(ctx.resources, source, { runId: ctx.runId, log: ctx.log }),
    );

    const callLog = dag.task('extract_call_log', { pool: 'io' }, (ctx) => callLogStep(ctx.resources, { runId: ctx.runId, log: ctx.log }));

    const clean = dag.task('clean', (ctx) =>
      cleanStep(ctx.resources, { runId: ctx.runId, asOf: listDateOf(ctx, ctx.resources.config.timezone), log: ctx.log }),
    );

    const features = dag.task('features', (ctx) => featuresStep(ctx.resources, { runId: ctx.runId, listDate: listDateOf(ctx, ctx.resources.config.timezone) }));

    const score = dag.task('score', { cpu: true }, (ctx) => scoreStep(ctx.resources, { runId: ctx.runId, listDate: listDateOf(ctx, ctx.resources.config.timezone) }));

    const publish = dag.task('publish', (ctx) =>
      publishStep(ctx.resources, { runId: ctx.runId, listDate: listDateOf(ctx, ctx.resources.config.timezone), log: ctx.log }),
    );

    const drift = dag.task('drift', { retries: 0 }, (ctx) =>
      driftStep(ctx.resources, { runId: ctx.runId, listDate: listDateOf(ctx, ctx.resources.config.timezone), log: ctx.log }),
    );

    const realised = dag.task('realised_performance', { retries: 0 }, (ctx) =>
      realisedPerformanceStep(ctx.resources, { listDate: listDateOf(ctx, ctx.resources.config.timezone), log: ctx.log }),
    );

    dag.chain(extract, clean, features, score, publish);
    callLog.then(clean);
    score.then(drift);
    clean.then(realised);
  },
);
