/**
 * Reads back an export with horizon outcomes and measures how the ground truth did: realised
 * 30-day pay rate of open debtors, mean p_pay_30d, and the AUC of p_pay_30d against the outcome.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

async function* lines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

function dayOf(text: string): string {
  const m = /^(\d{2})[/-](\d{2})[/-](\d{4})/.exec(text);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : text.slice(0, 10);
}

/** What the ground truth achieved on the simulated outcomes. */
export interface RealisedPerformance {
  openDebtors: number;
  payRate: number;
  meanP: number;
  auc: number;
}

/** Measures the truth of `exportDir` against its horizon payments (window [from, toExclusive)). */
export async function realisedPerformance(exportDir: string, truthDir: string, from: string, toExclusive: string): Promise<RealisedPerformance> {
  const open = new Set<string>();
  for await (const line of lines(join(exportDir, 'dossiers.csv'))) {
    if (line.includes(';EN_COURS;')) open.add(line.split(';')[1] as string);
  }
  const paid = new Set<string>();
  for await (const line of lines(join(truthDir, 'future_paiements.csv'))) {
    const [id, , date] = line.split(';');
    if (!id?.startsWith('PAI') || date === undefined) continue;
    const day = dayOf(date);
    if (day >= from && day < toExclusive) paid.add('D' + id.slice(3, 10));
  }
  const scored: [number, number][] = [];
  for await (const line of lines(join(truthDir, 'ground_truth.csv'))) {
    const [id, , p] = line.split(';');
    if (id && open.has(id)) scored.push([Number(p), paid.has(id) ? 1 : 0]);
  }
  scored.sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  let sumP = 0;
  for (let i = 0; i < scored.length; ) {
    let j = i;
    while (j < scored.length && scored[j]![0] === scored[i]![0]) j++;
    for (let k = i; k < j; k++) {
      sumP += scored[k]![0];
      if (scored[k]![1] === 1) {
        rankSum += (i + 1 + j) / 2;
        positives++;
      }
    }
    i = j;
  }
  const negatives = scored.length - positives;
  return {
    openDebtors: scored.length,
    payRate: positives / scored.length,
    meanP: sumP / scored.length,
    auc: (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives),
  };
}
