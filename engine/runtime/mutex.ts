/**
 * Serialises the engine's read-then-commit transitions, so an ingested event and a scheduler batch never
 * interleave between reading a run and writing it back.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
