/**
 * Opens a seeded test database and an API server on it, for the API tests. PGlite by default;
 * Postgres (and Redis) for the `*.int.test.ts` files.
 */
import type { Redis } from 'ioredis';
import { compileConfig, type RelanceConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/core/log';
import { buildServer, type RelanceServer } from '../../src/api/server';
import type { PipelineControl } from '../../src/api/pipeline-control';
import type { Clock } from '../../src/core/clock';
import { freshPglite, freshPostgres, type TestDatabase } from '../helpers/db';
import { seedApiDatabase, type ApiFixture } from './fixture';

/** A running test API and its data. */
export interface TestApi {
  server: RelanceServer;
  fixture: ApiFixture;
  database: TestDatabase;
  config: RelanceConfig;
  /** Every line the server logged. */
  logLines: string[];
  /** `http://127.0.0.1:<port>` of the listening server. */
  baseUrl: string;
  close(): Promise<void>;
}

/** Options of {@link openTestApi}. */
export interface TestApiOptions {
  engine?: 'pglite' | 'postgres';
  redis?: Redis;
  control?: PipelineControl;
  n?: number;
  config?: Record<string, unknown>;
  /** Time of the call room. @defaultValue the system clock */
  clock?: Clock;
}

/** Seeds a fresh database and builds a server on it (not listening). */
export async function openTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const database = options.engine === 'postgres' ? await freshPostgres() : await freshPglite();
  const config = compileConfig({ dags: { nightly_call_list: { schedule: '0 2 * * *' } }, redis: { prefix: `relance-test-${process.pid}` }, ...options.config });
  const logLines: string[] = [];
  const log: Logger = createLogger({ level: 'debug', write: (line) => logLines.push(line) });
  try {
    const fixture = await seedApiDatabase(database.db, { n: options.n });
    const server = await buildServer({ db: database.db, config, log, scorer: fixture.scorer, redis: options.redis, control: options.control, clock: options.clock, defaultMetrics: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return {
      baseUrl,
      server,
      fixture,
      database,
      config,
      logLines,
      async close() {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The Authorization header of a token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** A response read whole. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: <T = any>() => T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends a request to the test API over HTTP (Fastify's inject needs ES modules the test runner cannot load). */
export async function call(api: TestApi, method: string, url: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(api.baseUrl + url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}
