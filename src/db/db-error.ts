import { DatabaseError } from '../core/errors';

/** Wraps a driver error with the SQL file's name, never the bound values (they hold personal data). */
export function wrapDbError(cause: unknown, sqlFile: string): DatabaseError {
  const e = cause as { message?: string; code?: string };
  const retryable = typeof e.code === 'string' && /^(08|40|57P|55P03)/.test(e.code);
  return new DatabaseError(`${sqlFile}: ${e.message ?? String(cause)}`, { context: { sqlFile }, retryable, cause });
}
