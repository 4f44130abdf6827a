/**
 * Where the clean step spends its time, on a database a nightly run left (for example one kept by
 * `bench/nightly/run.ts --keep`): rebuilds `clean.*` as the nightly does (cleanAll, then the
 * quality checks) and prints, for each statement of `sql/clean/`, its wall seconds, the CPU
 * seconds of the Postgres backend (the leader: parallel workers are gone when it is read), the WAL
 * written meanwhile (by the whole cluster) and the temporary bytes Postgres has reported so far
 * (a backend reports them late, often only after the transaction). Cleaning is idempotent: the
 * database is left as it was.
 *
 *   npx tsx bench/nightly/clean-profile.ts --database URL
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/core';
import { openDatabase } from '../../src/db';
import { cleanAll, runQualityChecks } from '../../src/elt';

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Mark {
  at: bigint;
  cpu: number;
  wal: string;
  temp: number;
}

/** CPU seconds (user + system) of the backends of this database (Linux, same host). */
function cpuOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

async function main(): Promise<void> {
  const database = arg('database') ?? process.env.DATABASE_URL;
  if (!database) throw new Error('--database is required');
  const config = loadConfig({ cwd: ROOT, env: {} });
  const db = await openDatabase({ url: database });
  // A second connection reads the marks (WAL position, temporary bytes) outside the transaction.
  const probe = await openDatabase({ url: database });
  const mark = async (): Promise<Mark> => {
    const { rows } = (await probe.knex.raw(
      `select pg_current_wal_insert_lsn()::text as wal, (select temp_bytes from pg_stat_database where datname = current_database())::float8 as temp,
              array(select pid from pg_stat_activity where datname = current_database() and backend_type in ('client backend', 'parallel worker') and pid <> pg_backend_pid()) as pids`,
    )) as { rows: { wal: string; temp: number; pids: number[] }[] };
    return { at: process.hrtime.bigint(), cpu: cpuOf(rows[0]!.pids), wal: rows[0]!.wal, temp: Number(rows[0]!.temp) };
  };
  const walBytes = async (a: string, b: string): Promise<number> => {
    const { rows } = (await probe.knex.raw(`select pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)::float8 as d`, [b, a])) as { rows: { d: number }[] };
    return Number(rows[0]!.d);
  };
  const lines: string[] = [];
  let last: Mark | null = null;
  const pending: Promise<void>[] = [];
  const log = createLogger({
    level: 'debug',
    json: true,
    write: (line) => {
      const l = JSON.parse(line) as { message: string; step?: string; seconds?: number; rows?: number };
      if (l.message !== 'clean step') return;
      pending.push(
        (async () => {
          const now = await mark();
          const from = last!;
          last = now;
          const mb = (x: number): string => (x / 2 ** 20).toFixed(0);
          lines.push(
            `${(l.seconds ?? 0).toFixed(2).padStart(8)} s wall ${(now.cpu - from.cpu).toFixed(2).padStart(7)} s CPU ${mb(await walBytes(from.wal, now.wal)).padStart(6)} MiB WAL ${mb(now.temp - from.temp).padStart(6)} MiB temp  ${l.step} (${l.rows ?? ''} rows)`,
          );
        })(),
      );
    },
  });
  const load = loadavg()[0] ?? 0;
  try {
    const t0 = process.hrtime.bigint();
    last = await mark();
    const start = last;
    const report = await cleanAll(db, { runId: 'bench-clean', log });
    await Promise.all(pending);
    const t1 = process.hrtime.bigint();
    await runQualityChecks(db, config.quality, { log });
    const t2 = process.hrtime.bigint();
    const end = await mark();
    const s = (a: bigint, b: bigint): string => (Number(b - a) / 1e9).toFixed(1);
    process.stdout.write(
      `clean ${s(t0, t2)} s (cleanAll ${s(t0, t1)} s, quality checks ${s(t1, t2)} s), backend CPU ${(end.cpu - start.cpu).toFixed(1)} s, WAL ${((await walBytes(start.wal, end.wal)) / 2 ** 20).toFixed(0)} MiB; load at start ${load.toFixed(2)}; ${JSON.stringify(report.rows)}\n`,
    );
    for (const line of lines) process.stdout.write(line + '\n');
  } finally {
    await db.close();
    await probe.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`clean-profile: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
