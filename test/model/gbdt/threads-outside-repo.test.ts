/**
 * Threads started from a process whose working directory is not the repository: the TreeSHAP
 * threads load their TypeScript entry through tsx resolved from relance's own install, not from
 * the working directory (a nightly run from another folder failed at publication with "Cannot find
 * module 'tsx/cjs/api'"). Real process, real worker threads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

test('TreeSHAP on worker threads works when the process runs in another folder', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'relance-elsewhere-'));
  try {
    const script = `
      const { GbdtClassifier } = require(${JSON.stringify(path.join(ROOT, 'src/model/gbdt'))});
      const { explainAcrossThreads } = require(${JSON.stringify(path.join(ROOT, 'src/model/gbdt/shap-threads'))});
      (async () => {
        const n = 20000, data = new Float64Array(n * 2), y = new Uint8Array(n);
        for (let i = 0; i < n; i++) { data[2 * i] = (i % 97) / 97; data[2 * i + 1] = (i % 13) / 13; y[i] = (i % 97) > 60 ? 1 : 0; }
        const model = await new GbdtClassifier({ numRounds: 30, nThreads: 1 }).fit({ nRows: n, nCols: 2, data, y, featureNames: ['a', 'b'] });
        const threaded = await explainAcrossThreads(model, { nRows: n, nCols: 2, data }, { threads: 2, callerWorks: false });
        const single = model.explain({ nRows: n, nCols: 2, data }).contributions;
        let same = true;
        for (let i = 0; i < single.length; i++) if (Math.abs(single[i] - threaded[i]) > 1e-12) same = false;
        console.log(model.trees.length * n >= 200000 ? (same ? 'same' : 'different') : 'too little work for threads');
      })().catch((e) => { console.error(e.message); process.exit(1); });`;
    const out = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { cwd, encoding: 'utf8', timeout: 60_000 });
    expect(out.stderr).not.toMatch(/Cannot find module/);
    expect(out.stdout.trim()).toBe('same');
    expect(out.status).toBe(0);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
