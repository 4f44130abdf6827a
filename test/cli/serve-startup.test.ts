/**
 * `relance serve` as a real process: it prints how to get a token instead of minting one, and a
 * start that cannot succeed (port in use, unreachable Redis) ends at once with a message saying
 * why, without leaking the Redis password, and without leaving a token behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { embeddedEnv, runRelance, startRelance } from './relance-process';

describe('relance serve start-up', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'relance-serve-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const tokenCount = async () => {
    const listed = await runRelance(['tokens', 'list'], embeddedEnv(home));
    expect(listed.code).toBe(0);
    return listed.stdout.split('\n').filter((l) => /\b(lead|agent|it|analyst)\b/.test(l)).length;
  };

  test('serve prints the address and how to create a token, and mints none', async () => {
    const serve = startRelance(['serve', '--port', '0'], embeddedEnv(home));
    try {
      await serve.waitFor(/^Dashboard: http/);
      await serve.waitFor(/relance tokens create --role/);
      expect(serve.lines.join('\n')).not.toMatch(/rlc_/);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(await tokenCount()).toBe(0);
  }, 120_000);

  test('a port in use ends serve with a message naming the port, within a bounded time', async () => {
    const holder: Server = createServer();
    const port = await new Promise<number>((resolve) => holder.listen(0, '127.0.0.1', () => resolve((holder.address() as { port: number }).port)));
    try {
      const started = Date.now();
      const result = await runRelance(['serve', '--port', String(port)], embeddedEnv(home), 60_000);
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull(); // null: killed by the timeout
      expect(result.stderr).toContain(`port ${port}`);
      expect(result.stderr).toMatch(/already in use/);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(result.stdout).not.toMatch(/rlc_/);
    } finally {
      holder.close();
    }
    expect(await tokenCount()).toBe(0);
  }, 120_000);

  test('an unreachable REDIS_URL ends serve with a message naming Redis, not its password', async () => {
    const result = await runRelance(['serve', '--port', '0'], embeddedEnv(home, { REDIS_URL: 'redis://:s3cret-pass@127.0.0.1:1/6' }), 60_000);
    expect(result.code).not.toBeNull();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Redis/);
    expect(result.stderr).toContain('REDIS_URL');
    expect(result.stderr + result.stdout).not.toContain('s3cret-pass');
    expect(await tokenCount()).toBe(0);
  }, 120_000);

  test('a REDIS_URL that is no URL ends serve with a message saying what is expected', async () => {
    const result = await runRelance(['serve', '--port', '0'], embeddedEnv(home, { REDIS_URL: 'localhost:6379 s3cret' }), 60_000);
    expect(result.code).not.toBeNull();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('REDIS_URL (redis.url) is not a Redis URL: expected redis://host:port/db');
    expect(result.stderr).not.toContain('s3cret');
  }, 120_000);
});
