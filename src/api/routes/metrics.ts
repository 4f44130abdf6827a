import type { FastifyPluginAsync } from 'fastify';
import { ACCESS } from '../auth/roles';
import type { ApiContext } from '../context';

/** `GET /metrics`: Prometheus exposition (IT role; Prometheus sends the token as a bearer). */
export function metricsRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', { config: { access: ACCESS.itOnly }, schema: { tags: ['health'], summary: 'Prometheus metrics' } }, async (_request, reply) => {
      const body = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(body);
    });
  };
}
