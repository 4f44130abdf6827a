/** Dense symmetric positive-definite solves for the small systems of linear models. */

/**
 * Cholesky factor L (lower, row-major m×m) of a symmetric positive-definite matrix `a`, or null
 * when `a` is not positive definite.
 */
export function cholesky(a: Float64Array, m: number): Float64Array | null {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * m + k] as number) * (l[j * m + k] as number);
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * m + i] = Math.sqrt(s);
      } else {
        l[i * m + j] = s / (l[j * m + j] as number);
      }
    }
  }
  return l;
}

/** Solves L y = b (forward substitution) for a lower-triangular row-major L. */
export function forwardSolve(l: Float64Array, m: number, b: Float64Array): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * m + k] as number) * (y[k] as number);
    y[i] = s / (l[i * m + i] as number);
  }
  return y;
}

/** Solves Lᵀ x = y (back substitution) for a lower-triangular row-major L. */
export function backSolveTransposed(l: Float64Array, m: number, y: Float64Array): Float64Array {
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] as number) * (x[k] as number);
    x[i] = s / (l[i * m + i] as number);
  }
  return x;
}

/**
 * Cholesky factor of symmetric positive-semidefinite `a`, adding a growing ridge to the diagonal
 * until the factorisation succeeds (singular designs: constant or duplicated columns).
 */
export function factorSpd(a: Float64Array, m: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < m; i++) trace += a[i * m + i] as number;
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt++) {
    const aj = jitter === 0 ? a : a.map((v, idx) => (idx % (m + 1) === 0 ? v + jitter : v));
    const l = cholesky(aj, m);
    if (l) return l;
    jitter = jitter === 0 ? Math.max(1e-12, (1e-10 * trace) / m) : jitter * 10;
  }
  throw new RangeError('linear system is not positive definite even after regularisation');
}

/** Solves a x = b for symmetric positive-semidefinite `a` (see {@link factorSpd}). */
export function solveSpd(a: Float64Array, m: number, b: Float64Array): Float64Array {
  const l = factorSpd(a, m);
  return backSolveTransposed(l, m, forwardSolve(l, m, b));
}
