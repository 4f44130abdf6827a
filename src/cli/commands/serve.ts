import { Command } from 'commander';
import { startServer } from '../../api/server';
import { createApiToken } from '../../api/auth/tokens';
import { isRole, type Role } from '../../api/auth/roles';
import { orchestratorControl } from '../../api/orchestrator-control';
import { ValidationError } from '../../core/errors';
import { createLogger } from '../../core/log';
import { DAGS_DIR, PgRunStore, driveRunInline, loadDagRegistry, openRedis } from '../../orchestrator';
import type { PipelineResources } from '../../pipeline/resources';
import type { CliEnv } from '../cli-env';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** Listen and block until Ctrl-C; when false, only print how to start it. */
  serve: boolean;
  /** Role of the token created for the person at the terminal. @defaultValue 'lead' */
  role?: Role;
  host?: string;
  port?: number;
}

/**
 * Serves the API and dashboard on `resources` until SIGINT/SIGTERM, after creating a token for the
 * person at the terminal and printing the address to open with it. Runs triggered from the
 * dashboard are driven in this process unless Redis is configured (then the scheduler starts them).
 */
export async function startDashboard(env: CliEnv, resources: PipelineResources, options: DashboardOptions): Promise<void> {
  const { config, db } = resources;
  const role = options.role ?? 'lead';
  const { token } = await createApiToken(db.knex, { name: `terminal-${role}-${new Date().toISOString().slice(0, 16)}`, role });
  if (!options.serve) {
    const host = options.host ?? config.api.host;
    const address = config.api.publicUrl ?? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${options.port ?? config.api.port}`;
    env.print(`Dashboard: run \`npx relance serve\`, then open ${address}/login#token=${token}`);
    env.print(`  (${role} token, shown once; more with \`relance tokens create --role <role> --name <who>\`)`);
    return;
  }
  const log = createLogger({ level: config.log.level, json: config.log.json });
  const registry = loadDagRegistry<PipelineResources>(DAGS_DIR, config.dags);
  const store = new PgRunStore(db);
  const redis = config.redis.url ? openRedis(config.redis.url, 'relance-api') : undefined;
  const control = orchestratorControl({
    registry,
    store,
    log,
    drive: redis ? undefined : (dag, runId) => driveRunInline(dag, runId, { store, resources, clock: resources.clock, log }),
  });
  const { server, url } = await startServer({ db, config, log, redis, control, host: options.host, port: options.port });
  env.print(`Dashboard: ${url}/login#token=${token}`);
  env.print(`  (${role} token, shown once: ${token}; more with \`relance tokens create --role <role> --name <who>\`)`);
  env.print('Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  if (redis) await redis.quit();
}

/** `relance serve`: the API and dashboard on the configured database. */
export function serveCommand(env: CliEnv): Command {
  return new Command('serve')
    .description('serve the HTTP API and the dashboard (address from config api.host/api.port)')
    .option('--host <host>', 'address to listen on (default: config api.host)')
    .option('--port <port>', 'port (default: config api.port; 0 for any free port)')
    .option('--role <role>', 'role of the token printed for you', 'lead')
    .action(async (opts: { host?: string; port?: string; role: string }) => {
      if (!isRole(opts.role)) throw new ValidationError(`--role must be agent, lead, it or analyst (got ${opts.role})`, { context: { field: 'role' } });
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ValidationError(`--port must be a port number (got ${opts.port})`, { context: { field: 'port' } });
      const resources = await env.openResources({ longLived: true });
      try {
        await startDashboard(env, resources, { serve: true, role: opts.role, host: opts.host, port });
      } finally {
        await resources.close();
      }
    });
}
