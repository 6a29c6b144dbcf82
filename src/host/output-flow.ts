/**
 * Backpressure from an owner's event buffer to its jobs' pipes.
 *
 * While an owner's buffer is full, the host stops reading the stdout and
 * stderr of that owner's running jobs; a job that keeps writing then blocks
 * on a full pipe, exactly as it would under a shell piping into a slow
 * reader. A drain that leaves the buffer at most half full starts them again
 * (the gap keeps a consumer draining a little at a time from pausing and
 * resuming on every event). Nothing is lost, and memory stays at the caps
 * plus what was already read.
 *
 * A job stays under this control until its output ends, so a consumer that
 * keeps draining loses nothing at any rate. It leaves the control when it is
 * cancelled (its processes are being killed, what is left is finite, and a
 * cancel must not wait for a drain) — which is also what bounds an owner
 * that stopped draining: the job's timeout cancels it — and when the host
 * is disposed. Past twice the caps such a job's newest output is dropped,
 * announced (see `EventBuffer`).
 */


/**
 * What an owner's buffer does when it is full:
 * - `'pause'`: stop reading the owner's running jobs until it drains (nothing lost);
 * - `'drop-oldest'`: keep reading and drop the oldest output, announced (a tail only);
 * - `'auto'`: `'drop-oldest'` until the owner first drains or iterates, `'pause'`
 *   from then on — an owner that never reads its buffer never stalls its jobs,
 *   and one that reads loses nothing.
 */
export type OverflowPolicy = 'auto' | 'pause' | 'drop-oldest';

/** The policies, in the order documentation lists them. */
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['auto', 'pause', 'drop-oldest'];

/** One running job's readers: the streams whose bytes become buffered events. */
export interface OutputFlow {
  pause(): void;
  resume(): void;
  /** Never pause again, whoever asks (the host is being disposed). */
  open(): void;
}

/** The set of an owner's paused-together readers. */
export class OwnerFlow {
  readonly #flows = new Set<OutputFlow>();
  #paused = false;
  /** Set by `open`: never pause again (the host is being disposed). */
  #open = false;

  /** True while the owner's jobs are paused. */
  get paused(): boolean {
    return this.#paused;
  }

  /** Puts a job's readers under the owner's control (paused at once if the owner is paused); returns the release, which resumes them for good. */
  add(flow: OutputFlow): () => void {
    this.#flows.add(flow);
    if (this.#paused) flow.pause();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#flows.delete(flow);
      if (this.#paused) flow.resume();
    };
  }

  /** The buffer is full: stop reading every job's pipes. */
  full(): void {
    if (this.#paused || this.#open) return;
    this.#paused = true;
    for (const flow of this.#flows) flow.pause();
  }

  /** Resumes every job for good: nothing will drain what they would wait for (dispose). */
  open(): void {
    this.#open = true;
    this.#paused = false;
    for (const flow of this.#flows) flow.open();
  }

  /** A drain made room: read again. */
  room(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const flow of this.#flows) {
      flow.resume();
      // what a job had held may have filled the buffer again: the others stay paused
      if (this.#paused) return;
    }
  }
}
