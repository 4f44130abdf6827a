;; The GBDT fit's two hottest loops, histograms and partitions, as WebAssembly over one shared
;; memory that holds the fit's buffers (see fit-memory.ts): the calling thread and every fit worker
;; instantiate this module on the same memory. Each function does exactly the floating-point
;; additions of the plain loop it replaces, in the same order (f64x2.add is two IEEE additions), so
;; a model does not depend on the thread count nor on the kernel.
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
)
