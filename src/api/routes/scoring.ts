import type { FastifyPluginAsync } from 'fastify';
import { NotFoundError, ValidationError } from '../../core/errors';
import { toModelFrame, type FeatureRow } from '../../features';
import { ACCESS } from '../auth/roles';
import { validateFeaturePayload, type ScoreResult, type Scorer } from '../scoring/scorer';
import { isoDate } from '../../core/ids';
import type { ApiContext } from '../context';

const scoreResponse = {
  type: 'object',
  properties: {
    pPay: { type: 'number' },
    rawScore: { type: 'number' },
    expectedValue: { type: ['number', 'null'] },
    threshold: { type: ['number', 'null'] },
    aboveThreshold: { type: ['boolean', 'null'] },
    modelVersionId: { type: ['string', 'null'] },
    modelKind: { type: 'string' },
    contributions: {
      type: 'array',
      items: { type: 'object', properties: { feature: { type: 'string' }, value: { type: ['number', 'null'] }, contribution: { type: 'number' } } },
    },
  },
} as const;

function answer(scorer: Scorer, result: ScoreResult, top?: number) {
  return {
    pPay: result.pPay,
    rawScore: result.rawScore,
    expectedValue: result.expectedValue,
    threshold: scorer.threshold,
    aboveThreshold: scorer.threshold === null ? null : result.pPay >= scorer.threshold,
    modelVersionId: scorer.versionId,
    modelKind: scorer.kind,
    contributions: top ? result.contributions.slice(0, top) : result.contributions,
  };
}

/** On-demand scoring: a posted feature payload (no database round-trip) or a debtor's latest snapshot. */
export function scoringRoutes(ctx: ApiContext): FastifyPluginAsync {
  const latency = ctx.metrics.scoringLatency;
  return async (app) => {
    app.get(
      '/api/score/features',
      { config: { access: ACCESS.staff }, schema: { tags: ['scoring'], summary: "The champion's feature names: the fields a scoring payload must carry" } },
      async () => {
        const scorer = await ctx.scorer.current();
        return { modelVersionId: scorer.versionId, modelKind: scorer.kind, threshold: scorer.threshold, features: scorer.featureNames };
      },
    );

    app.post<{ Body: { features?: unknown; top?: unknown; explain?: boolean } }>(
      '/api/score',
      {
        config: { access: ACCESS.staff },
        schema: {
          tags: ['scoring'],
          summary: 'Scores a posted feature payload with the champion model',
          description: 'Body: {"features": {<every model feature>: number | boolean | null}, "top": n, "explain": true}. A missing, unknown or non-numeric field is a 400 naming it; null means "unknown" and is handled as the model handles missing values. "explain": false answers P(pay) without the contributions (cheaper for tree models).',
          body: { type: 'object', properties: { features: { type: 'object' }, top: { type: 'integer', minimum: 1 }, explain: { type: 'boolean', default: true } }, required: ['features'] },
          response: { 200: scoreResponse },
        },
      },
      async (request) => {
        const scorer = await ctx.scorer.current();
        const features = validateFeaturePayload(request.body.features, scorer.featureNames);
        const started = performance.now();
        if (request.body.explain === false) {
          const p = scorer.predict(features);
          latency.observe({ source: 'payload' }, (performance.now() - started) / 1000);
          return { ...answer(scorer, { ...p, expectedValue: 0, contributions: [] }), expectedValue: null };
        }
        const result = scorer.score(features);
        latency.observe({ source: 'payload' }, (performance.now() - started) / 1000);
        return answer(scorer, result, typeof request.body.top === 'number' ? request.body.top : undefined);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/debtors/:id/score',
      {
        config: { access: ACCESS.staff },
        schema: {
          tags: ['scoring'],
          summary: "Scores a debtor's latest feature snapshot with the current champion",
          params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] },
          response: { 200: { ...scoreResponse, properties: { ...scoreResponse.properties, asOf: { type: 'string' }, debtorId: { type: 'string' } } } },
        },
      },
      async (request) => {
        const row = (await ctx.db.knex('features.debtor_features').where({ debtor_id: request.params.id }).orderBy('as_of', 'desc').first()) as FeatureRow | undefined;
        if (!row) throw new NotFoundError(`no feature snapshot for debtor ${request.params.id}`);
        const scorer = await ctx.scorer.current();
        const frame = toModelFrame([row]);
        const features: Record<string, number | null> = {};
        frame.featureNames.forEach((name, j) => {
          const v = frame.data[j] as number;
          features[name] = Number.isNaN(v) ? null : v;
        });
        const missing = scorer.featureNames.find((name) => !(name in features));
        if (missing) throw new ValidationError(`the snapshot has no feature ${missing} that the champion needs`, { context: { field: missing } });
        const started = performance.now();
        const result = scorer.score(features);
        latency.observe({ source: 'snapshot' }, (performance.now() - started) / 1000);
        return { ...answer(scorer, result), asOf: isoDate(row.as_of), debtorId: request.params.id };
      },
    );
  };
}
