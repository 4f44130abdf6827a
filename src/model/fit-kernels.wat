;; The model fits' hot loops as WebAssembly (see fit-kernels.ts). The GBDT's (histograms,
;; partitions, gradients, score updates) work on one shared memory that holds the fit's buffers
;; (see gbdt/histogram-builder.ts): the calling thread and every fit worker instantiate this module
;; on it, so a model does not depend on the thread count. Histograms add in row order (f64x2.add is
;; two IEEE additions, lane by lane). The logistic IRLS's passes (value, gradient, Hessian) work on
;; a memory holding a shifted design (see shifted-design.ts).
;;
;; Assembled by `npm run build:kernels` into fit-kernels-wasm.ts; a test holds the two equal.
;; Every argument is a byte address into the memory or a count; addresses are unsigned.
(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; Math.log1p, for the log-loss of weighted logistic rows
  (import "env" "log1p" (func $log1p (param f64) (result f64)))

  ;; histograms(binsRow, nCols, rows, start, end, grad, hess, slot, features, nFeatures, nBins)
  ;; Fills the histogram slot at byte address `slot` (feature f at slot + f·6144, bin b at
  ;; + b·24: Σ gradient, Σ hessian, count as f64) for the features listed in features[0..nFeatures)
  ;; (i32, ascending) from the rows listed in rows[start..end) (i32). binsRow holds the bin codes
  ;; row-major (row r's at binsRow + r·nCols); grad and hess are f64 per row. Feature f's value bins
  ;; 0..nBins[f) and its missing bin 255 are cleared first; no other entry is written.
  (func (export "histograms")
    (param $binsRow i32) (param $nCols i32) (param $rows i32) (param $start i32) (param $end i32)
    (param $grad i32) (param $hess i32) (param $slot i32) (param $features i32) (param $nFeatures i32)
    (param $nBins i32)
    (local $k i32) (local $f i32) (local $base i32) (local $i i32) (local $r i32) (local $row i32)
    (local $gh v128) (local $b i32) (local $fb i32) (local $fp i32) (local $fEnd i32)
    ;; clear the entries this call sums into
    (block $cleared (loop $clear
      (br_if $cleared (i32.ge_u (local.get $k) (local.get $nFeatures)))
      (local.set $f (i32.load (i32.add (local.get $features) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $base (i32.add (local.get $slot) (i32.mul (local.get $f) (i32.const 6144))))
      (memory.fill (local.get $base) (i32.const 0)
        (i32.mul (i32.load (i32.add (local.get $nBins) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 24)))
      (memory.fill (i32.add (local.get $base) (i32.const 6120)) (i32.const 0) (i32.const 24))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $clear)))
    (local.set $i (local.get $start))
    (if (i32.eq (local.get $nFeatures) (local.get $nCols))
      (then
        ;; every feature: features[k] = k
        (block $done (loop $rowLoop
          (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $row (i32.add (local.get $binsRow) (i32.mul (local.get $r) (local.get $nCols))))
          (local.set $gh (f64x2.replace_lane 1
            (f64x2.splat (f64.load (i32.add (local.get $grad) (i32.shl (local.get $r) (i32.const 3)))))
            (f64.load (i32.add (local.get $hess) (i32.shl (local.get $r) (i32.const 3))))))
          (local.set $fb (local.get $slot))
          (local.set $fEnd (i32.add (local.get $row) (local.get $nCols)))
          (block $featuresDone (loop $featureLoop
            (br_if $featuresDone (i32.ge_u (local.get $row) (local.get $fEnd)))
            (local.set $b (i32.add (local.get $fb) (i32.mul (i32.load8_u (local.get $row)) (i32.const 24))))
            (v128.store (local.get $b) (f64x2.add (v128.load (local.get $b)) (local.get $gh)))
            (f64.store offset=16 (local.get $b) (f64.add (f64.load offset=16 (local.get $b)) (f64.const 1)))
            (local.set $fb (i32.add (local.get $fb) (i32.const 6144)))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $featureLoop)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rowLoop))))
      (else
        ;; a sample of the features
        (local.set $fEnd (i32.add (local.get $features) (i32.shl (local.get $nFeatures) (i32.const 2))))
        (block $done (loop $rowLoop
          (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $r (i32.load (i32.add (local.get $rows) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $row (i32.add (local.get $binsRow) (i32.mul (local.get $r) (local.get $nCols))))
          (local.set $gh (f64x2.replace_lane 1
            (f64x2.splat (f64.load (i32.add (local.get $grad) (i32.shl (local.get $r) (i32.const 3)))))
            (f64.load (i32.add (local.get $hess) (i32.shl (local.get $r) (i32.const 3))))))
          (local.set $fp (local.get $features))
          (block $featuresDone (loop $featureLoop
            (br_if $featuresDone (i32.ge_u (local.get $fp) (local.get $fEnd)))
            (local.set $f (i32.load (local.get $fp)))
            (local.set $b (i32.add
              (i32.add (local.get $slot) (i32.mul (local.get $f) (i32.const 6144)))
              (i32.mul (i32.load8_u (i32.add (local.get $row) (local.get $f))) (i32.const 24))))
            (v128.store (local.get $b) (f64x2.add (v128.load (local.get $b)) (local.get $gh)))
            (f64.store offset=16 (local.get $b) (f64.add (f64.load offset=16 (local.get $b)) (f64.const 1)))
            (local.set $fp (i32.add (local.get $fp) (i32.const 4)))
            (br $featureLoop)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $rowLoop))))))

  ;; partition(column, rows, a, b, route, right) → number of rows sent left
  ;; Splits rows[a..b) (i32) by the routing table route[0..256) (u8, 1 = left) of their bin codes
  ;; column[r] (u8): left rows are compacted in place to rows[a..], right rows go to right[a..],
  ;; both in their order. Both stores happen and only the cursors move: no branch to mispredict;
  ;; the left store lands at or before i, on a row already read.
  (func (export "partition")
    (param $column i32) (param $rows i32) (param $a i32) (param $b i32) (param $route i32) (param $right i32)
    (result i32)
    (local $p i32) (local $pEnd i32) (local $r i32) (local $left i32) (local $toLeft i32) (local $toRight i32)
    (local.set $p (i32.add (local.get $rows) (i32.shl (local.get $a) (i32.const 2))))
    (local.set $pEnd (i32.add (local.get $rows) (i32.shl (local.get $b) (i32.const 2))))
    (local.set $toLeft (local.get $p))
    (local.set $toRight (i32.add (local.get $right) (i32.shl (local.get $a) (i32.const 2))))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $p) (local.get $pEnd)))
      (local.set $r (i32.load (local.get $p)))
      (local.set $left (i32.load8_u (i32.add (local.get $route) (i32.load8_u (i32.add (local.get $column) (local.get $r))))))
      (i32.store (local.get $toLeft) (local.get $r))
      (i32.store (local.get $toRight) (local.get $r))
      (local.set $toLeft (i32.add (local.get $toLeft) (i32.shl (local.get $left) (i32.const 2))))
      (local.set $toRight (i32.add (local.get $toRight) (i32.shl (i32.xor (local.get $left) (i32.const 1)) (i32.const 2))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $rowLoop)))
    (i32.shr_u (i32.sub (local.get $toLeft) (i32.add (local.get $rows) (i32.shl (local.get $a) (i32.const 2)))) (i32.const 2)))

  ;; descend(feature, left, right, value, routes, bins, nRows, list, count, scores)
  ;; Adds one tree's leaf value to scores[r] (f64) for each row r listed in list[0..count) (i32).
  ;; The tree is in arrays of its nodes: feature (i32, −1 at a leaf), left and right children
  ;; (i32), value (f64) and routes (256 u8 per node, 1 when a bin code goes left); a row descends
  ;; on its bin codes, bins[f · nRows + r] (u8, column-major), which route exactly as its raw values.
  (func (export "descend")
    (param $feature i32) (param $left i32) (param $right i32) (param $value i32) (param $routes i32)
    (param $bins i32) (param $nRows i32) (param $list i32) (param $count i32) (param $scores i32)
    (local $p i32) (local $pEnd i32) (local $r i32) (local $node i32) (local $f i32) (local $at i32)
    (local.set $p (local.get $list))
    (local.set $pEnd (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $p) (local.get $pEnd)))
      (local.set $r (i32.load (local.get $p)))
      (local.set $node (i32.const 0))
      (local.set $f (i32.load (local.get $feature)))
      (block $leaf (loop $step
        (br_if $leaf (i32.lt_s (local.get $f) (i32.const 0)))
        (local.set $node (select
          (i32.load (i32.add (local.get $left) (i32.shl (local.get $node) (i32.const 2))))
          (i32.load (i32.add (local.get $right) (i32.shl (local.get $node) (i32.const 2))))
          (i32.load8_u (i32.add
            (i32.add (local.get $routes) (i32.shl (local.get $node) (i32.const 8)))
            (i32.load8_u (i32.add (local.get $bins) (i32.add (i32.mul (local.get $f) (local.get $nRows)) (local.get $r))))))))
        (local.set $f (i32.load (i32.add (local.get $feature) (i32.shl (local.get $node) (i32.const 2)))))
        (br $step)))
      (local.set $at (i32.add (local.get $scores) (i32.shl (local.get $r) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
        (f64.load (i32.add (local.get $value) (i32.shl (local.get $node) (i32.const 3))))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $rowLoop))))

  ;; addValue(rows, start, end, v, scores): scores[r] += v for the rows r listed in rows[start..end).
  (func (export "addValue") (param $rows i32) (param $start i32) (param $end i32) (param $v f64) (param $scores i32)
    (local $p i32) (local $pEnd i32) (local $at i32)
    (local.set $p (i32.add (local.get $rows) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $pEnd (i32.add (local.get $rows) (i32.shl (local.get $end) (i32.const 2))))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $p) (local.get $pEnd)))
      (local.set $at (i32.add (local.get $scores) (i32.shl (i32.load (local.get $p)) (i32.const 3))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $v)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $rowLoop))))

  ;; e^x in both lanes: 2^k · e^r with k the integer nearest x / ln 2 and r = x − k ln 2 (ln 2 in two
  ;; parts, k · ln2_hi exact: Cody & Waite), |r| ≤ ln 2 / 2; e^r is its Taylor polynomial of degree
  ;; 13 (remainder below 5e-18), evaluated by Estrin's scheme (a third of Horner's chain of
  ;; dependent operations), and 2^k is written into the exponent bits. x is clamped to [−708, 709],
  ;; where 2^k stays a normal double. Within 6e-16 (relative) of Math.exp (objective.test.ts).
  (func $exp (param $x v128) (result v128)
    (local $shifted v128) (local $k v128) (local $r v128) (local $r2 v128) (local $r4 v128) (local $e v128)
    (local.set $x (f64x2.pmin (f64x2.pmax (local.get $x) (v128.const f64x2 -708 -708)) (v128.const f64x2 709 709)))
    ;; k by the shifter 1.5 · 2^52: adding it rounds x / ln 2 to the nearest integer (ties to
    ;; even), which then sits in the low bits of $shifted
    (local.set $shifted (f64x2.add (f64x2.mul (local.get $x) (v128.const f64x2 1.4426950408889634 1.4426950408889634))
      (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $k (f64x2.sub (local.get $shifted) (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $x) (f64x2.mul (local.get $k) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
      (f64x2.mul (local.get $k) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
    ;; Σ c_i r^i = [(c0 + c1 r) + (c2 + c3 r) r²] + [(c4 + c5 r) + (c6 + c7 r) r²] r⁴
    ;;           + {[(c8 + c9 r) + (c10 + c11 r) r²] + (c12 + c13 r) r⁴} r⁸
    (local.set $e (f64x2.add
      (f64x2.add
        (f64x2.add (f64x2.add (v128.const f64x2 1 1) (f64x2.mul (v128.const f64x2 1 1) (local.get $r))) (f64x2.mul (f64x2.add (v128.const f64x2 0.5 0.5) (f64x2.mul (v128.const f64x2 0.16666666666666666 0.16666666666666666) (local.get $r))) (local.get $r2)))
        (f64x2.mul (f64x2.add (f64x2.add (v128.const f64x2 0.041666666666666664 0.041666666666666664) (f64x2.mul (v128.const f64x2 0.008333333333333333 0.008333333333333333) (local.get $r))) (f64x2.mul (f64x2.add (v128.const f64x2 0.001388888888888889 0.001388888888888889) (f64x2.mul (v128.const f64x2 0.0001984126984126984 0.0001984126984126984) (local.get $r))) (local.get $r2))) (local.get $r4)))
      (f64x2.mul
        (f64x2.add
          (f64x2.add (f64x2.add (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05) (f64x2.mul (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06) (local.get $r))) (f64x2.mul (f64x2.add (v128.const f64x2 2.755731922398589e-07 2.755731922398589e-07) (f64x2.mul (v128.const f64x2 2.505210838544172e-08 2.505210838544172e-08) (local.get $r))) (local.get $r2)))
          (f64x2.mul (f64x2.add (v128.const f64x2 2.08767569878681e-09 2.08767569878681e-09) (f64x2.mul (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10) (local.get $r))) (local.get $r4)))
        (f64x2.mul (local.get $r4) (local.get $r4)))))
    ;; · 2^k: k + 1023 in the exponent bits (the shifter's own bits fall off the shift)
    (local.set $e (f64x2.mul (local.get $e)
      (i64x2.shl (i64x2.add (local.get $shifted) (v128.const i64x2 1023 1023)) (i32.const 52))))
    (local.get $e))

  ;; gradients(scores, labels, weights, weighted, grad, hess, rows, a, b)
  ;; For the rows r listed in rows[a..b) (i32), from the raw score s = scores[r] (f64), the label
  ;; y = labels[r] (u8) and, when `weighted` is 1, the weight w = weights[r] (f64, else 1):
  ;; grad[r] = w (σ(s) − y) and hess[r] = w max(σ(s)(1 − σ(s)), 1e-16), the gradient and hessian of
  ;; the log-loss in raw-score space; the floor keeps a leaf of confident rows finite.
  ;;
  ;; σ(s) = 1 / (1 + e^(−s)), two rows at a time (one per f64x2 lane). Past the clamps of $exp,
  ;; 1 + e^(−s) is 1 anyway (s > 708), or σ is below 1e-307 and the hessian is floored (s < −709).
  (func (export "gradients")
    (param $scores i32) (param $labels i32) (param $weights i32) (param $weighted i32)
    (param $grad i32) (param $hess i32) (param $rows i32) (param $a i32) (param $b i32)
    (local $p i32) (local $pEnd i32) (local $r0 i32) (local $r1 i32)
    (local $e v128) (local $sigma v128) (local $w v128) (local $g v128) (local $h v128)
    (local.set $p (i32.add (local.get $rows) (i32.shl (local.get $a) (i32.const 2))))
    (local.set $pEnd (i32.add (local.get $rows) (i32.shl (local.get $b) (i32.const 2))))
    (local.set $w (v128.const f64x2 1 1))
    (block $done (loop $pairLoop
      (br_if $done (i32.ge_u (local.get $p) (local.get $pEnd)))
      ;; the pair's second row; the first again when it is alone (both lanes then store one value)
      (local.set $r0 (i32.load (local.get $p)))
      (local.set $r1 (if (result i32) (i32.lt_u (i32.add (local.get $p) (i32.const 4)) (local.get $pEnd))
        (then (i32.load offset=4 (local.get $p))) (else (local.get $r0))))
      (local.set $e (call $exp (f64x2.neg (f64x2.replace_lane 1
        (f64x2.splat (f64.load (i32.add (local.get $scores) (i32.shl (local.get $r0) (i32.const 3)))))
        (f64.load (i32.add (local.get $scores) (i32.shl (local.get $r1) (i32.const 3))))))))
      (local.set $sigma (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e))))
      (if (local.get $weighted)
        (then (local.set $w (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $weights) (i32.shl (local.get $r0) (i32.const 3)))))
          (f64.load (i32.add (local.get $weights) (i32.shl (local.get $r1) (i32.const 3))))))))
      (local.set $g (f64x2.mul (local.get $w) (f64x2.sub (local.get $sigma)
        (f64x2.convert_low_i32x4_u (i32x4.replace_lane 1
          (i32x4.splat (i32.load8_u (i32.add (local.get $labels) (local.get $r0))))
          (i32.load8_u (i32.add (local.get $labels) (local.get $r1))))))))
      (local.set $h (f64x2.mul (local.get $w) (f64x2.pmax
        (f64x2.mul (local.get $sigma) (f64x2.sub (v128.const f64x2 1 1) (local.get $sigma)))
        (v128.const f64x2 1e-16 1e-16))))
      (f64.store (i32.add (local.get $grad) (i32.shl (local.get $r1) (i32.const 3))) (f64x2.extract_lane 1 (local.get $g)))
      (f64.store (i32.add (local.get $grad) (i32.shl (local.get $r0) (i32.const 3))) (f64x2.extract_lane 0 (local.get $g)))
      (f64.store (i32.add (local.get $hess) (i32.shl (local.get $r1) (i32.const 3))) (f64x2.extract_lane 1 (local.get $h)))
      (f64.store (i32.add (local.get $hess) (i32.shl (local.get $r0) (i32.const 3))) (f64x2.extract_lane 0 (local.get $h)))
      (local.set $p (i32.add (local.get $p) (i32.const 8)))
      (br $pairLoop))))

  ;; logisticValueGradient(rowStart, col, val, nRows, labels, weights, weighted, c0, b, gd, curvature, out)
  ;; One pass of the logistic IRLS over a shifted design (shifted-design.ts): row i's deviations are
  ;; entries rowStart[i]..rowStart[i + 1) (i32) of col (i32) and val (f64); its linear score is
  ;; η = c0 + Σ b[col[k]] · val[k] (b: f64 per deviation column). With t = e^(−|η|), σ(η) and
  ;; log(1 + e^η) − y·η come from one exponential without overflow. Adds w (σ − y) · val[k] to
  ;; gd[col[k]] (f64, zeroed by the caller), writes curvature[i] = w σ (1 − σ), and writes to out (f64):
  ;; [0] the log-loss's sum but for Σ log(1 + t) of the unweighted rows, which is [3] · 2^[4]: their
  ;; running product of 1 + t (each in (1, 2]), its exponent moved into [4] whenever it passes 2^512,
  ;; so a row costs a multiplication and the caller takes one logarithm; a t below 2^-26, which 1 + t
  ;; would round away, adds t − t²/2 to [0] instead. [1] Σ w (σ − y), [2] Σ w. Rows of weight 0 are
  ;; skipped (curvature 0). `weighted` 0: every weight is 1 (weights is not read).
  (func (export "logisticValueGradient")
    (param $rowStart i32) (param $col i32) (param $val i32) (param $nRows i32) (param $labels i32)
    (param $weights i32) (param $weighted i32) (param $c0 f64) (param $b i32) (param $gd i32)
    (param $curvature i32) (param $out i32)
    (local $i i32) (local $k i32) (local $from i32) (local $to i32) (local $at i32)
    (local $wi f64) (local $eta f64) (local $t f64) (local $inv f64) (local $pi f64) (local $yi f64) (local $r f64)
    (local $value f64) (local $g0 f64) (local $wsum f64) (local $product f64) (local $exponents f64) (local $bits i64)
    (local.set $product (f64.const 1))
    (local.set $wi (f64.const 1))
    (local.set $from (i32.load (local.get $rowStart)))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $i) (local.get $nRows)))
      (local.set $to (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $i) (i32.const 2)))))
      (if (local.get $weighted)
        (then (local.set $wi (f64.load (i32.add (local.get $weights) (i32.shl (local.get $i) (i32.const 3)))))))
      (if (f64.eq (local.get $wi) (f64.const 0))
        (then
          (f64.store (i32.add (local.get $curvature) (i32.shl (local.get $i) (i32.const 3))) (f64.const 0)))
        (else
          ;; η over the row's deviations
          (local.set $eta (local.get $c0))
          (local.set $k (local.get $from))
          (block $etaDone (loop $etaLoop
            (br_if $etaDone (i32.ge_u (local.get $k) (local.get $to)))
            (local.set $eta (f64.add (local.get $eta) (f64.mul
              (f64.load (i32.add (local.get $b) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3))))
              (f64.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $etaLoop)))
          (local.set $t (f64x2.extract_lane 0 (call $exp (f64x2.splat (f64.neg (f64.abs (local.get $eta)))))))
          (local.set $inv (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $t))))
          (local.set $pi (select (local.get $inv) (f64.mul (local.get $t) (local.get $inv)) (f64.ge (local.get $eta) (f64.const 0))))
          (local.set $yi (f64.convert_i32_u (i32.load8_u (i32.add (local.get $labels) (local.get $i)))))
          (if (local.get $weighted)
            (then
              (local.set $value (f64.add (local.get $value) (f64.mul (local.get $wi)
                (f64.sub (f64.add (f64.max (local.get $eta) (f64.const 0)) (call $log1p (local.get $t)))
                  (f64.mul (local.get $yi) (local.get $eta)))))))
            (else
              (local.set $value (f64.add (local.get $value)
                (f64.sub (f64.max (local.get $eta) (f64.const 0)) (f64.mul (local.get $yi) (local.get $eta)))))
              (if (f64.lt (local.get $t) (f64.const 1.4901161193847656e-08))
                (then (local.set $value (f64.add (local.get $value)
                  (f64.sub (local.get $t) (f64.mul (f64.const 0.5) (f64.mul (local.get $t) (local.get $t)))))))
                (else
                  (local.set $product (f64.mul (local.get $product) (f64.add (f64.const 1) (local.get $t))))
                  (if (f64.gt (local.get $product) (f64.const 1.3407807929942597e+154))
                    (then
                      ;; product = m · 2^e with m in [1, 2): e to the exponents, m stays
                      (local.set $bits (i64.reinterpret_f64 (local.get $product)))
                      (local.set $exponents (f64.add (local.get $exponents)
                        (f64.convert_i64_s (i64.sub (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 1023)))))
                      (local.set $product (f64.reinterpret_i64 (i64.or
                        (i64.and (local.get $bits) (i64.const 0x000fffffffffffff)) (i64.const 0x3ff0000000000000))))))))))
          (local.set $wsum (f64.add (local.get $wsum) (local.get $wi)))
          (local.set $r (f64.mul (local.get $wi) (f64.sub (local.get $pi) (local.get $yi))))
          (local.set $g0 (f64.add (local.get $g0) (local.get $r)))
          (local.set $k (local.get $from))
          (block $gradDone (loop $gradLoop
            (br_if $gradDone (i32.ge_u (local.get $k) (local.get $to)))
            (local.set $at (i32.add (local.get $gd) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3))))
            (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
              (f64.mul (local.get $r) (f64.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $gradLoop)))
          (f64.store (i32.add (local.get $curvature) (i32.shl (local.get $i) (i32.const 3)))
            (f64.mul (f64.mul (local.get $wi) (local.get $pi)) (f64.sub (f64.const 1) (local.get $pi))))))
      (local.set $from (local.get $to))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowLoop)))
    (f64.store (local.get $out) (local.get $value))
    (f64.store offset=8 (local.get $out) (local.get $g0))
    (f64.store offset=16 (local.get $out) (local.get $wsum))
    (f64.store offset=24 (local.get $out) (local.get $product))
    (f64.store offset=32 (local.get $out) (local.get $exponents)))

  ;; logisticHessian(rowStart, col, val, nRows, curvature, p, hd, h0, out)
  ;; The Hessian's sums over a shifted design in the coordinates (1, d), weighing row i by
  ;; curvature[i] = c: hd[a · p + b] += c · d_a · d_b over the lower triangle (a ≥ b) of the row's
  ;; deviations, h0[a] += c · d_a, and out[0] = Σ c (hd, h0: f64, zeroed by the caller).
  (func (export "logisticHessian")
    (param $rowStart i32) (param $col i32) (param $val i32) (param $nRows i32) (param $curvature i32)
    (param $p i32) (param $hd i32) (param $h0 i32) (param $out i32)
    (local $i i32) (local $k i32) (local $q i32) (local $from i32) (local $to i32) (local $a i32) (local $at i32)
    (local $c f64) (local $va f64) (local $ca f64) (local $h00 f64)
    (local.set $from (i32.load (local.get $rowStart)))
    (block $done (loop $rowLoop
      (br_if $done (i32.ge_u (local.get $i) (local.get $nRows)))
      (local.set $to (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $c (f64.load (i32.add (local.get $curvature) (i32.shl (local.get $i) (i32.const 3)))))
      (local.set $h00 (f64.add (local.get $h00) (local.get $c)))
      (local.set $k (local.get $from))
      (block $kDone (loop $kLoop
        (br_if $kDone (i32.ge_u (local.get $k) (local.get $to)))
        (local.set $a (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $va (f64.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $ca (f64.mul (local.get $c) (local.get $va)))
        (local.set $at (i32.add (local.get $h0) (i32.shl (local.get $a) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $ca)))
        (local.set $at (i32.add (local.get $hd) (i32.shl (i32.add (i32.mul (local.get $a) (local.get $p)) (local.get $a)) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.mul (local.get $ca) (local.get $va))))
        ;; the row's later columns are larger: entries (col[q], a) of the lower triangle
        (local.set $q (i32.add (local.get $k) (i32.const 1)))
        (block $qDone (loop $qLoop
          (br_if $qDone (i32.ge_u (local.get $q) (local.get $to)))
          (local.set $at (i32.add (local.get $hd) (i32.shl
            (i32.add (i32.mul (i32.load (i32.add (local.get $col) (i32.shl (local.get $q) (i32.const 2)))) (local.get $p)) (local.get $a))
            (i32.const 3))))
          (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
            (f64.mul (local.get $ca) (f64.load (i32.add (local.get $val) (i32.shl (local.get $q) (i32.const 3)))))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $qLoop)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kLoop)))
      (local.set $from (local.get $to))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowLoop)))
    (f64.store (local.get $out) (local.get $h00)))
)
