/**
 * Time of one on-demand score (model and explanation, no HTTP) for the champion of a database:
 *   RELANCE_HOME=.relance npx tsx bench/api/scorer-micro.ts   (after `npm run demo`)
 */
import { loadConfig } from '../../src/config';
import { openConfiguredDatabase } from '../../src/db';
import { championScorer } from '../../src/api/scoring/champion-scorer';

async function main(): Promise<void> {
  const db = await openConfiguredDatabase(loadConfig(), { migrate: false });
  try {
    const scorer = await championScorer(db.knex).current();
    const row = await db.knex('features.debtor_features').orderBy('as_of', 'desc').first();
    const { toModelFrame } = await import('../../src/features');
    const frame = toModelFrame([row]);
    const features = Object.fromEntries(frame.featureNames.map((n, j) => [n, Number.isNaN(frame.data[j]!) ? null : frame.data[j]!]));
    const times: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = process.hrtime.bigint();
      scorer.score(features);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.floor(p * (times.length - 1))]!.toFixed(3);
    console.log(`${scorer.kind} ${scorer.versionId}: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms per score (${frame.featureNames.length} features)`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
