/**
 * The one outgoing side of every JSON-RPC stream jobhost writes: frames onto
 * a Writable (a plugin's stdin, a catalog client's socket), in order, with
 * what waits bounded.
 *
 * A peer that never reads would otherwise make Node's Writable buffer every
 * frame for ever, and a host's answers echo what the peer sends (ids), so
 * the peer could grow the host's memory at will. Frames go to the stream
 * while it accepts them (until `write()` asks for a drain) and wait here
 * until `'drain'`; the bound counts what waits here plus
 * `stream.writableLength` (what Node holds, including a write in flight; the
 * kernel's buffer is not the host's memory). Waiting for `'drain'` also keeps
 * Node from batching everything into one `writev` whose buffers stay held
 * until the last byte is written.
 *
 * When a frame would pass `maxQueuedBytes`:
 * - *lossy* frames (output pushes a slow reader may lose) are dropped first,
 *   oldest first; the first dropped frame of each key is replaced, in place,
 *   by a gap marker saying how much of that key is missing;
 * - if what may not be dropped still passes the bound, the writer overflows
 *   once: it accepts nothing more, calls `onOverflow`, and then either drops
 *   what waits and destroys the stream (`afterOverflow: 'drop'`, a peer that
 *   does not read) or still writes it and ends the stream (`'flush'`).
 *
 * A slow reader is never punished for being slow: nothing is dropped or
 * reordered while the total stays under the bound. One frame is always
 * accepted when nothing waits, so the bound limits what piles up, not the
 * size of one message. Frames written before the stream is attached (a
 * process not started yet) wait in order and count against the same bound.
 */
import type { Writable } from 'node:stream';
import { encodeFrame } from './encode.js';
import type { Framing } from './types.js';

/** What the writer knew when it overflowed. */
export interface WriterOverflow {
  /** Bytes held (waiting here, or in the stream's buffer) when the frame came. */
  readonly queuedBytes: number;
  /** Size of the frame that did not fit. */
  readonly frameBytes: number;
  /** False when no stream was attached yet (the frames waited for a process to start). */
  readonly started: boolean;
}

/** A frame a slow reader may lose: `units` of `key`'s content (characters of one run's output, say). */
export interface LossyFrame {
  readonly key: string;
  readonly units: number;
}

/** How a {@link FrameWriter} frames, how much it lets wait, and what it does past that. */
export interface FrameWriterOptions {
  readonly framing: Framing;
  /** Bytes that may wait for the peer to read them. */
  readonly maxQueuedBytes: number;
  /**
   * Called once, synchronously, when frames that may not be dropped pass
   * `maxQueuedBytes`; the writer accepts nothing more by then. With
   * `afterOverflow: 'drop'` the stream is destroyed right after it returns,
   * so a handler that cancels a job has the cancel recorded first.
   */
  readonly onOverflow: (overflow: WriterOverflow) => void;
  /** What becomes of the frames waiting at an overflow. @default 'drop' */
  readonly afterOverflow?: 'drop' | 'flush';
  /** The JSON text that stands in for `droppedUnits` of `key`'s lossy frames. Without it no frame is lossy. */
  readonly gapMarker?: (key: string, droppedUnits: number) => string;
  /** Everything waiting was handed to the stream, and the stream drained (a reader paused for the backlog may resume). */
  readonly onDrained?: () => void;
}

interface Item {
  /** `null` once dropped (and then possibly a gap marker, built when it is written). */
  frame: Buffer | null;
  /** Bytes counted against the bound. */
  bytes: number;
  lossy: LossyFrame | null;
  /** Set on the first dropped frame of a key: the marker that stands in its place. */
  gap: { readonly key: string; dropped: number } | null;
}

/** A gap marker's frame is built late; this is its size for the bound until then. */
const MARKER_ESTIMATE = 256;

/** Writes frames to one stream, holding at most `maxQueuedBytes` plus one frame; see the module comment. */
export class FrameWriter {
  readonly #options: FrameWriterOptions;
  #stream: Writable | null = null;
  /** Frames not yet handed to the stream, from `#head` on (a shift per frame would be quadratic). */
  #items: (Item | undefined)[] = [];
  #head = 0;
  /** Items before this index hold nothing lossy: the next shedding scan starts here. */
  #scan = 0;
  #waitingBytes = 0;
  readonly #markers = new Map<string, Item>();
  #closed = false;
  /** Frames waited for a drain since the last `onDrained`. */
  #stalled = false;
  /** `end()` was called (or a flushing overflow happened) while frames waited: the stream ends once they are out. */
  #ending = false;

  constructor(options: FrameWriterOptions) {
    this.#options = options;
  }

  /** False once nothing more can be written. */
  get open(): boolean {
    return !this.#closed;
  }

  /** True while frames wait here, not yet handed to the stream. */
  get backlogged(): boolean {
    return this.#head < this.#items.length;
  }

  /** True while the peer is behind: frames wait here, or the stream asked for a drain. `onDrained` says when it ends. */
  get pressed(): boolean {
    return this.backlogged || this.#stream?.writableNeedDrain === true;
  }

