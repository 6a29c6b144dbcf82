/**
 * The host → plugin direction: frames messages onto the plugin's stdin.
 *
 * Messages sent before the process has started wait in order and go out
 * when stdin arrives. Once the plugin is gone (or stdin failed or was ended)
 * the writer is closed and `write` returns false: a write to a dead pipe is
 * a reported outcome, never an exception that could take the host down.
 */
import type { Writable } from 'node:stream';
import { encodeMessage } from './envelopes.js';
import type { Framing } from './framing.js';
import type { JsonRpcMessage } from './messages.js';

/** Writes framed JSON-RPC messages to one stdin. */
export class FrameWriter {
  readonly #framing: Framing;
  #stdin: Writable | null = null;
  #waiting: Buffer[] | null = [];
  #closed = false;

  constructor(framing: Framing) {
    this.#framing = framing;
  }

  /** False once nothing more can be written. */
  get open(): boolean {
    return !this.#closed;
  }

  /** Hands over the started process's stdin and flushes what waited for it. */
  attach(stdin: Writable | null): void {
    if (this.#closed) return;
    if (stdin === null) {
      this.close();
      return;
    }
    this.#stdin = stdin;
    // A failed write (EPIPE after the plugin exited) closes the writer; JobIo reports it as a system line.
    stdin.on('error', () => this.close());
    stdin.on('close', () => this.close());
    const waiting = this.#waiting ?? [];
    this.#waiting = null;
    for (const frame of waiting) this.#put(frame);
  }

  /**
   * Frames and writes `message`; false if the writer is closed and nothing
   * was written. Throws only if `message` cannot be serialised (a BigInt, a
   * cycle) — the caller's mistake, reported to the caller.
   */
  write(message: JsonRpcMessage): boolean {
    if (this.#closed) return false;
    const frame = encodeMessage(this.#framing, message);
    if (this.#waiting !== null) this.#waiting.push(frame);
    else this.#put(frame);
    return !this.#closed;
  }

  /** Ends stdin (an EOF the plugin can see) after what is queued; nothing more is written. */
  end(): void {
    const stdin = this.#stdin;
    if (this.#closed) return;
    this.#closed = true;
    this.#waiting = null;
    if (stdin !== null && stdin.writable) stdin.end();
  }

  /** Stops writing; queued frames are dropped. */
  close(): void {
    this.#closed = true;
    this.#waiting = null;
  }

  #put(frame: Buffer): void {
    const stdin = this.#stdin;
    if (stdin === null || !stdin.writable) {
      this.close();
      return;
    }
    stdin.write(frame);
  }
}
