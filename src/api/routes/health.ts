import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../context';

/** `GET /healthz`: Postgres answers, and Redis when the API uses it. Public: it holds no data. */
export function healthRoutes(ctx: ApiContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: { tags: ['health'], summary: 'Postgres and Redis reachability', security: [] },
      },
      async (_request, reply) => {
        const checks: Record<string, { ok: boolean; ms: number; error?: string }> = {};
        const time = async (name: string, fn: () => Promise<unknown>) => {
          const started = performance.now();
          try {
            await withTimeout(fn(), 2000);
            checks[name] = { ok: true, ms: Math.round(performance.now() - started) };
          } catch (error) {
            checks[name] = { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).name };
          }
        };
        await time(ctx.db.kind, () => ctx.db.knex.raw('select 1'));
        if (ctx.redis) await time('redis', () => ctx.redis!.ping());
        const ok = Object.values(checks).every((c) => c.ok);
        return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
      },
    );
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { name: 'Timeout' })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
