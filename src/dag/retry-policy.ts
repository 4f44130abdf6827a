import { DagDefinitionError } from '../core/errors';
import { isRetryable } from '../core/retryable';
import type { ResolvedTaskOptions, TaskOptions, TriggerRule } from './types';

/** The built-in task defaults. */
export const TASK_DEFAULTS: ResolvedTaskOptions = Object.freeze({
  retries: 0, retryDelayMs: 30_000, retryBackoff: 2, maxRetryDelayMs: 600_000, timeoutMs: 3_600_000,
  pool: 'default', priority: 0, triggerRule: 'all_success', cpu: false,
});

const RULES: readonly TriggerRule[] = ['all_success', 'all_done', 'one_failed', 'none_failed'];

/**
 * Merges task options over DAG defaults and built-ins and validates each field, naming it:
 * `dag nightly_call_list, task score: retries must be a non-negative integer`.
 */
export function resolveTaskOptions(where: string, ...layers: (TaskOptions | undefined)[]): ResolvedTaskOptions {
  const merged: Record<string, unknown> = { ...TASK_DEFAULTS };
  for (const layer of layers) for (const [k, v] of Object.entries(layer ?? {})) if (v !== undefined) merged[k] = v;
  for (const key of Object.keys(merged)) if (!(key in TASK_DEFAULTS)) throw new DagDefinitionError(`${where}: unknown task option '${key}'`);
  const o = merged as unknown as ResolvedTaskOptions;
  const bad = (field: string, rule: string): never => {
    throw new DagDefinitionError(`${where}: ${field} ${rule}`, { context: { field } });
  };
  if (!Number.isInteger(o.retries) || o.retries < 0) bad('retries', 'must be a non-negative integer');
  if (!Number.isFinite(o.retryDelayMs) || o.retryDelayMs < 0) bad('retryDelayMs', 'must be a non-negative number');
  if (!Number.isFinite(o.retryBackoff) || o.retryBackoff < 1) bad('retryBackoff', 'must be at least 1');
  if (!Number.isFinite(o.maxRetryDelayMs) || o.maxRetryDelayMs < o.retryDelayMs) bad('maxRetryDelayMs', 'must be at least retryDelayMs');
  if (!Number.isFinite(o.timeoutMs) || o.timeoutMs <= 0) bad('timeoutMs', 'must be a positive number');
  if (typeof o.pool !== 'string' || !/^[a-z0-9_-]+$/i.test(o.pool)) bad('pool', 'must be a name of letters, digits, _ or -');
  if (!Number.isInteger(o.priority)) bad('priority', 'must be an integer');
  if (!RULES.includes(o.triggerRule)) bad('triggerRule', `must be one of ${RULES.join(', ')}`);
  if (typeof o.cpu !== 'boolean') bad('cpu', 'must be a boolean');
  return Object.freeze(o);
}

/** Wait before try `nextTry` (2 = first retry): exponential from retryDelayMs, capped. */
export function retryDelay(options: Pick<ResolvedTaskOptions, 'retryDelayMs' | 'retryBackoff' | 'maxRetryDelayMs'>, nextTry: number): number {
  const exponent = Math.max(0, nextTry - 2);
  return Math.min(options.maxRetryDelayMs, options.retryDelayMs * options.retryBackoff ** exponent);
}

/**
 * Whether a failed try is retried: tries are left and the error classifier (`src/core/retryable`)
 * does not call the error permanent (bad data, a constraint, a failed quality check). `now`
 * decides whether a source's freshness window still allows waiting for its export.
 */
export function shouldRetry(options: Pick<ResolvedTaskOptions, 'retries'>, tryNumber: number, error: unknown, now?: Date): boolean {
  if (tryNumber > options.retries) return false;
  return isRetryable(error, now);
}
