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

/**
 * A model needs features the feature frame does not have (renamed or dropped since it was
 * trained); the message names them. Not retryable: retrain or restore the feature.
 */
export class MissingFeatureError extends RelanceError {
  override name = 'MissingFeatureError';
  /** The features the model needs and the frame lacks. */
  readonly missing: readonly string[];
  constructor(missing: readonly string[], message: string, options: { context?: ErrorContext } = {}) {
    super(message, options);
    this.missing = missing;
  }
}

/** A task ran past its execution timeout. Retryable: the next try may be faster. */
export class TaskTimeoutError extends RelanceError {
  override name = 'TaskTimeoutError';
  constructor(message: string, options: { context?: ErrorContext; cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
  }
}

/**
 * A request conflicts with the state of what it targets: a second run of the same night, a
 * trigger of a paused DAG, a clear of a running task. The API answers 409.
 */
export class ConflictError extends RelanceError {
  override name = 'ConflictError';
}

/**
 * A source's export is not there (its drop folder is missing). Worth another try only while the
 * source's freshness window lets the run wait for it: `waitUntil` is the end of that window, absent
 * when nothing allows waiting. {@link classifyError} decides, from that data.
 */
export class SourceMissingError extends RelanceError {
  override name = 'SourceMissingError';
  /** Until when the export may still arrive (ISO string, so it survives a trip between processes). */
  readonly waitUntil: string | undefined;
  constructor(message: string, options: { context?: ErrorContext; waitUntil?: Date; cause?: unknown } = {}) {
    super(message, { context: options.context, cause: options.cause });
    this.waitUntil = options.waitUntil?.toISOString();
  }
}

/** True when `error` looks like a relance error of the given name, even across processes. */
export function isErrorNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}
