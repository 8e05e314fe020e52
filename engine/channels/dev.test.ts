import { describe, expect, it } from "vitest";
import { DevOutbox } from "./dev";

const send = (outbox: DevOutbox, key: string) =>
  outbox.provider("email").send(
    {
      channel: "email",
      to: { customerId: "c-1", email: "li@example.com" },
      content: { subject: "Hi", text: "Hello" },
    } as never,
    {
      idempotencyKey: key,
      signal: new AbortController().signal,
    },
  );

describe("DevOutbox", () => {
  it("keeps only the newest deliveries in memory, however many are recorded", async () => {
    const outbox = new DevOutbox({ limit: 100 });
    for (let i = 0; i < 1_000; i++) await send(outbox, `k${i}`);
    expect(outbox.deliveries.length).toBeLessThanOrEqual(110);
    expect(outbox.deliveries.at(-1)?.idempotencyKey).toBe("k999");
    expect(outbox.deliveries[0]!.idempotencyKey).not.toBe("k0");
  });

  it("still answers a repeated idempotency key with the first delivery", async () => {
    const outbox = new DevOutbox({ limit: 100 });
    const first = await send(outbox, "same");
    const again = await send(outbox, "same");
    expect(again).toMatchObject({ status: "sent", providerId: (first as { providerId: string }).providerId });
    expect(outbox.deliveries).toHaveLength(1);
  });
});
