/**
 * Load benchmark of the API on loopback: the server runs in its own process (test/api/
 * fixture-server.ts, seeded test data, PGlite or --postgres), autocannon drives it from this one.
 * Scenarios: single-debtor scoring at a fixed 500 requests/s (the aim: p99 under 10 ms), scoring
 * at full speed, and the call-list page's data and shell. Prints p50/p99 latency and requests/s,
 * and writes bench/out/api-load.json.
 *   npx tsx bench/api/load.ts [--seconds 15] [--debtors 2000] [--postgres] [--gbdt]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** Requests per second in total; absent: as fast as the server answers. */
  rate?: number;
  connections: number;
}

interface Fixture {
  url: string;
  tokens: Record<string, string>;
  listDate: string;
  debtorId: string;
  payload: Record<string, number | null>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function startServer(): Promise<{ child: ChildProcess; fixture: Fixture }> {
  // The server runs in a node process of its own (tsx's loader inside it), so that stopping it stops the server itself.
  const args = ['--require', 'tsx/cjs', path.join(__dirname, '..', '..', 'test', 'api', 'fixture-server.ts'), '--debtors', arg('debtors', '2000')];
  if (process.argv.includes('--postgres')) args.push('--postgres');
  if (process.argv.includes('--gbdt')) args.push('--gbdt');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RELANCE_LOG_LEVEL: 'warn', NODE_OPTIONS: '' } });
  const lines = createInterface({ input: child.stdout! });
  const fixture = await new Promise<Fixture>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as Fixture));
  });
  child.removeAllListeners('exit');
  lines.close();
  return { child, fixture };
}

async function run(fixture: Fixture, s: Scenario, seconds: number) {
  const result = await autocannon({
    url: fixture.url + s.path,
    method: s.method,
    body: s.body,
    headers: { authorization: `Bearer ${fixture.tokens.lead}`, 'content-type': 'application/json' },
    connections: s.connections,
    duration: seconds,
    ...(s.rate ? { overallRate: s.rate } : {}),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  return {
    scenario: s.name,
    rateTarget: s.rate ?? 'max',
    connections: s.connections,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50ms: result.latency.p50,
    p90ms: result.latency.p90,
    p99ms: result.latency.p99,
    maxMs: result.latency.max,
    failed: bad,
  };
}

async function main(): Promise<void> {
  const seconds = Number(arg('seconds', '15'));
  const { child, fixture } = await startServer();
  try {
    const score = JSON.stringify({ features: fixture.payload });
    const scenarios: Scenario[] = [
      { name: 'POST /api/score (warm-up)', method: 'POST', path: '/api/score', body: score, connections: 10 },
      { name: 'POST /api/score @500 rps', method: 'POST', path: '/api/score', body: score, rate: 500, connections: 20 },
      { name: 'POST /api/score max', method: 'POST', path: '/api/score', body: score, connections: 32 },
      { name: 'POST /api/score explain:false @500 rps', method: 'POST', path: '/api/score', body: JSON.stringify({ features: fixture.payload, explain: false }), rate: 500, connections: 20 },
      { name: 'GET call list page data (100 rows)', method: 'GET', path: `/api/call-lists/${fixture.listDate}?limit=100`, connections: 16 },
      { name: 'GET call list filtered + search', method: 'GET', path: `/api/call-lists/${fixture.listDate}?team=equipe-1&q=mar&limit=100`, connections: 16 },
      { name: 'GET /call-list (page shell)', method: 'GET', path: '/call-list', connections: 16 },
    ];
    const rows = [];
    for (const s of scenarios) {
      const row = await run(fixture, s, s.name.includes('warm-up') ? 3 : seconds);
      if (!s.name.includes('warm-up')) rows.push(row);
      process.stderr.write(`${row.scenario}: ${row.rps} req/s, p50 ${row.p50ms} ms, p99 ${row.p99ms} ms${row.failed ? `, ${row.failed} failed` : ''}\n`);
    }
    console.table(rows);
    const out = path.resolve(__dirname, '..', 'out');
    mkdirSync(out, { recursive: true });
    const loadAverage = (await import('node:os')).loadavg()[0];
    process.stderr.write(`machine load average (1 min): ${loadAverage?.toFixed(1)} on ${(await import('node:os')).cpus().length} cores\n`);
    writeFileSync(path.join(out, 'api-load.json'), JSON.stringify({ at: new Date().toISOString(), seconds, engine: process.argv.includes('--postgres') ? 'postgres' : 'pglite', model: process.argv.includes('--gbdt') ? 'gbdt' : 'logistic', loadAverage, rows }, null, 2));
  } finally {
    // The server drops its scratch database on SIGTERM; wait for it, so nothing is left behind.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
