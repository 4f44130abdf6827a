/**
 * Embedded mode (PGlite under RELANCE_HOME) shared by several real processes: a token created by
 * `relance tokens create` while `relance serve` runs is usable at once and survives a restart.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedEnv, runRelance, startRelance, type Running } from './relance-process';

describe('embedded database shared by two processes', () => {
  let home: string;
  let serve: Running | undefined;

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'relance-embedded-'));
  });
  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  const startServe = async (env: NodeJS.ProcessEnv) => {
    serve = startRelance(['serve', '--port', '0'], env);
    const line = await serve.waitFor(/^Dashboard: http/);
    return /^Dashboard: (http:\/\/[^/\s]+)/.exec(line)![1]!;
  };
  const whoAmI = async (url: string, token: string) => {
    const res = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 ? ((await res.json()) as { name: string; role: string }) : res.status;
  };

  test('a token created while serve runs works at once and after serve restarts', async () => {
    const env = embeddedEnv(home);
    let url = await startServe(env);

    const created = await runRelance(['tokens', 'create', '--role', 'analyst', '--name', 'bi-tool'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^rlc_/);

    expect(await whoAmI(url, token)).toMatchObject({ name: 'bi-tool', role: 'analyst' });
    expect(await serve!.stop()).toBe(0);

    url = await startServe(env);
    expect(await whoAmI(url, token)).toMatchObject({ name: 'bi-tool', role: 'analyst' });
    const listed = await runRelance(['tokens', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('bi-tool');
  }, 240_000);

  test('a holder killed with SIGKILL leaves a stale lock that the next command takes over', async () => {
    const env = embeddedEnv(home);
    await startServe(env);
    const created = await runRelance(['tokens', 'create', '--role', 'lead', '--name', 'before-crash'], env);
    expect(created.code).toBe(0);
    const killed = new Promise((resolve) => serve!.child.once('exit', resolve));
    serve!.child.kill('SIGKILL');
    await killed;
    serve = undefined;
    const holder = JSON.parse(readFileSync(path.join(home, 'pglite.run', 'relance-holder.json'), 'utf8')) as { pid: number; command: string };
    expect(holder.command).toMatch(/^relance serve/);

    const listed = await runRelance(['tokens', 'list'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('before-crash');
    expect(existsSync(path.join(home, 'pglite.run', 'relance-holder.json'))).toBe(false);
  }, 240_000);
});
