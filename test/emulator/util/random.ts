/** Deterministic pseudo-random numbers, so a seed always produces the same tenant. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  guid(): string;
}

/** mulberry32: tiny, fast and good enough for test data (not for secrets). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[int(16)];
    return s;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[int(items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    // Version-4 layout so the ids look like the GUIDs Entra hands out.
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${HEX[8 + int(4)] ?? '8'}${hex(3)}-${hex(12)}`,
  };
}

const HEX = '0123456789abcdef';

/** Derives an independent stream for one object, so lazily generated data does not depend on access order. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = seed ^ 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ p, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
