/**
 * `sequential` endpoints: what was read waits here and is handled one event
 * at a time, in arrival order, each request answered before the next event
 * (so answers come in order and a peer cannot make its owner work on many
 * requests at once). Reading pauses while `readAhead` events wait or while
 * the peer is not reading what was sent, and resumes when both clear.
 */

/** What an inbox needs from its endpoint. */
export interface InboxSettings<E> {
  /** Handles one event; resolves once a request it started is answered. Never rejects. */
  readonly handle: (event: E) => Promise<void> | undefined;
  /** Events that may wait before reading pauses. */
  readonly readAhead: number;
  /** False once nothing more should be handled (the conversation ended). */
  readonly running: () => boolean;
  /** True while reading may continue at all (a closing conversation does not pause its source). */
  readonly open: () => boolean;
  /** True while what was sent waits for the peer to read it. */
  readonly backlogged: () => boolean;
  /** Pause (true) or resume (false) reading the source. */
  readonly flow?: (paused: boolean) => void;
}

/** The queue and its single worker; see the module comment. */
export class SequentialInbox<E> {
  readonly #settings: InboxSettings<E>;
  /** Waiting events from `#head` on (a shift per event would be quadratic for a chunk of many frames). */
  #events: (E | undefined)[] = [];
  #head = 0;
  #busy = false;
  #paused = false;
  #idle: (() => void)[] = [];

  constructor(settings: InboxSettings<E>) {
    this.#settings = settings;
  }

  /** Queues `events` and makes sure the worker runs. */
  push(events: readonly E[]): void {
    if (!this.#settings.running()) return;
    for (const event of events) this.#events.push(event);
    void this.#work();
    this.updateFlow();
  }

  /** Drops what waits (the conversation is over, or closing). */
  clear(): void {
    this.#events = [];
    this.#head = 0;
    this.updateFlow();
    this.#settle();
  }

  /** Resolves once nothing waits and no event is being handled. */
  idle(): Promise<void> {
    if (!this.#busy && this.#waiting === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Pauses or resumes reading to match what waits, on both sides. */
  updateFlow(): void {
    const pause = this.#settings.open() && (this.#waiting >= this.#settings.readAhead || this.#settings.backlogged());
    if (pause === this.#paused) return;
    this.#paused = pause;
    this.#settings.flow?.(pause);
  }

  get #waiting(): number {
    return this.#events.length - this.#head;
  }

  async #work(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#settings.running() && this.#waiting > 0) {
        const event = this.#events[this.#head] as E;
        this.#events[this.#head] = undefined;
        this.#head += 1;
        if (this.#head === this.#events.length) {
          this.#events = [];
          this.#head = 0;
        }
        await this.#settings.handle(event);
        this.updateFlow();
      }
    } finally {
      // Idle again in the same synchronous step as the loop's last look at the queue: a chunk delivered right
      // after it (a stream emitting several 'data' events in one tick) must be able to start the loop again.
      this.#busy = false;
      this.#settle();
    }
  }

  #settle(): void {
    if (this.#busy || this.#waiting > 0) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
