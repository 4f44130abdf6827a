/**
 * The coded-forest prediction kernel as plain JavaScript source, so prediction workers (started
 * with `eval: true`, which works under jest, tsx and compiled JS alike) and the calling thread run
 * the same text. See coded-forest.ts for the encoding.
 */

/**
 * `codedPredict(word, child, leafValue, roots, cuts, cutStart, data, nCols, rowStart, rowEnd, out)`
 * adds every tree's output for rows [rowStart, rowEnd) of the row-major `data` into out[row].
 * cuts[cutStart[f] .. cutStart[f + 1]) are feature f's sorted thresholds.
 *
 * `codedPredictMixed(…, isCat, catStart, catRoute, data, …)` does the same for forests with
 * categorical splits: a categorical feature's cuts are its sorted category codes, a row's code is
 * the index of its category there (K, the number of categories, when missing or unseen), and a
 * categorical node (catStart ≥ 0) steps by catRoute[catStart + code] (0 left, 1 right) instead of
 * the threshold comparison.
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
    // Four rows walk each tree together: their steps do not depend on each other, so the core
    // overlaps them. A row that reached its leaf stays there (a leaf is its own child and never
    // sends right) until the four are done; the last rows of a block go one by one.
    var n4 = n - (n & 3);
    for (var t = 0; t < roots.length; t++) {
      var root = roots[t];
      var r2 = 0;
      for (; r2 < n4; r2 += 4) {
        var o0 = r2 * nCols, o1 = o0 + nCols, o2 = o1 + nCols, o3 = o2 + nCols;
        var a = root, b = root, c = root, d = root;
        var wa = word[root], wb = wa, wc = wa, wd = wa;
        while ((wa & wb & wc & wd) >= 0) {
          // (threshold − code) >>> 31 is 1 exactly when code > threshold: arithmetic, not a branch.
          a = child[a] + (((wa >>> 16) - ((codes[o0 + (wa & 0x7fff)] + ((wa >>> 15) & 1)) & 0xffff)) >>> 31);
          b = child[b] + (((wb >>> 16) - ((codes[o1 + (wb & 0x7fff)] + ((wb >>> 15) & 1)) & 0xffff)) >>> 31);
          c = child[c] + (((wc >>> 16) - ((codes[o2 + (wc & 0x7fff)] + ((wc >>> 15) & 1)) & 0xffff)) >>> 31);
          d = child[d] + (((wd >>> 16) - ((codes[o3 + (wd & 0x7fff)] + ((wd >>> 15) & 1)) & 0xffff)) >>> 31);
          wa = word[a];
          wb = word[b];
          wc = word[c];
          wd = word[d];
        }
        out[b0 + r2] += leafValue[a];
        out[b0 + r2 + 1] += leafValue[b];
        out[b0 + r2 + 2] += leafValue[c];
        out[b0 + r2 + 3] += leafValue[d];
      }
      for (; r2 < n; r2++) {
        var o = r2 * nCols;
        var node = root;
        var w = word[node];
        while (w >= 0) {
          node = child[node] + (((w >>> 16) - ((codes[o + (w & 0x7fff)] + ((w >>> 15) & 1)) & 0xffff)) >>> 31);
          w = word[node];
        }
        out[b0 + r2] += leafValue[node];
      }
    }
  }
}
function codeBlock(cuts, cutStart, isCat, data, nCols, b0, n) {
  if (codes.length < BLOCK * nCols) codes = new Uint16Array(BLOCK * nCols);
  for (var f = 0; f < nCols; f++) {
    var lo = cutStart[f];
    var hi = cutStart[f + 1];
    var cat = isCat[f] === 1;
    for (var r = 0; r < n; r++) {
      var v = data[(b0 + r) * nCols + f];
      if (cat) {
        var at = v === v ? lowerBound(cuts, lo, hi, v) : hi;
        codes[r * nCols + f] = at < hi && cuts[at] === v ? at - lo : hi - lo;
      } else {
        codes[r * nCols + f] = v === v ? lowerBound(cuts, lo, hi, v) - lo : 0xffff;
      }
    }
  }
}
function codedPredictMixed(word, child, leafValue, roots, cuts, cutStart, isCat, catStart, catRoute, data, nCols, rowStart, rowEnd, out) {
  for (var b0 = rowStart; b0 < rowEnd; b0 += BLOCK) {
    var n = Math.min(BLOCK, rowEnd - b0);
    codeBlock(cuts, cutStart, isCat, data, nCols, b0, n);
    var n4 = n - (n & 3);
    for (var t = 0; t < roots.length; t++) {
      var root = roots[t];
      var r2 = 0;
      for (; r2 < n4; r2 += 4) {
        var o0 = r2 * nCols, o1 = o0 + nCols, o2 = o1 + nCols, o3 = o2 + nCols;
        var a = root, b = root, c = root, d = root;
        var wa = word[root], wb = wa, wc = wa, wd = wa;
        var sa = 0, sb = 0, sc = 0, sd = 0;
        while ((wa & wb & wc & wd) >= 0) {
          sa = catStart[a];
          sb = catStart[b];
          sc = catStart[c];
          sd = catStart[d];
          a = child[a] + (sa < 0 ? ((wa >>> 16) - ((codes[o0 + (wa & 0x7fff)] + ((wa >>> 15) & 1)) & 0xffff)) >>> 31 : catRoute[sa + codes[o0 + (wa & 0x7fff)]]);
          b = child[b] + (sb < 0 ? ((wb >>> 16) - ((codes[o1 + (wb & 0x7fff)] + ((wb >>> 15) & 1)) & 0xffff)) >>> 31 : catRoute[sb + codes[o1 + (wb & 0x7fff)]]);
          c = child[c] + (sc < 0 ? ((wc >>> 16) - ((codes[o2 + (wc & 0x7fff)] + ((wc >>> 15) & 1)) & 0xffff)) >>> 31 : catRoute[sc + codes[o2 + (wc & 0x7fff)]]);
          d = child[d] + (sd < 0 ? ((wd >>> 16) - ((codes[o3 + (wd & 0x7fff)] + ((wd >>> 15) & 1)) & 0xffff)) >>> 31 : catRoute[sd + codes[o3 + (wd & 0x7fff)]]);
          wa = word[a];
          wb = word[b];
          wc = word[c];
          wd = word[d];
        }
        out[b0 + r2] += leafValue[a];
        out[b0 + r2 + 1] += leafValue[b];
        out[b0 + r2 + 2] += leafValue[c];
        out[b0 + r2 + 3] += leafValue[d];
      }
      for (; r2 < n; r2++) {
        var o = r2 * nCols;
        var node = root;
        var w = word[node];
        while (w >= 0) {
          var s = catStart[node];
          node = child[node] + (s < 0 ? ((w >>> 16) - ((codes[o + (w & 0x7fff)] + ((w >>> 15) & 1)) & 0xffff)) >>> 31 : catRoute[s + codes[o + (w & 0x7fff)]]);
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

/** Signature of the compiled kernel for forests with categorical splits. */
export type CodedMixedKernel = (
  word: Int32Array,
  child: Int32Array,
  leafValue: Float64Array,
  roots: Int32Array,
  cuts: Float64Array,
  cutStart: Int32Array,
  isCat: Uint8Array,
  catStart: Int32Array,
  catRoute: Uint8Array,
  data: Float64Array,
  nCols: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
) => void;

/** Compiles the kernel for forests with categorical splits, for the calling thread. */
export function compileCodedMixedKernel(): CodedMixedKernel {
  return new Function(`${CODED_KERNEL_SOURCE}\nreturn codedPredictMixed;`)() as CodedMixedKernel;
}
