/**
 * The pause switch of one job's output readers: its line splitters (paused
 * to the line) and the streams feeding them. Two parties may want them
 * paused — the owner's full buffer (`OwnerFlow`) and host-side integrations
 * whose own consumer is backed up (`AttachedJob.hold`, e.g. a catalog client
 * that is not reading) — and the readers run only when neither does. Once
 * opened (the job's timeout ran out, or the host is being disposed) they
 * never pause again: nothing would drain what they wait for.
 */
import type { Readable } from 'node:stream';
import type { OutputFlow } from './output-flow.js';

/** What the switch pauses: the splitting (to the line) and the streams. */
export interface Readers {
  pause(): void;
  /** Delivers what was held (a line delivered may pause it again). */
  resume(): void;
}

/** One job's readers under the owner's flow and the integrations' holds. */
export class JobReaders implements OutputFlow {
  #byOwner = false;
  #held = false;
  #open = false;
  #paused = false;

  constructor(
    private readonly output: Readers,
    private readonly streams: readonly Readable[],
  ) {
    // A resume Node had already scheduled can still deliver data after a pause: pause again on the spot
    // (the splitter holds what came), so what is read past the cap stays within a read or two.
    // Otherwise one read per stream per event-loop turn: a chatty job's pipe is read again only after
    // every other ready pipe and timer had its turn, so it cannot delay another job's lines (a 64 KiB
    // read of short lines is thousands of events; libuv would read up to 32 of them in a row). The
    // chatty job blocks on its pipe meanwhile, which also leaves the CPU to the others (BENCHMARKS.md, row 10).
    for (const stream of streams) {
      const next = (): void => {
        if (!this.#paused) stream.resume();
      };
      stream.on('data', () => {
        stream.pause();
        if (!this.#paused) setImmediate(next);
      });
    }
  }

  /** True while the readers are paused. */
  get paused(): boolean {
    return this.#paused;
  }

  /** The owner's buffer is full (OutputFlow). */
  pause(): void {
    this.#byOwner = true;
    this.#apply();
  }

  /** The owner's buffer has room (OutputFlow). */
  resume(): void {
    this.#byOwner = false;
    this.#apply();
  }

  /** Integrations hold (true) or release (false) the job's output. */
  hold(held: boolean): void {
    this.#held = held;
    this.#apply();
  }

  /** Never pause again. */
  open(): void {
    this.#open = true;
    this.#apply();
  }

  #apply(): void {
    const wanted = !this.#open && (this.#byOwner || this.#held);
    if (wanted && !this.#paused) {
      this.#paused = true;
      this.output.pause();
      for (const stream of this.streams) stream.pause();
    } else if (!wanted && this.#paused) {
      this.#paused = false;
      // what was held may fill the owner's buffer again: the owner then pauses the readers again (re-entering
      // `pause`, which finds them running), and the streams stay paused
      this.output.resume();
      if (this.#paused) return;
      for (const stream of this.streams) stream.resume();
    }
  }
}
