/**
 * The dispatcher's lanes at claim time, and what a store's claim makes of them. A claim that knows which
 * receivers are full never takes their rows, so nothing is claimed only to be handed back unsent: the
 * handing back (with a delay) is what made a busy receiver's deliveries wait whole seconds, again and again.
 */
export interface ClaimLanes {
  /** The most sends in flight to one receiver. */
  perReceiver: number;
  /** Sends in flight now, by receiver (`host:…`, `channel:…`, `action:…`). */
  busy: Readonly<Record<string, number>>;
}

/** Bind values shared by both stores' claims. */
export interface LaneParams {
  /** Rows each branch (expired leases, due) looks at before the per-receiver cut: a bounded index walk. */
  scan: number;
  /** Free slots of a receiver not in `slots`. */
  per: number;
  /** Free slots by receiver, for receivers with sends in flight. */
  slots: Record<string, number>;
  /** Receivers with no free slot: their rows are not even looked at. */
  full: string[];
}

/** Without lanes the claim is the plain "earliest `limit` due rows" (one lane as wide as the claim). */
export function laneParams(limit: number, lanes?: ClaimLanes): LaneParams {
  if (!lanes) return { scan: limit, per: limit, slots: {}, full: [] };
  const slots: Record<string, number> = {};
  const full: string[] = [];
  for (const [receiver, n] of Object.entries(lanes.busy)) {
    const free = Math.max(0, lanes.perReceiver - n);
    slots[receiver] = free;
    if (free === 0) full.push(receiver);
  }
  // Looking further than `limit` lets a claim pass one receiver's backlog to reach others' rows behind it.
  return { scan: limit * 4, per: lanes.perReceiver, slots, full };
}
