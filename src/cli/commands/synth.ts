import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { SHIFTS, synthesize, type SynthProgress } from '../../synth';

/** Where the command writes: a line for the person, and a progress line that overwrites itself. */
export interface SynthCommandOutput {
  /** Writes one result line (stdout). */
  print(line: string): void;
  /** Shows progress (stderr); called often, should overwrite the previous progress line. */
  progress(text: string): void;
}

/** On a terminal the progress line rewrites itself; elsewhere (logs) it is written every 10 %. */
function processOutput(): SynthCommandOutput {
  let lastTenth = 0;
  return {
    print: (line) => process.stdout.write(line + '\n'),
    progress: (text) => {
      if (process.stderr.isTTY) {
        process.stderr.write('\r' + text);
        return;
      }
      const pct = /\((\d+) %\)/.exec(text);
      const tenth = pct ? Math.floor(Number(pct[1]) / 10) : 0;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        process.stderr.write(text + '\n');
      }
    },
  };
}

function nonNegativeInteger(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} must be a non-negative integer`);
    return Number(value);
  };
}

/**
 * `relance synth --debtors N --seed S --out DIR [--as-of DATE] [--offices K] [--shift NAME]
 * [--horizon-days D] [--threads T]`: writes a synthetic office export into DIR and its ground truth into
 * `DIR-truth/` next to it.
 */
export function synthCommand(output: SynthCommandOutput = processOutput()): Command {
  return new Command('synth')
    .description('write synthetic office exports with a known ground truth (truth goes to <out>-truth/)')
    .requiredOption('--debtors <n>', 'number of exported debtor records', nonNegativeInteger('--debtors'))
    .requiredOption('--seed <s>', 'random seed; same seed and options give the same bytes', nonNegativeInteger('--seed'))
    .requiredOption('--out <dir>', 'export folder')
    .option('--as-of <date>', 'export date YYYY-MM-DD (history holds the days before it)')
    .option('--offices <k>', 'number of offices', nonNegativeInteger('--offices'))
    .option('--shift <name>', `population shift: ${Object.keys(SHIFTS).join(', ')}`)
    .option('--horizon-days <d>', 'also simulate the payments of D days after the export date', nonNegativeInteger('--horizon-days'))
    .option('--threads <t>', 'worker threads (default: up to 4 from 50,000 debtors); output is the same', nonNegativeInteger('--threads'))
    .action(async (opts: { debtors: number; seed: number; out: string; asOf?: string; offices?: number; shift?: string; horizonDays?: number; threads?: number }) => {
      const started = Date.now();
      const onProgress = (p: SynthProgress): void => {
        const pct = Math.floor((100 * p.debtorsDone) / p.debtorsTotal);
        output.progress(`synth: ${p.debtorsDone}/${p.debtorsTotal} debtors (${pct} %), ${p.rowsWritten} rows`);
      };
      const result = await synthesize({
        debtors: opts.debtors, seed: opts.seed, outDir: resolve(opts.out), onProgress,
        ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
        ...(opts.offices !== undefined ? { offices: opts.offices } : {}),
        ...(opts.shift !== undefined ? { shift: opts.shift } : {}),
        ...(opts.horizonDays !== undefined ? { horizonDays: opts.horizonDays } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      });
      output.progress('\n');
      const m = result.manifest;
      const rows = Object.values(m.files).reduce((n, f) => n + f.dataRows, 0);
      output.print(`wrote ${m.debtors} debtors, ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s to ${result.exportDir}`);
      output.print(`ground truth and manifest in ${result.truthDir} (mean p_pay_30d of open debtors ${m.meanPPayOpen.toFixed(3)})`);
    });
}
