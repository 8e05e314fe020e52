import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { policyLookup, type DestinationPolicy } from "./destination-policy";
import type { FetchLike } from "./http";

const NULL_BODY = new Set([204, 205, 304]);

/**
 * A `fetch` for webhooks whose connections resolve through the destination policy (`policyLookup`), so
 * the address connected to is the address checked. Only what `deliverHttp` uses: method, headers, a
 * string body, an abort signal; redirects are returned, never followed.
 */
export function pinnedFetch(policy: DestinationPolicy): FetchLike {
  const lookup = policyLookup(policy);
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      const refused = policy.checkUrl(url.toString());
      if (refused)
        return reject(
          new TypeError("fetch failed", { cause: { code: "EDESTINATIONREFUSED", message: refused } }),
        );
      const headers = new Headers(init.headers);
      const body = typeof init.body === "string" ? init.body : undefined;
      if (body !== undefined) headers.set("content-length", String(Buffer.byteLength(body)));
      const request = (url.protocol === "https:" ? https : http).request(url, {
        method: init.method ?? "GET",
        headers: Object.fromEntries(headers),
        lookup: lookup,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      request.on("error", (err) => reject(new TypeError("fetch failed", { cause: err })));
      request.on("response", (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 599) {
          res.destroy();
          return reject(new TypeError("fetch failed", { cause: { message: `unexpected status ${status}` } }));
        }
        const out = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value === undefined) continue;
          for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
        }
        const stream = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
        if (!stream) res.resume();
        resolve(new Response(stream, { status, headers: out }));
      });
      request.end(body);
    });
}
