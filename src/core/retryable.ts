/**
 * The one place that decides whether a failure is worth another try. Every caller (the task
 * retry policy, the database error wrapper, the run store's statement retry) asks here, from data
 * on the error, never from its message (except the few connection losses the `pg` driver reports
 * without a code).
 */

/**
 * - `transient`: the same work may succeed later (connection refused or lost, deadlock,
 *   serialization failure, server out of resources or shutting down, timeout).
 * - `permanent`: it will fail the same way (bad data, constraint, syntax, a failed check).
 * - `unknown`: nothing on the error says either (a task's own `Error`).
 */
export type ErrorVerdict = 'transient' | 'permanent' | 'unknown';

/** A verdict and the fact it rests on (for logs and tests). */
export interface ErrorClassification {
  verdict: ErrorVerdict;
  reason: string;
}

/** Node socket and DNS errors of an unreachable or dropped peer (office databases, Postgres, Redis). */
const TRANSIENT_SYSTEM_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'ECONNABORTED', 'EAI_AGAIN']);

/** mysql2 codes of a lost connection, a lock conflict or a busy server. */
const TRANSIENT_MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED', 'ER_CLIENT_INTERACTION_TIMEOUT',
]);

/** SQLSTATEs outside the transient classes that still mean "try again". */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '55P03']);

/** SQLSTATE classes: 08 connection, 40 transaction rollback (serialization, deadlock), 53 insufficient resources. */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53']);

/** The pg driver's connection losses, which carry no code. */
const PG_CONNECTION_LOST = /Connection terminated|connection ended|Client has encountered a connection error/i;

type Inspected = { name?: unknown; code?: unknown; sqlState?: unknown; retryable?: unknown; waitUntil?: unknown; message?: unknown; errors?: unknown; cause?: unknown };

/** Verdict from a SQLSTATE (Postgres `code`, MySQL `sqlState`). */
function bySqlState(state: string): ErrorClassification {
  if (TRANSIENT_SQLSTATES.has(state) || TRANSIENT_SQLSTATE_CLASSES.has(state.slice(0, 2))) return { verdict: 'transient', reason: `SQLSTATE ${state}` };
  return { verdict: 'permanent', reason: `SQLSTATE ${state}` };
}

function classifyOne(e: Inspected, now: Date): ErrorClassification {
  if (e.name === 'SourceMissingError') {
    const until = typeof e.waitUntil === 'string' ? Date.parse(e.waitUntil) : NaN;
    return until > now.getTime() ? { verdict: 'transient', reason: `export may still arrive until ${e.waitUntil as string}` } : { verdict: 'permanent', reason: 'export missing, no freshness window left to wait in' };
  }
  // A decision already taken (relance errors, errors rebuilt after crossing a process) stands.
  if (typeof e.retryable === 'boolean') return { verdict: e.retryable ? 'transient' : 'permanent', reason: `${String(e.name)} says retryable: ${e.retryable}` };
  if (e.name === 'KnexTimeoutError') return { verdict: 'transient', reason: 'no database connection free in time' };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && TRANSIENT_SYSTEM_CODES.has(code)) return { verdict: 'transient', reason: code };
  if (code && TRANSIENT_MYSQL_CODES.has(code)) return { verdict: 'transient', reason: code };
  if (code && /^[0-9A-Z]{5}$/.test(code)) return bySqlState(code);
  if (typeof e.sqlState === 'string' && /^[0-9A-Z]{5}$/.test(e.sqlState) && e.sqlState !== 'HY000') return bySqlState(e.sqlState);
  if (code?.startsWith('ER_')) return { verdict: 'permanent', reason: code };
  if (typeof e.message === 'string' && PG_CONNECTION_LOST.test(e.message)) return { verdict: 'transient', reason: 'connection lost' };
  return { verdict: 'unknown', reason: 'nothing on the error says whether a retry helps' };
}

/**
 * Classifies a thrown value. Looks at the error, then at what it aggregates (Node's connection
 * attempts to several addresses) and at its `cause` chain, and keeps the first verdict that is
 * not `unknown`. `now` decides whether a freshness window is still open.
 */
export function classifyError(error: unknown, now: Date = new Date()): ErrorClassification {
  const seen = new Set<unknown>();
  for (let e: unknown = error; typeof e === 'object' && e !== null && !seen.has(e); e = (e as Inspected).cause) {
    seen.add(e);
    const own = classifyOne(e as Inspected, now);
    if (own.verdict !== 'unknown') return own;
    const parts = (e as Inspected).errors;
    if (Array.isArray(parts)) {
      const verdicts = parts.map((p) => classifyError(p, now));
      const transient = verdicts.find((v) => v.verdict === 'transient');
      if (transient) return transient;
      const permanent = verdicts.find((v) => v.verdict === 'permanent');
      if (permanent) return permanent;
    }
  }
  return { verdict: 'unknown', reason: 'nothing on the error says whether a retry helps' };
}

/**
 * Whether a failed task try is worth another (tries permitting): transient errors, and errors
 * nothing is known about (a task's own `Error`, as Airflow retries any failure). Only a
 * `permanent` verdict stops the retries.
 */
export function isRetryable(error: unknown, now: Date = new Date()): boolean {
  return classifyError(error, now).verdict !== 'permanent';
}

/** Whether the error is known to be transient: the same statement may be run again at once. */
export function isTransient(error: unknown, now: Date = new Date()): boolean {
  return classifyError(error, now).verdict === 'transient';
}
