/**
 * Error classes shared across relance. Each has a stable `name` (checked by name, since errors
 * cross process boundaries), the ids it concerns, and whether a retry can help.
 */

/** Identifiers an error may concern; all optional. */
export interface ErrorContext {
  dagId?: string;
  taskId?: string;
  runId?: string;
  file?: string;
  line?: number;
  field?: string;
  sqlFile?: string;
  path?: string;
}

/** Base class: every relance error carries its context and retryability. */
export class RelanceError extends Error {
  override name = 'RelanceError';
  /** Whether running the same thing again may succeed (network, lock, timeout). */
  readonly retryable: boolean;
  readonly context: ErrorContext;

  constructor(message: string, options: { context?: ErrorContext; retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
    this.context = options.context ?? {};
  }
}

/** A configuration value is missing or invalid; `context.path` names it. */
export class ConfigError extends RelanceError {
  override name = 'ConfigError';
}

/** A DAG declaration is invalid (cycle, unknown dependency, bad cron, duplicate id). */
export class DagDefinitionError extends RelanceError {
  override name = 'DagDefinitionError';
}

/** An input file cannot be loaded as a whole; `context` names file, line and field. */
export class InputFileError extends RelanceError {
  override name = 'InputFileError';
}

/** A data-quality check failed: the run stops before scoring and publication. */
export class QualityCheckError extends RelanceError {
  override name = 'QualityCheckError';
}

/** A database statement failed; wraps the driver error and names the SQL file, never the values. */
export class DatabaseError extends RelanceError {
  override name = 'DatabaseError';
}

/** A requested entity (run, task, model, debtor) does not exist. */
export class NotFoundError extends RelanceError {
  override name = 'NotFoundError';
}

/** Input from a caller (CLI flag, API payload) is invalid; `context.field` names it. */
export class ValidationError extends RelanceError {
  override name = 'ValidationError';
}

/** A task ran past its execution timeout. Retryable: the next try may be faster. */
export class TaskTimeoutError extends RelanceError {
  override name = 'TaskTimeoutError';
  constructor(message: string, options: { context?: ErrorContext; cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
  }
}

/** True when `error` looks like a relance error of the given name, even across processes. */
export function isErrorNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

/** Postgres/driver error codes for which a retry can help (connection loss, serialization, locks). */
const RETRYABLE_PG_CODES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
const RETRYABLE_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** Whether an arbitrary thrown value is worth retrying. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RelanceError) return error.retryable;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { retryable?: unknown; code?: unknown };
  if (typeof e.retryable === 'boolean') return e.retryable;
  return typeof e.code === 'string' && (RETRYABLE_PG_CODES.has(e.code) || RETRYABLE_NODE_CODES.has(e.code));
}

/**
 * The embedded database (PGlite under the relance home) cannot be shared as asked: its serving
 * process stopped, or an operation needs the process that holds it. The message says what to do.
 */
export class EmbeddedDatabaseError extends RelanceError {
  override name = 'EmbeddedDatabaseError';
}

/** A long-running command cannot start (its port is taken, a service it needs does not answer); the message says what to change. */
export class StartupError extends RelanceError {
  override name = 'StartupError';
}
