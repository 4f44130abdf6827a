/**
 * Peak memory of the publish step alone, on a database a nightly run left scored (for example one
 * kept by `bench/nightly/run.ts --keep`): the list built whole (buildCallList, then
 * publishCallList: every candidate and contact slot as JS objects) against the list built in
 * pages (buildAndPublishInBatches), each in its own process under GNU time, one after the other.
 * Both publish the same list date; the second replaces what the first wrote.
 *
 *   npx tsx bench/nightly/publish-memory.ts --database URL --date 2026-11-24 [--modes whole,batches]
 *
 * Prints one line per mode: wall seconds, peak RSS (MiB) and the counts published.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { systemClock } from '../../src/core';
import { openDatabase } from '../../src/db';
import { buildAndPublishInBatches, buildCallList, publishCallList } from '../../src/ranking';

const ROOT = path.resolve(__dirname, '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The child: publishes the list of `date` one way and prints its counts. */
async function child(database: string, date: string, mode: string): Promise<void> {
  const { ranking, timezone } = loadConfig({ cwd: ROOT, env: {} });
  const db = await openDatabase({ url: database });
  try {
    const started = process.hrtime.bigint();
    let counts: Record<string, unknown>;
    if (mode === 'whole') {
      const list = await buildCallList(db, { listDate: date, runId: 'bench-publish', ranking, timeZone: timezone });
      counts = { ...(await publishCallList(db, list, systemClock)) };
    } else {
      const { rows: _rows, exclusionsByRule: _rules, ...rest } = await buildAndPublishInBatches(db, { listDate: date, runId: 'bench-publish', ranking, timeZone: timezone, clock: systemClock });
      counts = rest;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(JSON.stringify({ mode, seconds: Math.round(seconds * 10) / 10, ...counts }) + '\n');
  } finally {
    await db.close();
  }
}

function measure(database: string, date: string, mode: string): Promise<string> {
  const work = mkdtempSync(path.join(tmpdir(), 'relance-publish-mem-'));
  const timeFile = path.join(work, 'time.txt');
  return new Promise((resolve, reject) => {
    const proc = spawn('/usr/bin/time', ['-v', '-o', timeFile, process.execPath, '--import', 'tsx', __filename, '--child', mode, '--database', database, '--date', date], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${mode} exited with ${code}`));
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'))?.[1] ?? NaN);
      rmSync(work, { recursive: true, force: true });
      resolve(`${out.trim()} peak ${Math.round(kb / 1024)} MiB`);
    });
  });
}

async function main(): Promise<void> {
  const database = arg('database') ?? process.env.DATABASE_URL;
  const date = arg('date') ?? '2026-11-24';
  if (!database) throw new Error('--database URL (or DATABASE_URL) is needed');
  const childMode = arg('child');
  if (childMode) return child(database, date, childMode);
  process.stdout.write(`load average at start ${loadavg()[0]!.toFixed(2)}\n`);
  for (const mode of (arg('modes') ?? 'whole,batches').split(',')) process.stdout.write((await measure(database, date, mode)) + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/nightly/publish-memory: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
