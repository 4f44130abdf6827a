/** How a model benchmark runs: relance's TypeScript loader, and the Python side's environment. */

/**
 * Which TypeScript loader a model benchmark runs under. The relance command (bin/relance.js) and
 * its worker threads load the sources through tsx's CommonJS hook; `npx tsx` loads them through
 * its ES-module loader hooks instead, under which the same fits were measured 10–25 % slower
 * (2026-12-06, GMSC and Bank Marketing, the logistic and the GBDT). Fit times compared with
 * scikit-learn are those of the product's own loader: `node -r tsx/cjs bench/model/….ts`.
 */
export function loaderLine(): string {
  const esmHooks = process.execArgv.some((a, i) => a === '--import' && /tsx/.test(process.execArgv[i + 1] ?? ''));
  return esmHooks
    ? 'loader: tsx ES-module hooks (npx tsx), slower than the relance command\'s; run `node -r tsx/cjs` for the figures to compare'
    : 'loader: tsx CommonJS hook, as the relance command runs';
}

/**
 * The Python side's environment: OpenMP's own wait policy, as scikit-learn runs for its users
 * (measured 2026-12-06 on a quiet machine: HistGradientBoosting's 2-thread fits take 4× longer
 * with passive waits). `--omp-passive` among `args` asks for passive waits, for a machine loaded by
 * other work, where spinning workers slow the 2-thread fits instead.
 */
export function pythonEnv(args: readonly string[]): NodeJS.ProcessEnv {
  return args.includes('--omp-passive') ? { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } : process.env;
}

/** The line a benchmark prints to say which wait policy the Python side ran with. */
export function ompPolicyLine(args: readonly string[]): string {
  return `Python's OpenMP wait policy: ${args.includes('--omp-passive') ? 'passive (--omp-passive)' : process.env.OMP_WAIT_POLICY ?? 'its default'}`;
}
