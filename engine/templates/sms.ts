/** SMS length and segment counting (3GPP TS 23.038). */

const GSM7_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
/** Characters of the extension table: each costs an escape plus the character (2 septets). */
const GSM7_EXTENDED = new Set("^{}\\[~]|€\f");

export interface SmsInfo {
  encoding: "GSM-7" | "UCS-2";
  /** Characters (Unicode code points). */
  length: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

/**
 * Counts the segments an SMS needs. GSM-7: 160 septets in one message, else 153 per part; UCS-2 (any
 * character outside GSM-7, e.g. Chinese or emoji): 70 code units in one message, else 67 per part. A
 * character is never split across parts (an escape pair or a surrogate pair moves to the next part whole).
 */
export function smsInfo(text: string): SmsInfo {
  const chars = Array.from(text);
  const gsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENDED.has(c));
  const cost = (c: string): number => (gsm ? (GSM7_EXTENDED.has(c) ? 2 : 1) : c.length);
  const single = gsm ? 160 : 70;
  const part = gsm ? 153 : 67;
  let units = 0;
  for (const c of chars) units += cost(c);
  if (units === 0) return { encoding: gsm ? "GSM-7" : "UCS-2", length: 0, units: 0, segments: 0 };
  if (units <= single) return { encoding: gsm ? "GSM-7" : "UCS-2", length: chars.length, units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const c of chars) {
    const n = cost(c);
    if (used + n > part) {
      segments++;
      used = 0;
    }
    used += n;
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", length: chars.length, units, segments };
}
