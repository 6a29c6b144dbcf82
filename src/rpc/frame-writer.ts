/**
 * The host → plugin direction: frames messages onto the plugin's stdin.
 *
 * Messages sent before the process has started wait in order and go out
 * when stdin arrives. Once the plugin is gone (or stdin failed or was ended)
 * the writer is closed and `write` returns false: a write to a dead pipe is
 * a reported outcome, never an exception that could take the host down.
 *
 * What waits is bounded. A plugin that never reads its stdin would otherwise
 * make Node's Writable buffer every frame for ever, and the host's answers
 * echo what the plugin sends (ids), so the plugin could grow the host's
 * memory at will. Frames go to stdin while it accepts them (until `write()`
 * asks for a drain) and wait here until `'drain'`; the writer counts what
 * waits here plus `stdin.writableLength` (what Node holds, including a write
 * in flight; the kernel's pipe buffer is not the host's memory). Waiting for
 * `'drain'` also keeps Node from batching everything into one `writev` whose
 * buffers stay held until the last byte is written, which would count frames
 * the plugin has long read. A write that would pass `maxQueuedBytes` writes
 * nothing, closes the writer, releases what Node held, and calls
 * `onOverflow`, once. A slow reader is never punished for being slow: frames
 * are never dropped or reordered while the total stays under the bound. One
 * frame is always accepted when nothing waits, so the bound limits what piles
 * up, not the size of one message: the writer never holds more than the bound
 * plus one frame.
 */
import type { Writable } from 'node:stream';
import { encodeMessage } from './envelopes.js';
import type { Framing } from './framing.js';
import type { JsonRpcMessage } from './messages.js';

/** What the writer knew when it gave up on a plugin that does not read. */
export interface WriterOverflow {
  /** Bytes held (waiting here, or in stdin's buffer) when the write came. */
  readonly queuedBytes: number;
  /** Size of the frame that did not fit. */
  readonly frameBytes: number;
  /** False when the process had not started yet (the frames waited for its stdin). */
  readonly started: boolean;
}

/** How a {@link FrameWriter} frames and how much it lets wait. */
export interface FrameWriterOptions {
  readonly framing: Framing;
  /** Bytes that may wait for the plugin to read them. */
  readonly maxQueuedBytes: number;
  /**
   * Called once, synchronously, when a write would pass `maxQueuedBytes`;
   * the writer is closed by then. stdin is destroyed right after it returns,
   * so a handler that cancels the job has the cancel recorded first.
   */
  readonly onOverflow: (overflow: WriterOverflow) => void;
}

/** Writes framed JSON-RPC messages to one stdin, holding at most `maxQueuedBytes` plus one frame. */
export class FrameWriter {
  readonly #options: FrameWriterOptions;
  #stdin: Writable | null = null;
  /** Frames not yet handed to stdin, from `#head` on (a shift per frame would be quadratic). */
  #frames: (Buffer | undefined)[] = [];
  #head = 0;
  #waitingBytes = 0;
  #closed = false;
  /** `end()` was called while frames waited: stdin ends once they are out. */
  #ending = false;

  constructor(options: FrameWriterOptions) {
    this.#options = options;
  }

  /** False once nothing more can be written. */
  get open(): boolean {
    return !this.#closed;
  }

  /** Bytes the host holds for the plugin: waiting here (for the start or a drain), or buffered by stdin. */
  get queuedBytes(): number {
    return this.#waitingBytes + (this.#stdin?.writableLength ?? 0);
  }

  /** Hands over the started process's stdin and flushes what waited for it. */
  attach(stdin: Writable | null): void {
    if (this.#closed && !this.#ending) return;
    if (stdin === null) {
      this.close();
      return;
    }
    this.#stdin = stdin;
    // A failed write (EPIPE after the plugin exited) closes the writer; JobIo reports it as a system line.
    stdin.on('error', () => this.close());
    stdin.on('close', () => this.close());
    stdin.on('drain', () => this.#pump());
    this.#pump();
  }

  /**
   * Frames and writes `message`; false if nothing was written (the writer is
   * closed, or this write would have passed the bound and closed it). Throws
   * only if `message` cannot be serialised (a BigInt, a cycle) — the
   * caller's mistake, reported to the caller.
   */
  write(message: JsonRpcMessage): boolean {
    if (this.#closed) return false;
    const frame = encodeMessage(this.#options.framing, message);
    const queuedBytes = this.queuedBytes;
    if (queuedBytes > 0 && queuedBytes + frame.length > this.#options.maxQueuedBytes) {
      this.#overflow({ queuedBytes, frameBytes: frame.length, started: this.#stdin !== null });
      return false;
    }
    this.#frames.push(frame);
    this.#waitingBytes += frame.length;
    this.#pump();
    return !this.#closed;
  }

  /** Ends stdin (an EOF the plugin can see) after what is queued; nothing more is written. */
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
    this.#frames = [];
    this.#head = 0;
    this.#waitingBytes = 0;
  }

  #overflow(overflow: WriterOverflow): void {
    const stdin = this.#stdin;
    this.close();
    try {
      this.#options.onOverflow(overflow);
    } finally {
      // the plugin will not read it: release what Node buffered now, not when the process is finally gone
      stdin?.destroy();
    }
  }

  /** Hands waiting frames to stdin until it asks for a drain; ends it after the last one if `end()` was called. */
  #pump(): void {
    const stdin = this.#stdin;
    if (stdin === null || (this.#closed && !this.#ending)) return;
    if (!stdin.writable) {
      this.close();
      return;
    }
    while (this.#head < this.#frames.length && !stdin.writableNeedDrain) {
      const frame = this.#frames[this.#head] as Buffer;
      this.#frames[this.#head] = undefined;
      this.#head += 1;
      this.#waitingBytes -= frame.length;
      stdin.write(frame);
    }
    if (this.#head === this.#frames.length) {
      this.#frames = [];
      this.#head = 0;
      if (this.#ending) {
        this.#ending = false;
        stdin.end();
      }
    } else if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
  }
}
