/**
 * How the pace at which one catalog client reads reaches the runs it
 * follows. While the client's socket asks for a drain (the socket's own
 * backpressure, not a byte count), every run pushing to it is held: its job
 * stops being read and blocks on its pipe, so a client that keeps reading,
 * however slowly, loses nothing. A client whose socket has not drained for
 * `slowReaderMs` is *behind*: it lets go of the runs (the jobs, and the
 * other clients following them, go on) and its output pushes become lossy —
 * dropped oldest first past `maxQueuedBytes`, with a marker — until it drains
 * again. Answers and status pushes are never dropped.
 */

/** Why output pushes to a connection were dropped, for the marker's wording. */
export type DropCause = 'behind' | 'queue';

/** One connection's holds on the runs it follows. */
export class ReaderPace {
  /** Releases of the holds taken, by run id. */
  readonly #holds = new Map<string, () => void>();
  #timer: NodeJS.Timeout | null = null;
  #behind = false;
  /** The connection was behind since the last marker was worded. */
  #wasBehind = false;

  constructor(private readonly slowReaderMs: number) {}

  /** True while the connection is behind (see the module comment). */
  get behind(): boolean {
    return this.#behind;
  }

  /** Runs held back for this connection right now. */
  get holding(): number {
    return this.#holds.size;
  }

  /** After a push of `runId`: while the socket is backed up, the run is held, unless the connection is behind. */
  pushed(runId: string, backlogged: boolean, hold: (() => () => void) | undefined): void {
    if (!backlogged || this.#behind || hold === undefined || this.#holds.has(runId)) return;
    this.#holds.set(runId, hold());
    if (this.#timer === null) {
      this.#timer = setTimeout(() => this.#fellBehind(), this.slowReaderMs);
      this.#timer.unref();
    }
  }

  /** Everything that waited went out: the client reads; runs go on, and a client that was behind is not any more. */
  drained(): void {
    this.#behind = false;
    this.#letGo();
  }

  /** The connection closed: it holds nothing. */
  close(): void {
    this.#letGo();
  }

  /** Why pushes were dropped, for a marker being written now. */
  dropCause(): DropCause {
    const cause = this.#wasBehind ? 'behind' : 'queue';
    if (!this.#behind) this.#wasBehind = false;
    return cause;
  }

  #fellBehind(): void {
    this.#timer = null;
    this.#behind = true;
    this.#wasBehind = true;
    this.#letGo();
  }

  #letGo(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const release of this.#holds.values()) release();
    this.#holds.clear();
  }
}
