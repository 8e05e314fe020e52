/** A small seeded PRNG and the samplers the simulations need (deterministic for a given seed). */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** sfc32 seeded through splitmix32: fast, 128-bit state, good enough for simulation. */
export function createRng(seed: number | string): Rng {
  let h = typeof seed === "number" ? seed >>> 0 : hashString(seed);
  const split = (): number => {
    h = (h + 0x9e3779b9) | 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const rng = {
    next(): number {
      a |= 0;
      b |= 0;
      c |= 0;
      d |= 0;
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      return (t >>> 0) / 4294967296;
    },
  };
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** FNV-1a 32-bit. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000); shape < 1 by the boost u^(1/shape). */
export function gamma(rng: Rng, shape: number, rate = 1): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng.next();
    return gamma(rng, shape + 1, rate) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

export function exponential(rng: Rng, rate: number): number {
  let u = 0;
  while (u === 0) u = rng.next();
  return -Math.log(u) / rate;
}

export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)] as T;
}
