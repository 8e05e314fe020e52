import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import ipaddr from "ipaddr.js";

/**
 * Where webhooks may go. A journey's webhook URL is written by marketers, so by default it may only reach
 * the public internet: http(s) only, and never a loopback, private, link-local (cloud metadata at
 * 169.254.169.254), unique-local, carrier-grade NAT, multicast or otherwise reserved address, nor a
 * metadata or internal host name. Self-hosters who need internal targets list them in
 * `REKINDLE_WEBHOOK_ALLOW`: comma-separated host names, addresses and CIDR ranges
 * (`127.0.0.1,10.0.0.0/8,crm.corp`). A listed host name is allowed whatever it resolves to; a listed
 * address or range is allowed whatever name led to it.
 *
 * Checked where the URL is static (publish), before each send after DNS resolution, and by the
 * connection itself: `policyLookup` is the resolver the request connects with, so the address checked is
 * the address used and a DNS answer that changes between check and connect (rebinding) is refused too.
 * Redirects are never followed (see `deliverHttp`), so no redirect can lead anywhere unchecked.
 */
export interface DestinationPolicy {
  /** The allow-list as given, for messages. */
  readonly allowList: readonly string[];
  /** Why a URL is refused before any resolution (scheme, literal address, host name), or null. */
  checkUrl(url: string): string | null;
  /** Why `address` (resolved from `host`) is refused, or null. */
  checkAddress(host: string, address: string): string | null;
  /** Resolves the URL's host and checks every address: why it is refused, or null. */
  checkResolved(url: string): Promise<string | null>;
}

export class DestinationPolicyError extends Error {
  override readonly name = "DestinationPolicyError";
}

/** Host names that lead to cloud metadata services or the machine itself, whatever DNS says. */
const BLOCKED_NAMES = new Set([
  "localhost",
  "metadata",
  "metadata.goog",
  "metadata.google.internal",
  "instance-data",
]);
const BLOCKED_SUFFIXES = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa"];

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function normalize(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function bareHost(hostname: string): string {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  return h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
}

/**
 * Parses `REKINDLE_WEBHOOK_ALLOW`. Throws `DestinationPolicyError` naming every entry that is neither a
 * host name, an address nor a CIDR range.
 */
export function destinationPolicy(allow: string | readonly string[] = []): DestinationPolicy {
  const entries = (typeof allow === "string" ? allow.split(",") : [...allow])
    .map((e) => e.trim())
    .filter(Boolean);
  const names = new Set<string>();
  const ranges: Range[] = [];
  const bad: string[] = [];
  for (const entry of entries) {
    if (entry.includes("/")) {
      try {
        ranges.push(ipaddr.parseCIDR(entry));
      } catch {
        bad.push(`"${entry}" is not a CIDR range`);
      }
    } else if (ipaddr.isValid(entry)) {
      const addr = normalize(ipaddr.parse(entry));
      ranges.push([addr, addr.kind() === "ipv4" ? 32 : 128]);
    } else if (
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i.test(
        entry,
      )
    ) {
      names.add(bareHost(entry));
    } else {
      bad.push(`"${entry}" is neither a host name, an address nor a CIDR range`);
    }
  }
  if (bad.length) throw new DestinationPolicyError(`REKINDLE_WEBHOOK_ALLOW: ${bad.join("; ")}`);

  const addressAllowed = (addr: ipaddr.IPv4 | ipaddr.IPv6): boolean =>
    ranges.some(
      ([base, bits]) => base.kind() === addr.kind() && (addr as ipaddr.IPv4).match(base as ipaddr.IPv4, bits),
    );

  const checkAddress = (host: string, address: string): string | null => {
    if (names.has(bareHost(host))) return null;
    if (!ipaddr.isValid(address)) return `"${address}" is not an address`;
    const addr = normalize(ipaddr.parse(address));
    if (addressAllowed(addr)) return null;
    const range = addr.range();
    if (range === "unicast") return null;
    return `${host === address ? address : `${host} (${address})`} is a ${range} address; add it to REKINDLE_WEBHOOK_ALLOW to allow it`;
  };

  const checkUrl = (url: string): string | null => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `"${url}" is not a URL`;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return `only http and https webhooks are allowed, not ${parsed.protocol}`;
    }
    if (parsed.username || parsed.password)
      return "credentials in a webhook URL are not allowed; use headers";
    const host = bareHost(parsed.hostname);
    if (ipaddr.isValid(host)) return checkAddress(host, host);
    if (names.has(host)) return null;
    if (BLOCKED_NAMES.has(host) || BLOCKED_SUFFIXES.some((s) => host.endsWith(s)) || !host.includes(".")) {
      return `${host} is an internal host name; add it to REKINDLE_WEBHOOK_ALLOW to allow it`;
    }
    return null;
  };

  return {
    allowList: entries,
    checkUrl,
    checkAddress,
    async checkResolved(url) {
      const refused = checkUrl(url);
      if (refused) return refused;
      const host = bareHost(new URL(url).hostname);
      if (ipaddr.isValid(host) || names.has(host)) return null;
      try {
        const addresses = await resolveAll(host);
        for (const a of addresses) {
          const why = checkAddress(host, a.address);
          if (why) return why;
        }
        return null;
      } catch {
        // An unresolvable host is a network error for the sender to report and retry, not a refusal.
        return null;
      }
    },
  };
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request`/`net.connect`: resolves as usual, refuses the connection when any
 * address is refused, and hands the checked addresses to the socket, so the address checked is the one
 * connected to.
 */
export function policyLookup(policy: DestinationPolicy) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback,
  ): void => {
    const family =
      options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : Number(options.family ?? 0) || 0;
    dnsLookup(hostname, { all: true, family: family }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const why = policy.checkAddress(hostname, a.address);
        if (why) {
          const refused: NodeJS.ErrnoException = new DestinationPolicyError(`destination refused: ${why}`);
          refused.code = "EDESTINATIONREFUSED";
          return callback(refused, []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * Publish-time check of a journey's static webhook URLs (those without `{{…}}` placeholders): one issue
 * per refused destination, at `nodes[i].data.params.url`.
 */
export function webhookDestinationIssues(
  policy: DestinationPolicy,
  doc: unknown,
): { nodeId?: string; path: string; message: string }[] {
  const nodes = (doc as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const issues: { nodeId?: string; path: string; message: string }[] = [];
  nodes.forEach((node: unknown, i) => {
    const n = node as { id?: unknown; data?: { action?: unknown; params?: { url?: unknown } } } | null;
    const url = n?.data?.params?.url;
    if (n?.data?.action !== "webhook" || typeof url !== "string" || url.includes("{{")) return;
    const why = policy.checkUrl(url);
    if (why) {
      issues.push({
        ...(typeof n.id === "string" ? { nodeId: n.id } : {}),
        path: `nodes[${i}].data.params.url`,
        message: `webhook destination refused: ${why}`,
      });
    }
  });
  return issues;
}
