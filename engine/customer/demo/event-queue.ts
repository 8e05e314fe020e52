import type { InputEvent } from "../../schema/events";

interface Queued {
  at: number;
  seq: number;
  event: InputEvent;
}

/**
 * Events waiting for their time in a replay: the generated base (already in time order) merged with the
 * events that arrive while it runs (customers' responses, in a binary heap). Ties go in arrival order.
 */
export class EventQueue {
  private readonly base: Queued[];
  private next = 0;
  private readonly heap: Queued[] = [];
  private seq: number;

  constructor(sorted: readonly InputEvent[]) {
    this.base = sorted.map((event, seq) => ({ at: Date.parse(event.timestamp), seq, event }));
    for (let i = 1; i < this.base.length; i++)
      if (this.base[i]!.at < this.base[i - 1]!.at) throw new Error("the base events are not in time order");
    this.seq = this.base.length;
  }

  push(event: InputEvent): void {
    const q = { at: Date.parse(event.timestamp), seq: this.seq++, event };
    const h = this.heap;
    h.push(q);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** The time of the earliest waiting event, or Infinity. */
  peekTime(): number {
    return this.peek()?.at ?? Infinity;
  }

  get size(): number {
    return this.base.length - this.next + this.heap.length;
  }

  /** Every event strictly before `t`, in order. */
  takeBefore(t: number): InputEvent[] {
    return this.takeWhile((q) => q.at < t, Infinity);
  }

  /** Events at or before `t`, in order, at most `max`. */
  takeUntil(t: number, max: number): InputEvent[] {
    return this.takeWhile((q) => q.at <= t, max);
  }

  private takeWhile(ok: (q: Queued) => boolean, max: number): InputEvent[] {
    const out: InputEvent[] = [];
    for (let q = this.peek(); q && out.length < max && ok(q); q = this.peek()) {
      out.push(q.event);
      this.pop();
    }
    return out;
  }

  private peek(): Queued | undefined {
    const b = this.base[this.next];
    const h = this.heap[0];
    if (!b) return h;
    if (!h) return b;
    return before(h, b) ? h : b;
  }

  private pop(): void {
    const b = this.base[this.next];
    const h = this.heap[0];
    if (b && (!h || !before(h, b))) {
      this.next++;
      return;
    }
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

const before = (a: Queued, b: Queued): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);
