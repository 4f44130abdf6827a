import type { FastifyPluginAsync } from 'fastify';
import { getDriftReport, listDriftReports, listRealisedPerformance } from '../../monitoring/store';
import { acknowledgeAlert, listAllAlerts, parseAlertRef } from '../../monitoring/all-alerts';
import { principalOf } from '../auth/access';
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

    app.get<{ Querystring: { kind?: string; limit?: number; open?: boolean } }>(
      '/api/alerts',
      {
        config: { access: ACCESS.staff },
        schema: {
          tags: ['monitoring'],
          summary: 'Every alert (missed deadlines, dataset drift, realised AUC, freshness), newest first; open=true: only the unacknowledged',
          querystring: { type: 'object', properties: { kind: { type: 'string' }, open: { type: 'boolean', default: false }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } }, additionalProperties: false },
        },
      },
      async (request) => listAllAlerts(knex, { kind: request.query.kind, openOnly: request.query.open, limit: request.query.limit }),
    );

    app.post<{ Params: { source: string; id: number } }>(
      '/api/alerts/:source/:id/ack',
      {
        config: { access: ACCESS.operations },
        schema: { tags: ['monitoring'], summary: 'Acknowledges (closes) an alert', params: { type: 'object', properties: { source: { type: 'string', enum: ['monitoring', 'orchestrator'] }, id: { type: 'integer', minimum: 1 } }, required: ['source', 'id'] } },
      },
      async (request) => {
        const by = principalOf(request).name;
        const acknowledged = await acknowledgeAlert(knex, parseAlertRef(`${request.params.source}:${request.params.id}`), by, new Date());
        return { acknowledged, by };
      },
    );
  };
}
