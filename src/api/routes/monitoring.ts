import type { FastifyPluginAsync } from 'fastify';
import { getDriftReport, listDriftReports, listRealisedPerformance } from '../../monitoring/store';
import { listAlerts } from '../../monitoring/alerts';
import { detectionWeeks, listRealisedUplift } from '../../monitoring/uplift';
import { isoDate } from '../../core/ids';
import { ACCESS } from '../auth/roles';
import type { ApiContext } from '../context';

/** Drift reports, realised performance and monitoring alerts. */
export function monitoringRoutes(ctx: ApiContext): FastifyPluginAsync {
  const knex = ctx.db.knex;
  return async (app) => {
    app.get('/api/drift', { config: { access: ACCESS.staff }, schema: { tags: ['monitoring'], summary: 'Drift reports, newest snapshot first' } }, async () => ({
      shareThreshold: ctx.config.monitoring.driftShare,
      reports: await listDriftReports(knex),
    }));

    app.get<{ Params: { reportId: string } }>(
      '/api/drift/:reportId',
      { config: { access: ACCESS.staff }, schema: { tags: ['monitoring'], summary: 'One drift report (or `latest`) with every feature and its distributions', params: { type: 'object', properties: { reportId: { type: 'string' } }, required: ['reportId'] } } },
      async (request) => getDriftReport(knex, request.params.reportId),
    );

    app.get('/api/performance', { config: { access: ACCESS.staff }, schema: { tags: ['monitoring'], summary: 'Realised AUC and pay rate by score decile, per list, with the AUC floor' } }, async () => ({
      aucFloor: ctx.config.monitoring.realisedAucFloor,
      lists: await listRealisedPerformance(knex),
    }));

    app.get('/api/uplift', { config: { access: ACCESS.staff }, schema: { tags: ['monitoring'], summary: 'Realised uplift per list (called against control group, with intervals) and the weeks of lists needed to detect a given uplift' } }, async () => {
      const lists = await listRealisedUplift(knex);
      // The weekly volume is read over the weeks of lists up to the newest one.
      const latest = await knex('dialer.call_list').max({ d: 'list_date' }).first();
      const until = isoDate(latest?.d) ?? null;
      return {
        horizonDays: ctx.config.scoring.horizonDays,
        minPaidAmount: ctx.config.scoring.minPaidAmount,
        lists,
        detection: until ? await detectionWeeks(knex, { until, holdoutShare: ctx.config.ranking.holdout.share, lists }) : null,
      };
    });

    app.get<{ Querystring: { kind?: string; limit?: number } }>(
      '/api/alerts',
      { config: { access: ACCESS.staff }, schema: { tags: ['monitoring'], summary: 'Monitoring and orchestrator alerts, newest first', querystring: { type: 'object', properties: { kind: { type: 'string' }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }, additionalProperties: false } } },
      async (request) => {
        const limit = request.query.limit ?? 100;
        const monitoring = await listAlerts(knex, { limit, kind: request.query.kind });
        const orchestrator = request.query.kind && request.query.kind.startsWith('dataset') ? [] : await knex('orchestrator.alerts').orderBy('id', 'desc').limit(limit);
        return [
          ...monitoring.map((a) => ({ source: 'monitoring', id: a.id, kind: a.kind, severity: a.severity, subject: a.subject ?? null, message: a.message, raisedAt: a.raisedAt, details: a.details })),
          ...orchestrator
            .filter((a: Record<string, unknown>) => !request.query.kind || a.kind === request.query.kind)
            .map((a: Record<string, unknown>) => ({ source: 'orchestrator', id: Number(a.id), kind: a.kind, severity: 'warning', subject: a.run_id ?? a.dag_id, message: a.message, raisedAt: a.raised_at, details: { dagId: a.dag_id } })),
        ]
          .sort((a, b) => new Date(b.raisedAt as string).getTime() - new Date(a.raisedAt as string).getTime())
          .slice(0, limit);
      },
    );
  };
}