  /** Bytes the writer holds for the peer: waiting here, or buffered by the stream. */
  get queuedBytes(): number {
    return this.#waitingBytes + (this.#stream?.writableLength ?? 0);
  }

  /** Hands over the stream (a started process's stdin, a socket) and flushes what waited for it; `null`: there is none. */
  attach(stream: Writable | null): void {
    if (this.#closed && !this.#ending) return;
    if (stream === null) {
      this.close();
      return;
    }
    this.#stream = stream;
    // A failed write (EPIPE after the peer exited) closes the writer; the owner hears of it from the stream.
    stream.on('error', () => this.close());
    stream.on('close', () => this.close());
    stream.on('drain', () => this.#pump());
    this.#pump();
  }

  /**
   * Frames `text` (one JSON message) and writes it; false if it will not be
   * written (the writer is closed, or this frame overflowed it). `lossy`
   * marks a frame the bound may drop.
   */
  write(text: string, lossy?: LossyFrame): boolean {
    if (this.#closed) return false;
    const frame = encodeFrame(this.#options.framing, text);
    const queuedBytes = this.queuedBytes;
    const max = this.#options.maxQueuedBytes;
    this.#items.push({ frame, bytes: frame.length, lossy: lossy !== undefined && this.#options.gapMarker !== undefined ? lossy : null, gap: null });
    this.#waitingBytes += frame.length;
    if (queuedBytes > 0 && queuedBytes + frame.length > max) {
      this.#shed(max);
      if (this.queuedBytes > max) return this.#overflow({ queuedBytes, frameBytes: frame.length, started: this.#stream !== null });
    }
    this.#pump();
    // a stream found dead while pumping closed the writer: nothing was written
    return !this.#closed || this.#ending;
  }

  /** Ends the stream (an EOF the peer can see) after what is queued; nothing more is written. */
  end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ending = true;
    this.#pump();
  }

  /** Stops writing; frames still waiting here are dropped. */
  close(): void {
    this.#closed = true;
    this.#ending = false;
    this.#items = [];
    this.#head = 0;
    this.#scan = 0;
    this.#waitingBytes = 0;
    this.#markers.clear();
  }

  #overflow(overflow: WriterOverflow): boolean {
    const stream = this.#stream;
    if (this.#options.afterOverflow === 'flush') {
      // what waits is still written, this frame too; the stream ends after the last of them
      this.end();
      this.#options.onOverflow(overflow);
      return true;
    }
    this.close();
    try {
      this.#options.onOverflow(overflow);
    } finally {
      // the peer will not read it: release what Node buffered now, not when the peer is finally gone
      stream?.destroy();
    }
    return false;
  }

  /** Drops the oldest lossy frames until what is held fits in `budget`, leaving one gap marker per key in place of the first. */
  #shed(budget: number): void {
    let at = Math.max(this.#scan, this.#head);
    while (this.queuedBytes > budget && at < this.#items.length) {
      const item = this.#items[at];
      at += 1;
      if (item === undefined || item.lossy === null) continue;
      const { key, units } = item.lossy;
      this.#waitingBytes -= item.bytes;
      item.frame = null;
      item.lossy = null;
      const marker = this.#markers.get(key);
      if (marker?.gap != null) {
        marker.gap.dropped += units;
        item.bytes = 0;
      } else {
        item.gap = { key, dropped: units };
        item.bytes = MARKER_ESTIMATE;
        this.#waitingBytes += MARKER_ESTIMATE;
        this.#markers.set(key, item);
      }
    }
    this.#scan = at;
  }

  /** Hands waiting frames to the stream until it asks for a drain; ends it after the last one if asked to. */
  #pump(): void {
    const stream = this.#stream;
    if (stream === null || (this.#closed && !this.#ending)) return;
    if (!stream.writable) {
      this.close();
      return;
    }
    while (this.#head < this.#items.length && !stream.writableNeedDrain) {
      const item = this.#items[this.#head] as Item;
      this.#items[this.#head] = undefined;
      this.#head += 1;
      this.#waitingBytes -= item.bytes;
      if (item.frame !== null) {
        stream.write(item.frame);
      } else if (item.gap !== null) {
        this.#markers.delete(item.gap.key);
        const marker = this.#options.gapMarker as NonNullable<FrameWriterOptions['gapMarker']>;
        stream.write(encodeFrame(this.#options.framing, marker(item.gap.key, item.gap.dropped)));
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#scan = Math.max(0, this.#scan - this.#head);
      this.#head = 0;
    }
    if (this.backlogged) {
      this.#stalled = true;
      return;
    }
    this.#items = [];
    this.#head = 0;
    this.#scan = 0;
    if (this.#ending) {
      this.#ending = false;
      stream.end();
    } else if (stream.writableNeedDrain) {
      // everything is handed over, but the stream holds more than it wants: the peer is behind until its 'drain'
      this.#stalled = true;
    } else if (this.#stalled) {
      this.#stalled = false;
      this.#options.onDrained?.();
    }
  }
}
