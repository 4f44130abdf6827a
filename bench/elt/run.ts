/**
 * Throughput of the extract + validate + clean stage on a synthetic office export, next to `psql
 * \copy` of the same files in the same session (same server, same run), and the peak RSS of this
 * node process.
 *
 * Run: npx tsx bench/elt/run.ts --dir EXPORT_DIR [--url postgres://postgres@127.0.0.1:5432/postgres] [--keep] [--pgloader]
 *   [--pgloader]        (also pgloader, Debian's package, on the same files into typed tables: bench/elt/pgloader.ts)
 *   [--concurrency N]   (tables loaded at once; default: one per core)
 *   (make an export first: `npx tsx bench/synth/run.ts --debtors 1000000 --out DIR --keep`)
 *
 * The baseline copies each file line by line into a one-column text table (`format csv` with a
 * delimiter and quote that never occur), so that the export's planted broken rows do not stop
 * it: it is the cost of moving the bytes into Postgres with no parsing, no typing, no checks.
 * The bench database is created for the run and dropped afterwards unless --keep.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { withDatabase, openDatabase, migrate } from '../../src/db';
import { createLogger } from '../../src/core';
import { loadConfig } from '../../src/config';
import { cleanAll, extractSource } from '../../src/elt';
import { tmpdir } from 'node:os';
import { runPgloader } from './pgloader';

function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function seconds(from: bigint): number {
  return Number(process.hrtime.bigint() - from) / 1e9;
}

async function main(): Promise<void> {
  const dir = path.resolve(flag('dir') ?? '');
  const adminUrl = flag('url', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') as string;
  const keep = process.argv.includes('--keep');
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  const bytes = files.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
  const name = `relance_bench_elt_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = withDatabase(adminUrl, name);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const db = await openDatabase({ url, poolMax: 4 });
  try {
    await migrate(db);
    // Baseline: psql \copy of the same files, in the same session of this bench.
    await db.knex.raw('create unlogged table public.bench_lines (line text)');
    let copied = 0;
    const t0 = process.hrtime.bigint();
    for (const f of files) {
      const cmd = `\\copy public.bench_lines from '${path.join(dir, f)}' with (format csv, delimiter E'\\x01', quote E'\\x02')`;
      const out = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qc', cmd], { encoding: 'utf8' });
      if (out.status !== 0) throw new Error(`psql failed on ${f}: ${out.stderr}`);
    }
    const psqlSeconds = seconds(t0);
    copied = Number((await db.knex.raw('select count(*) as n from public.bench_lines')).rows[0].n) - files.length;
    await db.knex.raw('drop table public.bench_lines');

    const config = loadConfig({ cwd: path.resolve(__dirname, '..', '..'), env: {} });
    const source = config.sources.find((s) => s.name === 'office_csv');
    if (!source || source.kind !== 'csv') throw new Error('config/relance.yaml has no office_csv source');

    // pgloader on the same files into typed tables, with its reject files, in the same session.
    const loader = process.argv.includes('--pgloader')
      ? await runPgloader({
          dir,
          tables: source.tables.map((t) => ({ table: t.table, file: t.file, columns: t.columns as Record<string, string> })),
          url,
          workDir: path.join(tmpdir(), `${name}-pgloader`),
          count: async (sql) => Number((await db.knex.raw(sql)).rows[0].n),
        })
      : undefined;
    const log = createLogger({ level: process.env.RELANCE_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
    const rssBefore = peakRss;
    const t1 = process.hrtime.bigint();
    const concurrency = flag('concurrency') === undefined ? undefined : Number(flag('concurrency'));
    const reports = await extractSource(db, { ...source, dir }, { runId: 'bench', log, today: '2026-11-24', ...(concurrency ? { concurrency } : {}) });
    const extractSeconds = seconds(t1);
    const t2 = process.hrtime.bigint();
    const cleaned = await cleanAll(db, { runId: 'bench', log });
    const cleanSeconds = seconds(t2);
    const rowsRead = reports.reduce((n, r) => n + r.rowsRead, 0);

    const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US');
    const table = [
      `| stage | rows | seconds | rows/s | vs psql \\copy |`,
      `|---|---|---|---|---|`,
      `| psql \\copy (lines, no parsing) | ${copied} | ${psqlSeconds.toFixed(1)} | ${rate(copied, psqlSeconds)} | 1.00× |`,
      `| relance extract (COPY + validate in SQL) | ${rowsRead} | ${extractSeconds.toFixed(1)} | ${rate(rowsRead, extractSeconds)} | ${(rowsRead / extractSeconds / (copied / psqlSeconds)).toFixed(2)}× |`,
      ...(loader
        ? [`| pgloader (typed tables, reject files: ${loader.rowsLoaded} loaded, ${loader.rowsRejected} rejected) | ${loader.rowsRead} | ${loader.seconds.toFixed(1)} | ${rate(loader.rowsRead, loader.seconds)} | ${(loader.rowsRead / loader.seconds / (copied / psqlSeconds)).toFixed(2)}× |`]
        : []),
      `| relance extract + clean | ${rowsRead} | ${(extractSeconds + cleanSeconds).toFixed(1)} | ${rate(rowsRead, extractSeconds + cleanSeconds)} | ${(rowsRead / (extractSeconds + cleanSeconds) / (copied / psqlSeconds)).toFixed(2)}× |`,
    ];
    console.log(`export ${dir}: ${files.length} files, ${(bytes / 1e6).toFixed(0)} MB; tables loaded at once: ${concurrency ?? 'one per core'}`);
    console.log(table.join('\n'));
    console.log('per file:');
    for (const r of reports) console.log(`  ${path.basename(r.file)}: ${r.rowsRead} read, ${r.rowsLoaded} loaded, ${r.rowsQuarantined} quarantined, ${r.seconds.toFixed(1)} s, ${rate(r.rowsRead, r.seconds)} rows/s`);
    if (loader) console.log(`pgloader per table: ${loader.perTable.map((t) => `${t.table} ${t.loaded} loaded, ${t.rejected} rejected`).join('; ')}`);
    const quarantined = reports.reduce((n, r) => n + r.rowsQuarantined, 0);
    console.log(`relance: ${reports.reduce((n, r) => n + r.rowsLoaded, 0)} loaded, ${quarantined} quarantined with their reason`);
    console.log(`clean: ${JSON.stringify(cleaned.rows)} orphans ${JSON.stringify(cleaned.orphans)} in ${cleanSeconds.toFixed(1)} s`);
    console.log(`node peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MB (before the load: ${(rssBefore / 2 ** 20).toFixed(0)} MB)`);
  } finally {
    clearInterval(sampler);
    await db.close();
    if (!keep) await admin.query(`drop database if exists "${name}" with (force)`);
    else console.log(`kept database ${name}`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
