/**
 * The shared embedded database: the holder and a client (here in one process, through the real
 * socket) interleave parameterised queries and transactions without mixing their sessions, and a
 * lock left by a dead process is taken over.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { openDatabase, type Database } from '../../src/db';
import { readyForQueryStatus } from '../../src/db/embedded-server';
import { openSharedEmbedded, runDirOf } from '../../src/db/shared-embedded';
import { LOCK_FILE } from '../../src/db/embedded-lock';

describe('shared embedded database', () => {
  let dir: string;
  const opened: Database[] = [];
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'relance-shared-')), 'pglite');
  });
  afterEach(async () => {
    for (const db of opened.splice(0).reverse()) await db.close();
    rmSync(path.dirname(dir), { recursive: true, force: true });
  });
  const open = async () => {
    const db = await openDatabase({ dataDir: dir });
    opened.push(db);
    return db;
  };

  test('the second opener is a client of the first; concurrent statements and transactions keep their own sessions', async () => {
    const holder = await open();
    const client = await open();
    expect(holder.pglite).toBeDefined();
    expect(client.pglite).toBeUndefined();
    await holder.knex.raw('create table public.probe (who text, n int)');

    // Each side runs many parameterised statements and transactions at once; with the session
    // switched between protocol messages, one side's Bind would meet the other's Parse.
    const work = (db: Database, who: string) =>
      Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          if (i % 4 === 0) {
            await db.knex.transaction(async (trx) => {
              await trx('public.probe').insert({ who, n: i });
              const seen = await trx('public.probe').where({ who, n: i }).count<{ c: number }[]>('* as c');
              expect(seen[0]!.c).toBe(1);
            });
          } else {
            const row = await db.knex.raw('select ?::int + ?::int as s, ?::text as who', [i, 1000, who]);
            expect(row.rows[0]).toEqual({ s: i + 1000, who });
          }
        }),
      );
    await Promise.all([work(holder, 'holder'), work(client, 'client')]);

    // A transaction rolled back on one side leaves nothing the other side can see.
    await expect(
      client.knex.transaction(async (trx) => {
        await trx('public.probe').insert({ who: 'ghost', n: -1 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const counts = await holder.knex('public.probe').select('who').count<{ who: string; c: number }[]>('* as c').groupBy('who').orderBy('who');
    expect(counts).toEqual([
      { who: 'client', c: 10 },
      { who: 'holder', c: 10 },
    ]);
  });

  test('a lock left by a dead process is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    mkdirSync(runDirOf(dir), { recursive: true });
    writeFileSync(path.join(runDirOf(dir), LOCK_FILE), JSON.stringify({ pid: deadPid, command: 'relance serve', longLived: true, address: { host: '127.0.0.1', port: 1 } }));
    const db = await open();
    expect(db.pglite).toBeDefined();
    expect(JSON.parse(readFileSync(path.join(runDirOf(dir), LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect((await db.knex.raw('select 1 as one')).rows[0]).toEqual({ one: 1 });
  });

  test('a long-running process waits for a one-shot holder instead of joining it, and says who holds the directory', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      mkdirSync(runDirOf(dir), { recursive: true });
      writeFileSync(path.join(runDirOf(dir), LOCK_FILE), JSON.stringify({ pid: holder.pid, command: 'relance tokens create --role lead', longLived: false, address: { host: '127.0.0.1', port: 1 } }));
      const opening = openSharedEmbedded({ dataDir: dir, longLived: true, waitMs: 500, openPglite: () => Promise.reject(new Error('must not open')), pgliteClient: undefined as never });
      await expect(opening).rejects.toMatchObject({ name: 'EmbeddedDatabaseError' });
      await expect(opening).rejects.toThrow(`held by pid ${holder.pid} (relance tokens create --role lead)`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('the ReadyForQuery status is read from the last Z message of a reply', () => {
    const z = (status: string) => [0x5a, 0, 0, 0, 5, status.charCodeAt(0)];
    const commandComplete = [0x43, 0, 0, 0, 10, ...Buffer.from('BEGIN\0')];
    expect(readyForQueryStatus(Uint8Array.from([...commandComplete, ...z('T')]))).toBe('T');
    expect(readyForQueryStatus(Uint8Array.from([...z('T'), ...commandComplete, ...z('I')]))).toBe('I');
    expect(readyForQueryStatus(Uint8Array.from(commandComplete))).toBeUndefined();
  });
});
