/**
 * The coded-forest prediction kernel as plain JavaScript source, so prediction workers (started
 * with `eval: true`, which works under jest, tsx and compiled JS alike) and the calling thread run
 * the same text. See coded-forest.ts for the encoding.
 */

/**
 * `codedPredict(word, child, leafValue, roots, cuts, cutStart, data, nCols, rowStart, rowEnd, out)`
 * adds every tree's output for rows [rowStart, rowEnd) of the row-major `data` into out[row].
 * cuts[cutStart[f] .. cutStart[f + 1]) are feature f's sorted thresholds.
 */
export const CODED_KERNEL_SOURCE = `
var BLOCK = 512;
var codes = new Uint16Array(0);
function lowerBound(cuts, lo, hi, v) {
  while (lo < hi) {
    var mid = (lo + hi) >>> 1;
    if (cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
function codedPredict(word, child, leafValue, roots, cuts, cutStart, data, nCols, rowStart, rowEnd, out) {
  if (codes.length < BLOCK * nCols) codes = new Uint16Array(BLOCK * nCols);
  for (var b0 = rowStart; b0 < rowEnd; b0 += BLOCK) {
    var n = Math.min(BLOCK, rowEnd - b0);
    for (var f = 0; f < nCols; f++) {
      var lo = cutStart[f];
      var hi = cutStart[f + 1];
      for (var r = 0; r < n; r++) {
        var v = data[(b0 + r) * nCols + f];
        codes[r * nCols + f] = v === v ? lowerBound(cuts, lo, hi, v) - lo : 0xffff;
      }
    }
    for (var t = 0; t < roots.length; t++) {
      var root = roots[t];
      for (var r2 = 0; r2 < n; r2++) {
        var o = r2 * nCols;
        var node = root;
        var w = word[node];
        while (w >= 0) {
          var code = (codes[o + (w & 0x7fff)] + ((w >>> 15) & 1)) & 0xffff;
          // (threshold − code) >>> 31 is 1 exactly when code > threshold: arithmetic, not a branch.
          node = child[node] + (((w >>> 16) - code) >>> 31);
          w = word[node];
        }
        out[b0 + r2] += leafValue[node];
      }
    }
  }
}
`;

/** Signature of the compiled kernel. */
export type CodedKernel = (
  word: Int32Array,
  child: Int32Array,
  leafValue: Float64Array,
  roots: Int32Array,
  cuts: Float64Array,
  cutStart: Int32Array,
  data: Float64Array,
  nCols: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
) => void;

/** Compiles the kernel for the calling thread. */
export function compileCodedKernel(): CodedKernel {
  return new Function(`${CODED_KERNEL_SOURCE}\nreturn codedPredict;`)() as CodedKernel;
}
