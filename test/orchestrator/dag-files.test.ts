/**
 * Every DAG file only declares: importing it opens no socket, writes no file and starts no
 * process. Also: the registry loads `dags/` and the fixtures, and names the file of a bad DAG.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import childProcess from 'node:child_process';
import { DAGS_DIR, listDagFiles, loadDagRegistry } from '../../src/orchestrator';

const FIXTURES = path.resolve(__dirname, '../fixtures/dags');

function watchIo(): { calls: string[]; restore(): void } {
  const calls: string[] = [];
  const spies = [
    jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket) {
      calls.push('socket connect');
      return this;
    }),
    jest.spyOn(fs, 'writeFileSync').mockImplementation(() => void calls.push('writeFileSync')),
    jest.spyOn(fs, 'mkdirSync').mockImplementation(() => (calls.push('mkdirSync'), undefined)),
    jest.spyOn(fs.promises, 'writeFile').mockImplementation(async () => void calls.push('writeFile')),
    jest.spyOn(childProcess, 'spawn').mockImplementation(() => {
      calls.push('spawn');
      throw new Error('no process on import');
    }),
  ];
  return { calls, restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe('DAG files', () => {
  const files = [...listDagFiles(DAGS_DIR), ...listDagFiles(FIXTURES)];

  it('finds the project DAGs and the fixtures', () => {
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['fixture-rows.ts']));
  });

  it.each(files.map((f) => [path.relative(path.resolve(__dirname, '../..'), f), f]))('importing %s does no I/O', (_name, file) => {
    const io = watchIo();
    try {
      jest.isolateModules(() => {
        const mod = require(file) as { default?: { tasks?: unknown } };
        expect(mod.default?.tasks).toBeDefined();
      });
    } finally {
      io.restore();
    }
    expect(io.calls).toEqual([]);
  });

  it('the watcher does see I/O (so the test above can fail)', () => {
    const io = watchIo();
    try {
      new net.Socket().connect(1, '127.0.0.1');
      try {
        childProcess.spawn('true');
      } catch {
        // expected
      }
    } finally {
      io.restore();
    }
    expect(io.calls).toEqual(['socket connect', 'spawn']);
  });

  it('the registry loads every file of dags/ with the configured settings', () => {
    const registry = loadDagRegistry(DAGS_DIR, { nightly_call_list: { paused: true, retries: 5 } });
    expect(registry.dags.size).toBe(listDagFiles(DAGS_DIR).length);
    const nightly = registry.get('nightly_call_list');
    expect(nightly.paused).toBe(true);
    // The configured retries are the DAG's default: a task that declares its own keeps it.
    const retries = Object.fromEntries([...nightly.tasks.values()].map((t) => [t.id, t.options.retries]));
    expect(retries).toEqual({ extract: 5, extract_call_log: 5, clean: 5, features: 5, score: 5, publish: 5, drift: 0, realised_performance: 0 });
    expect(registry.get('nightly_call_list').order[0]).toBe('extract');
    expect(() => registry.get('nope')).toThrow(/no DAG 'nope' \(known: /);
  });

  it('a broken DAG file fails the load with the file, DAG and task in the message', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relance-dags-'));
    const api = path.resolve(__dirname, '../../src/dag');
    fs.writeFileSync(path.join(dir, 'broken.ts'), `import { defineDag } from ${JSON.stringify(api)};
export default defineDag({ id: 'broken', schedule: '0 2 * * *', startDate: '2026-01-01' }, (d) => {
  const a = d.task('a', () => 1);
  const b = d.task('b', () => 2);
  a.then(b); b.then(a);
});
`);
    try {
      expect(() => loadDagRegistry(dir)).toThrow(/broken\.ts: dag broken, task (a|b): cycle/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
