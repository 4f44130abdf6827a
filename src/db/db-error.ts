import { DatabaseError } from '../core/errors';
import { isTransient } from '../core/retryable';

/** Wraps a driver error with the SQL file's name, never the bound values (they hold personal data). */
export function wrapDbError(cause: unknown, sqlFile: string): DatabaseError {
  const e = cause as { message?: string };
  return new DatabaseError(`${sqlFile}: ${e.message ?? String(cause)}`, { context: { sqlFile }, retryable: isTransient(cause), cause });
}
