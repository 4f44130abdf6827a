/**
 * The model on a synthetic office against the best possible model: synthesise an office with the
 * payments of the 30 days after the list date, load it, train, score the list date, then compare
 * the AUC of relance's P(pay) on what debtors actually paid with the AUC of the true probabilities
 * (the ground truth) on the same outcomes — the ceiling any model can reach on this office.
 *
 *   npx tsx bench/model/office.ts [--debtors 20000] [--seed 7] [--database postgres://…]
 *   (without --database: embedded PGlite in memory)
 */
import { mkdtempSync, readFileSync, rmSync, appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase, migrate } from '../../src/db';
import { silentLogger } from '../../src/core/log';
import { synthesize } from '../../src/synth';
import { extractSource, cleanAll } from '../../src/elt';
import { computeFeatureSnapshot } from '../../src/features';
import { createResources } from '../../src/pipeline/resources';
import { trainOnOffice } from '../../src/pipeline/train-office';
import { scoreSnapshot } from '../../src/pipeline/score-snapshot';
import { auc } from '../../src/model/metrics';

const arg = (name: string, fallback?: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

function isoDay(text: string): string {
  const m = /^(\d{2})[/.-](\d{2})[/.-](\d{4})/.exec(text);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : text.slice(0, 10);
}

async function main(): Promise<void> {
  const debtors = Number(arg('debtors', '20000'));
  const seed = Number(arg('seed', '7'));
  const listDate = '2026-11-24';
  const work = mkdtempSync(path.join(tmpdir(), 'relance-office-bench-'));
  const exportDir = path.join(work, 'latest');
  const started = Date.now();
  try {
    await synthesize({ debtors, seed, outDir: exportDir, asOf: listDate, horizonDays: 30 });
    const truthDir = path.join(work, 'latest-truth');
    const base = loadConfig({ cwd: path.resolve(__dirname, '../..'), env: {} });
    const db = await openDatabase({ url: arg('database') });
    await migrate(db);
    const source = { ...base.sources[0]!, dir: exportDir } as never;
    await extractSource(db, source, { runId: 'bench', log: silentLogger });
    await cleanAll(db, { runId: 'bench', asOf: listDate, log: silentLogger } as never);
    const resources = await createResources(base, { db, log: silentLogger });
    const training = await trainOnOffice(resources, { asOf: listDate, trigger: 'bench' });
    await computeFeatureSnapshot(db, { asOf: listDate, timeZone: base.timezone, current: true });
    const scored = await scoreSnapshot(db, { asOf: listDate });

    // what each relance debtor paid in the 30 days from the list date, from the simulated future
    const caseToDebtor = new Map(((await db.knex('clean.cases').select('case_id', 'debtor_id')) as { case_id: string; debtor_id: string }[]).map((c) => [c.case_id, c.debtor_id]));
    const paid = new Map<string, number>();
    const end = new Date(Date.parse(listDate) + 30 * 86_400_000).toISOString().slice(0, 10);
    for (const line of readFileSync(path.join(truthDir, 'future_paiements.csv'), 'utf8').split(/\r?\n/).slice(1)) {
      const f = line.split(';');
      if (f.length < 4) continue;
      const day = isoDay(f[2] as string);
      const debtor = caseToDebtor.get(f[1] as string);
      const amount = Number((f[3] as string).replace(/[\s\u00a0]/g, '').replace(',', '.'));
      if (debtor && day >= listDate && day < end && amount > 0) paid.set(debtor, (paid.get(debtor) ?? 0) + amount);
    }
    // true probability per relance debtor (an office record of the same person: the highest)
    const keys = (await db.knex('clean.debtor_keys').select('office_code', 'source_debtor_id', 'debtor_id')) as { office_code: string; source_debtor_id: string; debtor_id: string }[];
    const toDebtor = new Map(keys.map((k) => [`${k.office_code}|${k.source_debtor_id}`, k.debtor_id]));
    const truth = new Map<string, number>();
    for (const line of readFileSync(path.join(truthDir, 'ground_truth.csv'), 'utf8').trim().split('\n').slice(1)) {
      const f = line.split(';');
      const debtor = toDebtor.get(`${f[1]}|${f[0]}`);
      if (debtor) truth.set(debtor, Math.max(truth.get(debtor) ?? 0, Number(f[2])));
    }
    const scores = (await db.knex('scoring.scores').where({ as_of: listDate }).select('debtor_id', 'p_pay')) as { debtor_id: string; p_pay: number }[];
    const rows = scores.filter((s) => truth.has(s.debtor_id));
    const y: number[] = rows.map((s) => ((paid.get(s.debtor_id) ?? 0) >= base.scoring.minPaidAmount ? 1 : 0));
    const modelAuc = auc(y, rows.map((s) => s.p_pay));
    const bestAuc = auc(y, rows.map((s) => truth.get(s.debtor_id) as number));
    const payRate = y.reduce((a, b) => a + b, 0) / y.length;
    await db.close();

    const holdout = training.results.map((r) => `${r.kind} ${r.metrics.auc.toFixed(4)}`).join(', ');
    const line = `| ${new Date().toISOString().slice(0, 16).replace('T', ' ')} | ${debtors.toLocaleString('en')} | ${seed} | ${db.kind} | ${scored.kind} | ${rows.length} | ${(payRate * 100).toFixed(1)} % | ${modelAuc.toFixed(4)} | ${bestAuc.toFixed(4)} | ${(modelAuc / bestAuc).toFixed(3)} | ${holdout} | ${((Date.now() - started) / 1000).toFixed(0)} s | ${loadavg()[0]!.toFixed(1)} |`;
    console.log(`model AUC on realised outcomes ${modelAuc.toFixed(4)}; best possible (true probabilities) ${bestAuc.toFixed(4)}; ratio ${(modelAuc / bestAuc).toFixed(3)}`);
    console.log(`time-holdout AUC in training: ${holdout}; champion ${scored.kind}; ${rows.length} debtors scored, ${(payRate * 100).toFixed(1)} % paid in 30 days`);
    const results = path.join(__dirname, 'RESULTS-office.md');
    if (!existsSync(results)) {
      writeFileSync(results, `# The model on synthetic offices against the best possible model\n\n\`npx tsx bench/model/office.ts\`: AUC of P(pay) on the payments simulated for the 30 days after the list date, next to the AUC of the true probabilities (ground truth) on the same outcomes. Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.\n\n| date (UTC) | debtors | seed | database | champion | scored | paid in 30 d | model AUC | best AUC | ratio | time-holdout AUC (training) | wall | load |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n`);
    }
    appendFileSync(results, line + '\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
