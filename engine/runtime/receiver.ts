import type { OutboxRow } from "../store/types";

/**
 * Who answers a delivery: its webhook host, else its channel, else its action type. Written on the outbox row
 * when it is queued, so the claim can skip receivers whose lane is full instead of claiming and handing back.
 */
export function receiverOf(row: Pick<OutboxRow, "channel" | "payload" | "action">): string {
  if (row.channel) return `channel:${row.channel}`;
  const url = (row.payload as { config?: { url?: unknown } }).config?.url;
  if (typeof url === "string") {
    try {
      return `host:${new URL(url).host}`;
    } catch {
      // An unparsable URL fails in the action itself; it still needs a lane.
    }
  }
  return `action:${row.action}`;
}

/** A claimed row's lane: the receiver stored with it, computed for rows queued before the column existed. */
export const laneOf = (row: OutboxRow): string => row.receiver ?? receiverOf(row);
