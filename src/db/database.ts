import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { PGlite } from '@electric-sql/pglite';
import { wrapDbError } from './db-error';

/** Which engine a {@link Database} runs on. */
export type DatabaseKind = 'postgres' | 'pglite';

/**
 * A relance database: a knex instance plus the few things knex does not do (COPY, multi-statement
 * scripts), implemented for both Postgres and embedded PGlite.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly knex: Knex;
  /** The embedded engine, when `kind` is 'pglite'. */
  readonly pglite?: PGlite;
  /**
   * Runs `COPY … FROM STDIN` with `source` as its data, on `trx` when given (so a failed load
   * leaves nothing). Returns the number of rows copied.
   */
  copyFrom(copySql: string, source: Readable | Buffer, trx?: Knex.Transaction): Promise<number>;
  /** Runs a script of several statements (migrations), on `trx` when given. */
  exec(script: string, trx?: Knex.Transaction): Promise<void>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** {@link Database.exec} over a knex instance that speaks Postgres's protocol (server or socket). */
export function scriptRunner(knex: Knex): Database['exec'] {
  return async (script, trx) => {
    try {
      await (trx ?? knex).raw(script);
    } catch (cause) {
      throw wrapDbError(cause, 'script');
    }
  };
}
