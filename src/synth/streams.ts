/**
 * Independent random streams per debtor. Each (seed, index, stream) maps injectively to a 32-bit
 * Rng seed, so no two debtors share a stream and debtor i's data never depends on other debtors.
 */
import { Rng } from '../core/rng';

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The streams of one debtor. */
export const Stream = {
  /** Identity, phones, contact profile and traits: shared by a person's records in two offices. */
  person: 0,
  /** Cases and life events. */
  debtor: 1,
  /** Daily draws over the history. */
  history: 2,
  /** Daily draws after the export date (horizon outcomes). */
  future: 3,
  /** Formatting choices, duplicates and broken rows. */
  mess: 4,
  /** Whether this record is the second office's copy of the previous person. */
  twin: 5,
} as const;

/** The Rng of `stream` for debtor `index` under `seed` (injective for index < 2^29). */
export function streamRng(seed: number, index: number, stream: number): Rng {
  return new Rng(mix32((mix32(seed) + index * 8 + stream) >>> 0));
}

/** A uniform number in [0, 1) that depends only on (seed, index, stream). */
export function streamUniform(seed: number, index: number, stream: number): number {
  return mix32(mix32((mix32(seed) + index * 8 + stream) >>> 0) ^ 0x9e3779b9) / 4294967296;
}
