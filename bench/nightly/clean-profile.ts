/**
 * Where the clean step spends its time, on a database a nightly run left (for example one kept by
 * `bench/nightly/run.ts --keep`): rebuilds `clean.*` as the nightly does (cleanAll, then the
 * quality checks) and prints the seconds of each statement of `sql/clean/`, of the rest of
 * cleanAll and of the quality checks. Cleaning is idempotent: the database is left as it was.
 *
 *   npx tsx bench/nightly/clean-profile.ts --database URL
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/core';
import { openDatabase } from '../../src/db';
import { cleanAll, runQualityChecks } from '../../src/elt';

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const database = arg('database') ?? process.env.DATABASE_URL;
  if (!database) throw new Error('--database is required');
  const config = loadConfig({ cwd: ROOT, env: {} });
  const db = await openDatabase({ url: database });
  const steps: string[] = [];
  const log = createLogger({
    level: 'debug',
    json: true,
    write: (line) => {
      const l = JSON.parse(line) as { message: string; step?: string; seconds?: number; rows?: number };
      if (l.message === 'clean step') steps.push(`${(l.seconds ?? 0).toFixed(2).padStart(8)} s  ${l.step} (${l.rows ?? ''} rows)`);
    },
  });
  const load = loadavg()[0] ?? 0;
  try {
    const t0 = process.hrtime.bigint();
    const report = await cleanAll(db, { runId: 'bench-clean', log });
    const t1 = process.hrtime.bigint();
    await runQualityChecks(db, config.quality, { log });
    const t2 = process.hrtime.bigint();
    const s = (a: bigint, b: bigint): string => (Number(b - a) / 1e9).toFixed(1);
    process.stdout.write(`clean ${s(t0, t2)} s (cleanAll ${s(t0, t1)} s, quality checks ${s(t1, t2)} s); load at start ${load.toFixed(2)}; ${JSON.stringify(report.rows)}\n`);
    for (const line of steps) process.stdout.write(line + '\n');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`clean-profile: ${(error as Error).stack}\n`);
  process.exitCode = 1;
});
