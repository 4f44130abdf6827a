import type { FastifyPluginAsync } from 'fastify';
import { aliasHistory, getAliasVersion, getModelVersion, listModelVersions, type ModelVersion } from '../../model/registry';
import { loadFittedModel } from '../../model/model-kinds';
import { NotFoundError } from '../../core/errors';
import { ACCESS } from '../auth/roles';
import { modelCurves } from '../model-curves';
import type { ApiContext } from '../context';

/** Model versions, their holdout metrics and curves, importance, and champion vs challenger. */
export function modelRoutes(ctx: ApiContext): FastifyPluginAsync {
  const knex = ctx.db.knex;
  const resolve = async (idOrAlias: string): Promise<ModelVersion> => {
    if (idOrAlias === 'champion' || idOrAlias === 'challenger') {
      const v = await getAliasVersion(knex, idOrAlias);
      if (!v) throw new NotFoundError(`no ${idOrAlias} model yet`);
      return v;
    }
    return getModelVersion(knex, idOrAlias);
  };
  const detail = async (v: ModelVersion) => {
    const run = v.trainingRunId ? await knex('scoring.training_runs').where({ training_run_id: v.trainingRunId }).first() : undefined;
    const artefacts = run ? (typeof run.artefacts === 'string' ? JSON.parse(run.artefacts) : run.artefacts) : {};
    let importance: { feature: string; gain: number; meanAbsContribution: number }[] = [];
    try {
      importance = loadFittedModel(v.model)
        .importance()
        .map((i) => ({ feature: i.feature, gain: i.gain, meanAbsContribution: i.meanAbsContribution }))
        .sort((a, b) => b.gain - a.gain);
    } catch (error) {
      ctx.log.warn('could not compute feature importance', { versionId: v.versionId, error });
    }
    const aliases = (await knex('scoring.model_aliases').where({ version_id: v.versionId }).select('alias')).map((a: { alias: string }) => a.alias);
    return {
      versionId: v.versionId,
      kind: v.kind,
      aliases,
      trainingRunId: v.trainingRunId,
      createdAt: v.createdAt,
      threshold: v.threshold,
      metrics: v.metrics,
      featureNames: v.featureNames,
      importance,
      curves: modelCurves(artefacts, v.kind),
      trainingRun: run ? { startedAt: run.started_at, finishedAt: run.finished_at, status: run.status, trigger: run.trigger, params: run.params } : null,
    };
  };

  return async (app) => {
    app.get('/api/models', { config: { access: ACCESS.staff }, schema: { tags: ['models'], summary: 'Every model version with its holdout metrics and aliases' } }, async () => ({
      versions: await listModelVersions(knex),
      history: (await aliasHistory(knex, 50)).map((h) => ({ alias: h.alias, versionId: h.version_id, previousVersionId: h.previous_version_id, movedAt: h.moved_at, accepted: h.accepted, reason: h.reason })),
    }));

    app.get('/api/models/compare', { config: { access: ACCESS.staff }, schema: { tags: ['models'], summary: 'Champion and challenger side by side' } }, async () => {
      const [champion, challenger] = await Promise.all([getAliasVersion(knex, 'champion'), getAliasVersion(knex, 'challenger')]);
      return { champion: champion ? await detail(champion) : null, challenger: challenger ? await detail(challenger) : null };
    });

    app.get<{ Params: { versionId: string } }>(
      '/api/models/:versionId',
      { config: { access: ACCESS.staff }, schema: { tags: ['models'], summary: 'One version (or `champion`, `challenger`): metrics, curves, threshold, importance', params: { type: 'object', properties: { versionId: { type: 'string' } }, required: ['versionId'] } } },
      async (request) => detail(await resolve(request.params.versionId)),
    );
  };
}
