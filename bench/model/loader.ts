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
