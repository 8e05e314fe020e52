import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
export type Reply = (res: ServerResponse, req: SeenRequest) => void;

export const json =
  (status: number, body: unknown): Reply =>
  (res) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

/** A local HTTP server on 127.0.0.1 that records every request and answers from a queue of replies. */
export async function startSink(fallback: Reply = json(200, { ok: true })) {
  const seen: SeenRequest[] = [];
  const replies: Reply[] = [];
  const state = { fallback };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(r);
      (replies.shift() ?? state.fallback)(res, r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    replies,
    setFallback: (r: Reply) => void (state.fallback = r),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
