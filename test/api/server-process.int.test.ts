/**
 * The API as its own Node process (test/api/fixture-server.ts) on Postgres and Redis: what the
 * test runner cannot load in-process (Swagger UI, bull-board) is served there, bull-board is for
 * the IT role only, and /healthz and /metrics see Redis and the BullMQ queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describeIfPostgresAndRedis } from '../helpers/services';

interface Started {
  url: string;
  tokens: Record<'agent' | 'lead' | 'it' | 'analyst', string>;
}

describeIfPostgresAndRedis('API server process with Redis', () => {
  let child: ChildProcess;
  let server: Started;

  beforeAll(async () => {
    const script = path.join(__dirname, 'fixture-server.ts');
    child = spawn(process.execPath, [require.resolve('tsx/cli'), script, '--postgres', '--redis', '--debtors', '40'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RELANCE_LOG_LEVEL: 'warn' } });
    server = await new Promise<Started>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Started));
    });
  }, 60_000);

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  const get = (url: string, token?: string) => fetch(server.url + url, { headers: token ? { authorization: `Bearer ${token}` } : {}, redirect: 'manual' });

  test('bull-board at /queues answers the IT role only, and lists the queue', async () => {
    expect((await get('/queues')).status).toBe(401);
    for (const role of ['agent', 'lead', 'analyst'] as const) expect((await get('/queues', server.tokens[role])).status).toBe(403);
    const page = await get('/queues', server.tokens.it);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const queues = await get('/queues/api/queues', server.tokens.it);
    expect(queues.status).toBe(200);
    expect(JSON.stringify(await queues.json())).toContain('pool-default');
  });

  test('Swagger UI at /docs; /healthz checks Postgres and Redis; /metrics reads the queue depth', async () => {
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
    const health = await (await get('/healthz')).json();
    expect(health).toMatchObject({ status: 'ok', checks: { postgres: { ok: true }, redis: { ok: true } } });
    const metrics = await (await get('/metrics', server.tokens.it)).text();
    expect(metrics).toMatch(/relance_queue_depth\{queue="pool-default",state="waiting"\} 1/);
  });
});
