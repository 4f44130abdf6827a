/**
 * Throughput of `synthesize`: wall time, data rows per second and peak RSS for N debtors.
 * Run: npx tsx bench/synth/run.ts [--debtors 1000000] [--seed 1] [--out DIR] [--horizon-days 0] [--keep]
 * The export goes to a temporary folder, removed afterwards unless --keep. With --horizon-days 30
 * or more, the truth is also checked against the simulated outcomes (read back after timing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { synthesize, truthDirOf } from '../../src/synth';
import { realisedPerformance } from './realised';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

async function main(): Promise<void> {
  const debtors = Number(flag('debtors', '1000000'));
  const seed = Number(flag('seed', '1'));
  const horizonDays = Number(flag('horizon-days', '0'));
  const keep = process.argv.includes('--keep');
  const outDir = flag('out', join(mkdtempSync(join(tmpdir(), 'relance-synth-bench-')), 'export'));

  const loadAtStart = loadavg();
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  let lastShown = 0;
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = await synthesize({
    debtors, seed, outDir, horizonDays,
    onProgress: (p) => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (p.debtorsDone - lastShown >= 100_000 || p.debtorsDone === p.debtorsTotal) {
        lastShown = p.debtorsDone;
        const s = Number(process.hrtime.bigint() - started) / 1e9;
        process.stderr.write(`  ${p.debtorsDone} debtors, ${p.rowsWritten} rows, ${s.toFixed(1)} s, rss ${(peakRss / 2 ** 20).toFixed(0)} MiB\n`);
      }
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sample);
  const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);

  const m = result.manifest;
  const files = m.files;
  const rows = Object.values(files).reduce((n, f) => n + f.dataRows, 0);
  const paymentsAndCalls = (files['paiements.csv']?.dataRows ?? 0) + (files['appels.csv']?.dataRows ?? 0);
  console.log(`debtors            ${debtors}`);
  console.log(`machine            ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
  console.log(`wall time          ${seconds.toFixed(1)} s (threads ${result.threads}, load average at start ${loadAtStart.map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`CPU time           ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, all threads`);
  console.log(`rows (all files)   ${rows}  (${Math.round(rows / seconds)} rows/s)`);
  console.log(`payments + calls   ${paymentsAndCalls}`);
  console.log(`peak RSS           ${(maxRss / 2 ** 20).toFixed(0)} MiB`);
  console.log(`open debtors       ${m.openDebtors}, mean p_pay_30d ${m.meanPPayOpen.toFixed(4)} (all: ${m.meanPPay.toFixed(4)})`);
  console.log(`per file           ${Object.entries(files).map(([f, c]) => `${f} ${c.dataRows}`).join(', ')}`);
  if (horizonDays >= 30) {
    const r = await realisedPerformance(outDir, result.truthDir, m.truthWindow.from, m.truthWindow.toExclusive);
    console.log(`realised 30 days   pay rate ${r.payRate.toFixed(4)} of ${r.openDebtors} open debtors (mean p ${r.meanP.toFixed(4)}), AUC of p_pay_30d ${r.auc.toFixed(4)}`);
  }
  if (!keep && !process.argv.includes('--out')) {
    rmSync(dirname(outDir), { recursive: true, force: true });
  } else console.log(`kept               ${outDir} and ${truthDirOf(outDir)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
