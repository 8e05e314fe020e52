import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from "node:crypto";
import type { AdminStore, Role, UserRow, WriteKeyRow } from "../engine/index";

// scrypt N=2^17, r=8, p=1 (current OWASP guidance); the parameters are stored with each hash, and older
// hashes are replaced on the next successful sign-in (`needsRehash`). It needs 128·N·r = 128 MiB, above
// Node's default maxmem of 32 MiB, so maxmem is raised to leave headroom.
export const KDF_COST = 1 << 17;
const N = KDF_COST;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 256 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string, n = N): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, n, R, P);
  return `scrypt$${n}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, "base64url");
  const expected = Buffer.from(parts[5]!, "base64url");
  const key = await scryptAsync(password, salt, n, r, p);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a stored hash is weaker than the current cost (`n`), so a successful sign-in re-hashes it. */
export function needsRehash(stored: string, n = N): boolean {
  const parts = stored.split("$");
  return parts[0] !== "scrypt" || Number(parts[1]) < n || Number(parts[2]) < R || Number(parts[3]) < P;
}

/** A hash of an unknown user's password check, so a wrong email costs as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(n = N): Promise<string> {
  return (dummyHash ??= hashPassword(randomUUID(), n));
}

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

export const newToken = (): string => randomBytes(32).toString("base64url");
export const newPassword = (): string => randomBytes(12).toString("base64url");
export const newWriteKey = (): string => `wk_${randomBytes(24).toString("base64url")}`;

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}
export const publicUser = (u: UserRow): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  createdAt: new Date(u.createdAt).toISOString(),
  updatedAt: new Date(u.updatedAt).toISOString(),
});
export const publicKey = (k: WriteKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  createdBy: k.createdBy,
  createdAt: new Date(k.createdAt).toISOString(),
  revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
});

/** Write keys looked up on every ingestion call: cached by secret (no hash per call), cleared on any change. */
export class WriteKeyCache {
  private readonly cache = new Map<string, WriteKeyRow | null>();
  constructor(private readonly store: AdminStore) {}
  async lookup(secret: string): Promise<WriteKeyRow | undefined> {
    let k = this.cache.get(secret);
    if (k === undefined) {
      k = (await this.store.keyBySecretHash(sha256(secret))) ?? null;
      // Unknown secrets are cached too (bounded), so a flood of wrong keys does not reach the database.
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(secret, k);
    }
    return k ?? undefined;
  }
  invalidate(): void {
    this.cache.clear();
  }
}

/** A token bucket per key: `rate` requests a second, bursts up to `burst`. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly rate: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}
  /** Takes `cost` tokens; returns 0 when allowed, else the seconds to wait. */
  take(key: string, cost = 1): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.burst, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.rate);
    b.at = t;
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - b.tokens) / this.rate));
  }
}
