import { suppresses } from "../consent/consent";
import { BadInputError, ConflictError, NotFoundError } from "../errors";
import type { TestSendRequest, TestSendResult } from "../schema/publish-check";
import type { CustomerRow } from "../store/types";
import type { EngineCore } from "./core";
import { customerZone } from "./local-time";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Coupon code in test sends: never a real code of a pool. */
export const TEST_COUPON = "TEST-COUPON";

/**
 * A test send of one message step of a journey's draft: rendered for a stored customer (or a sample
 * profile) and sent at once through the step's action, to the customer's address or to `to`. Nothing is
 * stored in the run log or the outbox: a test is not a delivery of the journey. The idempotency key is
 * `test:<journey>:<node>:<requestId>`, so a provider drops a repeated request. Sent elsewhere than the
 * customer's own address, the message is rendered for `test:<customer>`, so its unsubscribe link cannot
 * unsubscribe the real customer.
 */
export async function testSend(
  core: EngineCore,
  journeyId: string,
  req: TestSendRequest,
): Promise<TestSendResult> {
  const { store, deps } = core;
  const now = core.clock.now();
  const row = await store.getJourney(journeyId);
  if (!row) throw new NotFoundError(`journey ${journeyId}`);
  const doc: Obj = isObj(row.draft) ? row.draft : {};
  const nodes = Array.isArray(doc.nodes) ? (doc.nodes as unknown[]) : [];
  const node = nodes.find((n): n is Obj => isObj(n) && n.id === req.nodeId);
  if (!node) throw new NotFoundError(`step ${req.nodeId} of journey ${journeyId}`);
  const data = isObj(node.data) ? node.data : {};
  const def =
    node.type === "action" && typeof data.action === "string" ? deps.registry.get(data.action) : undefined;
  if (!def?.channel)
    throw new BadInputError(
      `step ${req.nodeId} is not a message step (email, SMS, push, WeChat or a custom channel)`,
    );
  const channel = def.channel;
  const template = typeof data.template === "string" ? data.template : null;
  if (template === null || !deps.templates.has(template))
    throw new BadInputError(
      template === null
        ? `step ${req.nodeId} has no template`
        : `step ${req.nodeId}: unknown template "${template}"`,
    );
  const parsed = def.config.safeParse(data.params ?? {});
  if (!parsed.success)
    throw new BadInputError(
      `step ${req.nodeId}: bad params: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
    );

  let customer: CustomerRow;
  if (req.customerId !== undefined) {
    const found = (await store.getCustomers([req.customerId])).get(req.customerId);
    if (!found) throw new NotFoundError(`customer ${req.customerId}`);
    customer = found;
  } else {
    customer = { id: "sample", traits: { name: "Sample" }, state: {}, createdAt: now, updatedAt: now };
  }
  const own = customer.traits[channel.addressTrait];
  const ownAddress =
    typeof own === "string" && own.trim() !== "" ? own : typeof own === "number" ? String(own) : undefined;
  const to = req.to ?? ownAddress;
  if (to === undefined)
    throw new BadInputError(
      `customer ${customer.id} has no ${channel.addressTrait} trait; give an address to send the test to`,
    );
  if (req.to === undefined && suppresses(await store.suppressedChannels(customer.id), channel.name))
    throw new ConflictError(
      `customer ${customer.id} is unsubscribed from ${channel.name}; send the test to another address`,
    );
  // Rendered as the customer, but addressed as a test: links in it (unsubscribe, survey) name `test:<id>`.
  const recipientId = req.to === undefined || req.to === ownAddress ? customer.id : `test:${customer.id}`;
  const fact = { ...deps.model.fact(customer, now), id: recipientId };
  const settings = isObj(doc.settings) ? doc.settings : {};
  const journeyZone = typeof settings.timezone === "string" ? settings.timezone : undefined;
  const key = `test:${journeyId}:${req.nodeId}:${req.requestId ?? String(now)}`;
  const rendered = deps.templates.render(template, {
    customer: fact,
    vars: { couponCode: TEST_COUPON },
    journey: { name: row.name, id: journeyId },
    event: null,
    now,
    timezone: customerZone(customer.traits, journeyZone),
    params: parsed.data,
    idempotencyKey: key,
  });
  const result = await def.execute({
    config: parsed.data,
    rendered,
    template,
    customer: { ...fact, id: recipientId, traits: customer.traits },
    address: to,
    idempotencyKey: key,
    attempt: 1,
    run: { id: 0, journeyId, versionId: 0, nodeId: req.nodeId, visit: 0 },
    vars: { couponCode: TEST_COUPON },
    now,
    signal: AbortSignal.timeout(30_000),
    log: deps.log,
  });
  const response = isObj(result.response) ? result.response : {};
  return {
    status: result.status === "done" ? "sent" : result.status === "fail" ? "failed" : "retry",
    channel: channel.name,
    to,
    customerId: customer.id,
    template,
    ...(typeof rendered.subject === "string" ? { subject: rendered.subject } : {}),
    ...(typeof response.provider === "string" ? { provider: response.provider } : {}),
    ...(result.status !== "done" ? { reason: result.reason } : {}),
  };
}
