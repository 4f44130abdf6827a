;; The GBDT fit's hot loops, histograms, partitions, gradients and score updates, as WebAssembly over one shared
;; memory that holds the fit's buffers (see histogram-builder.ts): the calling thread and every fit
;; worker instantiate this module on the same memory, so a model does not depend on the thread
;; count. Histograms add in row order (f64x2.add is two IEEE additions, lane by lane).
;;
;; Assembled by `npm run build:kernels` into fit-kernels-wasm.ts; a test holds the two equal.
;; Every argument is a byte address into the memory or a count; addresses are unsigned.
(module
  (import "env" "memory" (memory 1 65536 shared))

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

  ;; gradients(scores, labels, weights, weighted, grad, hess, rows, a, b)
  ;; For the rows r listed in rows[a..b) (i32), from the raw score s = scores[r] (f64), the label
  ;; y = labels[r] (u8) and, when `weighted` is 1, the weight w = weights[r] (f64, else 1):
  ;; grad[r] = w (σ(s) − y) and hess[r] = w max(σ(s)(1 − σ(s)), 1e-16), the gradient and hessian of
  ;; the log-loss in raw-score space; the floor keeps a leaf of confident rows finite.
  ;;
  ;; σ(s) = 1 / (1 + e^x), x = −s, two rows at a time (one per f64x2 lane). e^x = 2^k · e^r with k
  ;; the integer nearest x / ln 2 and r = x − k ln 2 (ln 2 in two parts, k · ln2_hi exact: Cody &
  ;; Waite), |r| ≤ ln 2 / 2; e^r is its Taylor polynomial of degree 13 (remainder below 5e-18),
  ;; evaluated by Estrin's scheme (a third of Horner's chain of dependent operations), and 2^k is
  ;; written into the exponent bits. x is clamped to [−708, 709], where 2^k stays a normal double:
  ;; below −708, 1 + e^x is 1 anyway; above 709, σ is below 1e-307 and the hessian is floored.
  ;; Within 6e-16 (relative) of 1 / (1 + Math.exp(−s)) (objective.test.ts).
  (func (export "gradients")
    (param $scores i32) (param $labels i32) (param $weights i32) (param $weighted i32)
    (param $grad i32) (param $hess i32) (param $rows i32) (param $a i32) (param $b i32)
    (local $p i32) (local $pEnd i32) (local $r0 i32) (local $r1 i32)
    (local $x v128) (local $shifted v128) (local $k v128) (local $r v128) (local $r2 v128) (local $r4 v128) (local $e v128)
    (local $sigma v128) (local $w v128) (local $g v128) (local $h v128)
    (local.set $p (i32.add (local.get $rows) (i32.shl (local.get $a) (i32.const 2))))
    (local.set $pEnd (i32.add (local.get $rows) (i32.shl (local.get $b) (i32.const 2))))
    (local.set $w (v128.const f64x2 1 1))
    (block $done (loop $pairLoop
      (br_if $done (i32.ge_u (local.get $p) (local.get $pEnd)))
      ;; the pair's second row; the first again when it is alone (both lanes then store one value)
      (local.set $r0 (i32.load (local.get $p)))
      (local.set $r1 (if (result i32) (i32.lt_u (i32.add (local.get $p) (i32.const 4)) (local.get $pEnd))
        (then (i32.load offset=4 (local.get $p))) (else (local.get $r0))))
      (local.set $x (f64x2.pmin (f64x2.pmax
        (f64x2.neg (f64x2.replace_lane 1
          (f64x2.splat (f64.load (i32.add (local.get $scores) (i32.shl (local.get $r0) (i32.const 3)))))
          (f64.load (i32.add (local.get $scores) (i32.shl (local.get $r1) (i32.const 3))))))
        (v128.const f64x2 -708 -708)) (v128.const f64x2 709 709)))
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
)
