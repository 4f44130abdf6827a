/**
 * The model fits' hot loops as WebAssembly (fit-kernels.wat, assembled into fit-kernels-wasm.ts by
 * `npm run build:kernels`): the GBDT's histograms, partitions, gradients and score updates, and the
 * logistic IRLS passes. A kernel works on one memory that holds the fit's buffers (shared between
 * threads for the GBDT); every pointer argument is a byte address in it, every count a number of
 * elements.
 */
import { FIT_KERNELS_BASE64 } from './fit-kernels-wasm';

/** The exports of fit-kernels.wat; each is documented there. */
export interface FitKernels {
  /** GBDT: log-loss gradients and hessians of the rows listed in rows[a..b). */
  gradients(scores: number, labels: number, weights: number, weighted: number, grad: number, hess: number, rows: number, a: number, b: number): void;
  /** GBDT: one histogram slot for the listed features from the rows rows[start..end). */
  histograms(binsRow: number, nCols: number, rows: number, start: number, end: number, grad: number, hess: number, slot: number, features: number, nFeatures: number, nBins: number): void;
  /** GBDT: stable split of rows[a..b) by a bin routing table; returns how many went left. */
  partition(column: number, rows: number, a: number, b: number, route: number, right: number): number;
  /** GBDT: a tree's leaf values added to the scores of listed rows, descending on their bin codes. */
  descend(feature: number, left: number, right: number, value: number, routes: number, bins: number, nRows: number, list: number, count: number, scores: number): void;
  /** GBDT: one value added to the scores of the rows listed in rows[start..end). */
  addValue(rows: number, start: number, end: number, v: number, scores: number): void;
  /** Logistic: one pass of the log-loss, its gradient and each row's curvature over a shifted design. */
  logisticValueGradient(rowStart: number, col: number, val: number, nRows: number, labels: number, weights: number, weighted: number, c0: number, b: number, gd: number, curvature: number, out: number): void;
  /** Logistic: the Hessian's sums over a shifted design, from each row's curvature. */
  logisticHessian(rowStart: number, col: number, val: number, nRows: number, curvature: number, p: number, hd: number, h0: number, out: number): void;
}

let compiled: WebAssembly.Module | null = null;
let compiledUnshared: WebAssembly.Module | null = null;

/** The compiled module for a shared memory, once per thread; a Module can be posted to workers as it is. */
export function fitKernelsModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(FIT_KERNELS_BASE64, 'base64'));
  return compiled;
}

/** The compiled module for a memory of one thread. */
function unsharedKernelsModule(): WebAssembly.Module {
  compiledUnshared ??= new WebAssembly.Module(unsharedModuleBytes(Buffer.from(FIT_KERNELS_BASE64, 'base64')));
  return compiledUnshared;
}

/** The memory import in the module's bytes: "env", "memory", a memory (2) whose limits flags are 3 (shared, with a maximum). */
const SHARED_MEMORY_IMPORT = [3, 0x65, 0x6e, 0x76, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 2, 3];

/**
 * The same module importing a memory of one thread: the import's limits flags 1 (a maximum, not
 * shared) instead of 3; nothing else differs (a test holds it to the .wat assembled that way).
 */
export function unsharedModuleBytes(shared: Uint8Array): Uint8Array {
  const n = SHARED_MEMORY_IMPORT.length;
  let at = -1;
  for (let i = 0; i + n <= shared.length; i++) {
    let k = 0;
    while (k < n && shared[i + k] === SHARED_MEMORY_IMPORT[k]) k++;
    if (k === n) {
      if (at >= 0) throw new Error('the fit kernels import their memory twice');
      at = i;
    }
  }
  if (at < 0) throw new Error('the fit kernels do not import a shared memory');
  const bytes = Uint8Array.from(shared);
  bytes[at + n - 1] = 1;
  return bytes;
}

/** What the module imports besides its memory (`log1p` for weighted logistic rows). */
export const KERNEL_IMPORTS = { log1p: Math.log1p };

/** The kernels bound to one memory, shared or not (see {@link kernelMemory}). */
export function instantiateFitKernels(memory: WebAssembly.Memory): FitKernels {
  const module = memory.buffer instanceof SharedArrayBuffer ? fitKernelsModule() : unsharedKernelsModule();
  return new WebAssembly.Instance(module, { env: { memory, ...KERNEL_IMPORTS } }).exports as unknown as FitKernels;
}

/**
 * Byte offsets for buffers of the given sizes (bytes) laid out one after the other in a kernel
 * memory, each aligned to 64 bytes (a cache line), and the total.
 */
export function memoryLayout<K extends string>(sizes: Record<K, number>): Record<K, number> & { readonly bytes: number } {
  let bytes = 0;
  const at = {} as Record<K, number>;
  for (const key of Object.keys(sizes) as K[]) {
    at[key] = bytes;
    bytes += Math.ceil(sizes[key] / 64) * 64;
  }
  return { ...at, bytes };
}

/** A wasm32 memory addresses 4 GiB at most: 65,536 pages of 64 KiB. */
const MAX_PAGES = 65536;

/**
 * A memory of `bytes` for the kernels, fixed in size; `tooLarge` makes the error thrown when it
 * would pass the 4 GiB a kernel can address (its message names what needs the memory). Shared only
 * when threads must share it: V8 does not count shared memory towards what makes it collect
 * garbage (thirty dropped 200 MiB shared memories left 6 GiB resident, unshared ones 0.6 GiB,
 * 2026-12-06), so the GBDT reuses its shared memory from fit to fit (see gbdt/histogram-builder.ts).
 */
export function kernelMemory(bytes: number, tooLarge: (gib: string) => Error, shared = false): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > MAX_PAGES) throw tooLarge((bytes / 2 ** 30).toFixed(1));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
}
