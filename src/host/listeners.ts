/**
 * Push delivery to a plugin's listeners, isolated from each other and from
 * the host: a listener that throws is reported and skipped, the next one
 * still runs, and the job's bookkeeping has already been done. The list is
 * copied on change, never per event, so delivery costs nothing when no one
 * listens and one array walk when someone does.
 */
import { JobHostError, describeValue } from '../errors.js';

/** One owner's (or one job's) listeners. */
export class Listeners<T> {
  #list: readonly ((value: T) => void)[] = [];

  /** Adds `listener`; the returned function removes it (once; later calls do nothing). */
  add(listener: (value: T) => void): () => void {
    if (typeof listener !== 'function') {
      throw new JobHostError('ERR_INVALID_OPTIONS', `Expected a listener function, got ${describeValue(listener)}`, { details: { option: 'listener' } });
    }
    // wrapped, so one function added twice is two subscriptions and each disposer removes its own
    const entry = (value: T): void => listener(value);
    this.#list = [...this.#list, entry];
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#list = this.#list.filter((candidate) => candidate !== entry);
    };
  }

  /** Listeners currently subscribed. */
  get size(): number {
    return this.#list.length;
  }

  /** Calls every listener with `value`; an exception goes to `failed` and the rest still run. */
  call(value: T, failed: (error: unknown) => void): void {
    for (const listener of this.#list) {
      try {
        listener(value);
      } catch (error) {
        failed(error);
      }
    }
  }
}
