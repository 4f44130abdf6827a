import { Command } from 'commander';
import { startServer } from '../../api/server';
import { createApiToken } from '../../api/auth/tokens';
import type { Role } from '../../api/auth/roles';
import type { Redis } from 'ioredis';
import { orchestratorControl } from '../../api/orchestrator-control';
import { StartupError, ValidationError } from '../../core/errors';
import { createLogger } from '../../core/log';
import { DAGS_DIR, PgRunStore, driveRunInline, loadDagRegistry, openRedis, withDeadlineWatch } from '../../orchestrator';
import type { Dag } from '../../dag';
import type { PipelineResources } from '../../pipeline/resources';
import type { CliEnv } from '../cli-env';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** Listen and block until Ctrl-C; when false, only print how to start it. */
  serve: boolean;
  /**
   * A token to print in the sign-in address (the demo creates one, once). Without it, `serve`
   * prints how to create one: it never mints tokens itself.
   */
  token?: { token: string; role: Role };
  host?: string;
  port?: number;
  /** How long Redis may take to answer at start-up. @defaultValue 5000 */
  redisTimeoutMs?: number;
}

/** Creates a token for the person at the terminal (the demo's, printed once). */
export async function createTerminalToken(resources: PipelineResources, role: Role = 'lead'): Promise<{ token: string; role: Role }> {
  const { token } = await createApiToken(resources.db.knex, { name: `terminal-${role}-${new Date().toISOString().slice(0, 16)}`, role });
  return { token, role };
}

/**
 * Serves the API and dashboard on `resources` until SIGINT/SIGTERM and prints the address to open.
 * Runs triggered from the dashboard are driven in this process unless Redis is configured (then
 * the scheduler starts them). A port in use or an unreachable Redis ends it with a
 * {@link StartupError} before anything is served.
 */
export async function startDashboard(env: CliEnv, resources: PipelineResources, options: DashboardOptions): Promise<void> {
  const { config, db } = resources;
  const host = options.host ?? config.api.host;
  const port = options.port ?? config.api.port;
  const howToSignIn = (address: string) => {
    if (options.token) {
      env.print(`  sign in: ${address}/login#token=${options.token.token}`);
      env.print(`  (${options.token.role} token, shown once; more with \`relance tokens create --role <role> --name <who>\`)`);
    } else {
      env.print('  to sign in, create a token: `relance tokens create --role lead --name <who>` (roles: agent, lead, it, analyst),');
      env.print(`  then open ${address}/login#token=<token>`);
    }
  };
  if (!options.serve) {
    const address = config.api.publicUrl ?? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
    env.print(`Dashboard: run \`npx relance serve\`, then open ${address}`);
    howToSignIn(address);
    return;
  }
  const log = createLogger({ level: config.log.level, json: config.log.json });
  const registry = loadDagRegistry<PipelineResources>(DAGS_DIR, config.dags);
  const store = new PgRunStore(db);
  const redis = config.redis.url ? await connectRedis(config.redis.url, options.redisTimeoutMs ?? 5000) : undefined;
  try {
    const control = orchestratorControl({
      registry,
      store,
      log,
      // Without Redis no scheduler drives these runs: their deadlines are watched here.
      drive: redis
        ? undefined
        : (dag, runId) =>
            withDeadlineWatch([dag as Dag<unknown>], { store, clock: resources.clock, log, alerts: { webhookUrl: config.monitoring.alerts.webhookUrl } }, () =>
              driveRunInline(dag, runId, { store, resources, clock: resources.clock, log }),
            ),
    });
    const { server, url } = await listenOrExplain(() => startServer({ db, config, log, redis, control, host, port }), host, port);
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    env.print(`Dashboard: ${url}`);
    howToSignIn(url);
    env.print('Press Ctrl-C to stop.');
    await stopped;
    await server.close();
  } finally {
    if (redis) await redis.quit().catch(() => redis.disconnect());
  }
}

/** Opens Redis and waits (at most `timeoutMs`) for it to answer; the message names REDIS_URL without its password. */
async function connectRedis(url: string, timeoutMs: number): Promise<Redis> {
  if (!/^rediss?:$/.test(parsedProtocol(url))) {
    throw new StartupError(`REDIS_URL (redis.url) is not a Redis URL: expected redis://host:port/db (the value is not printed: it may hold a password); fix it, or unset it to drive runs in this process`, { context: { path: 'redis.url' } });
  }
  const redis = openRedis(url, 'relance-api');
  let lastError: Error | undefined;
  // Without a listener ioredis prints every failed reconnection; the last one goes into the message.
  redis.on('error', (error: Error) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
      }),
    ]);
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = (lastError ?? (error as Error)).message;
    throw new StartupError(`Redis at ${redactUrl(url)} did not answer within ${timeoutMs / 1000} s (${reason}); check REDIS_URL (or redis.url), or unset it to drive runs in this process`, {
      context: { path: 'redis.url' },
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

async function listenOrExplain<T>(listen: () => Promise<T>, host: string, port: number): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartupError(`port ${port} on ${host} is already in use (another \`relance serve\`?); stop that process or choose another port with --port or api.port`, { context: { path: 'api.port' }, cause: error });
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new StartupError(`cannot listen on ${host}:${port} (${code}); check api.host and api.port`, { context: { path: 'api.host' }, cause: error });
    throw error;
  }
}

function parsedProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** `url` without its user and password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** `relance serve`: the API and dashboard on the configured database. */
export function serveCommand(env: CliEnv): Command {
  return new Command('serve')
    .description('serve the HTTP API and the dashboard (address from config api.host/api.port)')
    .option('--host <host>', 'address to listen on (default: config api.host)')
    .option('--port <port>', 'port (default: config api.port; 0 for any free port)')
    .action(async (opts: { host?: string; port?: string }) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ValidationError(`--port must be a port number (got ${opts.port})`, { context: { field: 'port' } });
      const resources = await env.openResources({ longLived: true });
      try {
        await startDashboard(env, resources, { serve: true, host: opts.host, port });
      } finally {
        await resources.close();
      }
    });
}
