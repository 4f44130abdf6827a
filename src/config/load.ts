import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import { ConfigError } from '../core/errors';
import { configSchema, type RelanceConfig } from './schema';

/** Where {@link loadConfig} reads from; every field defaults to the process's own. */
export interface LoadConfigOptions {
  /** YAML file. @defaultValue env RELANCE_CONFIG, else `config/relance.yaml` under `cwd` */
  file?: string;
  /** Environment to read overrides from. @defaultValue process.env */
  env?: Record<string, string | undefined>;
  /** Working directory for relative paths. @defaultValue process.cwd() */
  cwd?: string;
  /** Values merged over the file (deeply), before the environment; for tests and the CLI. */
  overrides?: Record<string, unknown>;
}

/**
 * Environment variables that override the file, as `ENV → config path`. This is the only place
 * where relance reads `process.env`.
 */
export const ENV_OVERRIDES: Readonly<Record<string, { path: string[]; type: 'string' | 'number' | 'boolean' }>> = {
  DATABASE_URL: { path: ['database', 'url'], type: 'string' },
  REDIS_URL: { path: ['redis', 'url'], type: 'string' },
  RELANCE_HOME: { path: ['home'], type: 'string' },
  RELANCE_TIMEZONE: { path: ['timezone'], type: 'string' },
  RELANCE_LOCALE: { path: ['locale'], type: 'string' },
  RELANCE_LOG_LEVEL: { path: ['log', 'level'], type: 'string' },
  RELANCE_LOG_JSON: { path: ['log', 'json'], type: 'boolean' },
  RELANCE_API_HOST: { path: ['api', 'host'], type: 'string' },
  RELANCE_API_PORT: { path: ['api', 'port'], type: 'number' },
  RELANCE_ALERT_WEBHOOK: { path: ['monitoring', 'alerts', 'webhookUrl'], type: 'string' },
};

/** Reads `config/relance.yaml` and the environment, validates, and returns a frozen config. */
export function loadConfig(options: LoadConfigOptions = {}): RelanceConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? env.RELANCE_CONFIG ?? path.join(cwd, 'config', 'relance.yaml');
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
    } catch (cause) {
      throw new ConfigError(`${file} is not valid YAML: ${(cause as Error).message}`, { context: { file }, cause });
    }
  } else if (options.file || env.RELANCE_CONFIG) {
    throw new ConfigError(`config file ${file} does not exist`, { context: { file } });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${file} must hold a mapping at the top level`, { context: { file } });
  }
  const merged = deepMerge(raw as Record<string, unknown>, options.overrides ?? {});
  applyEnv(merged, env);
  return compileConfig(merged, file);
}

/** Validates an already-read configuration object and freezes it. */
export function compileConfig(input: unknown, source = 'config'): RelanceConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(`invalid configuration in ${source}:\n${formatIssues(result.error)}`, {
      context: { file: source, path: result.error.issues[0]?.path.join('.') },
    });
  }
  return deepFreeze(result.data);
}

function formatIssues(error: ZodError): string {
  return error.issues
    .map((issue) => {
      const at = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      const received = 'input' in issue && issue.input !== undefined ? ` (got ${JSON.stringify(issue.input)})` : '';
      return `  ${at}: ${issue.message}${received}`;
    })
    .join('\n');
}

function applyEnv(target: Record<string, unknown>, env: Record<string, string | undefined>): void {
  for (const [name, { path: keys, type }] of Object.entries(ENV_OVERRIDES)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    let value: unknown = text;
    if (type === 'number') {
      value = Number(text);
      if (!Number.isFinite(value)) throw new ConfigError(`${name} must be a number (got ${JSON.stringify(text)})`, { context: { path: keys.join('.') } });
    } else if (type === 'boolean') {
      value = /^(1|true|yes)$/i.test(text);
    }
    let node = target;
    for (const key of keys.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = value;
  }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] =
      isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
