/**
 * A uniform number in [0, 1) from a string: FNV-1a followed by murmur3's finalizer, so nearby ids (c-1, c-2)
 * land far apart. Splits use it so a customer always takes the same branch of the same journey.
 */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export function pickBranch(branches: readonly { id: string; weight: number }[], u: number): string {
  const total = branches.reduce((s, b) => s + b.weight, 0);
  let acc = 0;
  for (const b of branches) {
    acc += b.weight / total;
    if (u < acc) return b.id;
  }
  return branches[branches.length - 1]!.id;
}
