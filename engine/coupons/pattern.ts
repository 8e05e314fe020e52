import { randomInt } from "node:crypto";

/** Letters without the look-alikes I and O (and digits without nothing: `#` is 0–9). */
export const PATTERN_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";
export const PATTERN_DIGITS = "0123456789";

/**
 * A code pattern: `#` is a digit, `?` a letter (no I or O), `*` a letter or digit; `\` makes the next
 * character literal; everything else is literal. `WB-####-????` gives `WB-4821-KXPM`.
 */
export interface CodePattern {
  source: string;
  /** How many distinct codes the pattern can make. */
  space: number;
  generate(random?: (max: number) => number): string;
}

export class CouponPatternError extends Error {
  override readonly name = "CouponPatternError";
}

export function parseCodePattern(source: string): CodePattern {
  if (typeof source !== "string" || source.length === 0 || source.length > 64) {
    throw new CouponPatternError(`a coupon pattern is 1–64 characters; got ${JSON.stringify(source)}`);
  }
  const slots: (string | { alphabet: string })[] = [];
  let space = 1;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[++i];
      if (next === undefined) throw new CouponPatternError(`pattern "${source}" ends with a lone "\\"`);
      slots.push(next);
    } else if (ch === "#" || ch === "?" || ch === "*") {
      const alphabet =
        ch === "#" ? PATTERN_DIGITS : ch === "?" ? PATTERN_LETTERS : PATTERN_LETTERS + PATTERN_DIGITS;
      slots.push({ alphabet });
      space *= alphabet.length;
    } else slots.push(ch);
  }
  if (space < 2) {
    throw new CouponPatternError(
      `pattern "${source}" has no random part: use # (digit), ? (letter) or * (either)`,
    );
  }
  return {
    source,
    space,
    generate(random = randomInt) {
      let out = "";
      for (const s of slots) out += typeof s === "string" ? s : s.alphabet[random(s.alphabet.length)]!;
      return out;
    },
  };
}
