/**
 * The relance HTTP API and dashboard: one Fastify instance with the OpenAPI document at /docs,
 * one access check for every route, Prometheus metrics, and the dashboard pages.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import cookie from '@fastify/cookie';
import compress from '@fastify/compress';
import type { Redis } from 'ioredis';
import type { RelanceConfig } from '../config';
import type { Database } from '../db';
import { isErrorNamed, type ErrorContext } from '../core/errors';
import type { Logger } from '../core/log';
import { systemClock, type Clock } from '../core/clock';
import { ACCESS } from './auth/roles';
import { installAccess, type RegisteredRoute } from './auth/access';
import { championScorer, fixedScorer, type ScorerSource } from './scoring/champion-scorer';
import type { Scorer } from './scoring/scorer';
import { createApiMetrics, type ApiMetrics } from './metrics';
import { openQueues, mountBullBoard, type QueueSet } from './queues';
import type { PipelineControl } from './pipeline-control';
import type { ApiContext } from './context';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { callListRoutes } from './routes/call-lists';
import { debtorRoutes } from './routes/debtors';
import { scoringRoutes } from './routes/scoring';
import { pipelineRoutes } from './routes/pipeline';
import { modelRoutes } from './routes/models';
import { monitoringRoutes } from './routes/monitoring';
import { pageRoutes } from './routes/pages';
import { sessionRoutes } from './routes/session';
import { callRoomRoutes } from './routes/call-room';
import { i18nRoutes } from './routes/i18n';
import { leadRoutes } from './routes/lead';

/** What {@link buildServer} needs. */
export interface ServerOptions {
  db: Database;
  config: RelanceConfig;
  log: Logger;
  /** Redis of the BullMQ workers: enables queue depths, bull-board and the Redis health check. */
  redis?: Redis;
  /** Scorer for on-demand scoring. @defaultValue the registry's champion, kept in memory */
  scorer?: Scorer | ScorerSource;
  /** Triggers and clears runs; without it those two routes answer 503. */
  control?: PipelineControl;
  /** BullMQ queue names. @defaultValue the queues found in Redis under `config.redis.prefix` */
  queueNames?: readonly string[];
  /** Time of the call room (claims, logged calls). @defaultValue the system clock */
  clock?: Clock;
  /** Register prom-client's process metrics. @defaultValue true */
  defaultMetrics?: boolean;
}

/** The server plus what the tests and the CLI reach into. */
export interface RelanceServer extends FastifyInstance {
  /** Every registered route with the access it declared. */
  readonly registeredRoutes: readonly RegisteredRoute[];
  readonly metrics: ApiMetrics;
}

/** Builds the API server (not listening yet). Closing it closes the queues it opened, not `db` or `redis`. */
export async function buildServer(options: ServerOptions): Promise<RelanceServer> {
  const { db, config, log } = options;
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, routerOptions: { ignoreTrailingSlash: true } });

  const registeredRoutes = installAccess(app, {
    knex: db.knex,
    log,
    prefixes: [
      { prefix: '/docs', access: 'public' },
      { prefix: '/queues', access: ACCESS.itOnly },
      { prefix: '/static', access: 'public' },
    ],
  });

  // The language cookie, the office's locale for resolveLanguage, and compressed pages, scripts and charts' data.
  await app.register(cookie);
  await app.register(compress, { threshold: 1024 });
  app.decorate('officeLocale', config.locale);

  let queueSet: QueueSet | undefined;
  if (options.redis) queueSet = await openQueues(options.redis, config.redis.prefix, options.queueNames);
  const metrics = createApiMetrics({ knex: db.knex, log, queues: queueSet?.depths, defaultMetrics: options.defaultMetrics });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    // The route pattern only: URLs and query strings may carry debtor ids or searched names.
    if (reply.statusCode >= 500) log.error('request failed', { method: request.method, route, status: reply.statusCode });
    else log.debug('request', { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 });
  });

  app.setErrorHandler((error: FastifyError & { context?: ErrorContext }, request, reply) => {
    if (error.validation) {
      const v = error.validation[0];
      const params = (v?.params ?? {}) as { missingProperty?: string; additionalProperty?: string };
      const path = [error.validationContext, ...(v?.instancePath ?? '').split('/').filter(Boolean), params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.');
      return reply.code(400).send({ error: 'validation', field: path, message: `${path}: ${v?.message ?? error.message}` });
    }
    if (isErrorNamed(error, 'ValidationError')) return reply.code(400).send({ error: 'validation', field: error.context?.field, message: error.message });
    if (isErrorNamed(error, 'NotFoundError')) return reply.code(404).send({ error: 'not_found', message: error.message });
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ error: 'bad_request', message: error.message });
    log.error('unhandled error', { route: request.routeOptions.url, error });
    return reply.code(500).send({ error: 'internal', message: 'internal error; see the server log' });
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'relance API', version: '1', description: 'Call lists, debtors, on-demand scoring, pipeline runs, models and monitoring. Every route but /healthz needs a token: Authorization: Bearer <token>.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await registerDocs(app, log);

  const scorer: ScorerSource = options.scorer === undefined ? championScorer(db.knex) : 'score' in options.scorer ? fixedScorer(options.scorer) : options.scorer;
  const context: ApiContext = { db, config, log, scorer, metrics, control: options.control, redis: options.redis, clock: options.clock ?? systemClock };

  await app.register(healthRoutes(context));
  await app.register(sessionRoutes(context));
  await app.register(metricsRoutes(context));
  await app.register(callListRoutes(context));
  await app.register(debtorRoutes(context));
  await app.register(callRoomRoutes(context));
  await app.register(scoringRoutes(context));
  await app.register(pipelineRoutes(context));
  await app.register(modelRoutes(context));
  await app.register(monitoringRoutes(context));
  await app.register(pageRoutes(context));
  await app.register(i18nRoutes(context));
  await app.register(leadRoutes(context));
  if (queueSet) await mountBullBoard(app, queueSet.queues);

  app.addHook('onClose', async () => {
    await queueSet?.close();
  });

  await app.ready();
  return Object.assign(app, { registeredRoutes, metrics }) as unknown as RelanceServer;
}

/**
 * The OpenAPI document at /docs/json, and Swagger UI at /docs when it can be loaded (its
 * static-file dependency is an ES module, which Node loads but some test runners do not); without
 * it, /docs answers the document itself.
 */
async function registerDocs(app: FastifyInstance, log: Logger): Promise<void> {
  let ui: typeof import('@fastify/swagger-ui').default | undefined;
  try {
    // Loading its static-file server first tells whether the UI can be registered at all.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@fastify/static');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ui = (require('@fastify/swagger-ui') as typeof import('@fastify/swagger-ui')).default;
  } catch (error) {
    log.debug('Swagger UI unavailable; /docs serves the OpenAPI document', { error: (error as Error).message.slice(0, 120) });
  }
  if (ui) {
    await app.register(ui, { routePrefix: '/docs' });
    return;
  }
  const document = () => app.swagger();
  app.get('/docs', { config: { access: 'public' }, schema: { hide: true } }, async () => document());
  app.get('/docs/json', { config: { access: 'public' }, schema: { hide: true } }, async () => document());
}

/** Builds the server and listens on `config.api.host`/`port` (port 0: any free port). Returns its address. */
export async function startServer(options: ServerOptions & { port?: number; host?: string }): Promise<{ server: RelanceServer; url: string }> {
  const server = await buildServer(options);
  const host = options.host ?? options.config.api.host;
  const port = options.port ?? options.config.api.port;
  await server.listen({ host, port });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = options.config.api.publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  options.log.info('relance API listening', { url });
  return { server, url };
}
