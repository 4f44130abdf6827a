import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { PGlite } from '@electric-sql/pglite';
import { from as copyFromStdin } from 'pg-copy-streams';
import { wrapDbError } from './db-error';

interface PgConnection {
  query(stream: unknown): NodeJS.WritableStream & { rowCount?: number };
}

/** COPY into Postgres over the connection of `runner` (a transaction keeps its own connection). */
export async function copyIntoPostgres(runner: Knex | Knex.Transaction, copySql: string, source: Readable | Buffer): Promise<number> {
  const client = runner.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(c: PgConnection): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    const sink = connection.query(copyFromStdin(copySql));
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    await pipeline(input, sink as unknown as NodeJS.WritableStream);
    return Number((sink as { rowCount?: number }).rowCount ?? 0);
  } catch (cause) {
    throw wrapDbError(cause, 'copy');
  } finally {
    await client.releaseConnection(connection);
  }
}

/** COPY into PGlite: its COPY reads a blob, so the stream is gathered first. */
export async function copyIntoPglite(pglite: PGlite, copySql: string, source: Readable | Buffer): Promise<number> {
  const chunks: Buffer[] = [];
  if (Buffer.isBuffer(source)) chunks.push(source);
  else for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  const sql = copySql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'");
  try {
    const result = await pglite.query(sql, [], { blob: new Blob(chunks) });
    return result.affectedRows ?? 0;
  } catch (cause) {
    throw wrapDbError(cause, 'copy');
  }
}
