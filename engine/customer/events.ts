/** From the input event shape (spec §2) to what the customer state consumes. */
import type { CustomerEvent } from "./types";

export interface TrackLike {
  type?: string;
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  timestamp: string | number | Date;
}

/** A tracked event as a CustomerEvent; identify calls (and anything without an event name) give undefined. */
export function toCustomerEvent(e: TrackLike): CustomerEvent | undefined {
  if (e.type === "identify") return undefined;
  const name = e.event ?? e.name;
  if (typeof name !== "string" || name === "") return undefined;
  return { name, properties: e.properties ?? {}, timestamp: e.timestamp };
}
