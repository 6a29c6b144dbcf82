/**
 * The first line of an adapter's stdout, and nothing more.
 *
 * TA reads only the first line of the response; whatever an adapter prints
 * after it is ignored. Holding the whole stdout would let a chatty or hostile
 * adapter grow the host's memory without bound, so bytes are kept only until
 * the first newline, and only up to a limit.
 */

/** Collects stdout chunks until the first `\n`, holding at most `maxBytes` of line. */
export class FirstLineCollector {
  readonly #maxBytes: number;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #complete = false;
  #overflowed = false;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Feeds one chunk; returns `false` once the line is complete or too long (later chunks are ignored). */
  push(chunk: Buffer): boolean {
    if (this.#complete || this.#overflowed) return false;
    const newline = chunk.indexOf(0x0a);
    const part = newline === -1 ? chunk : chunk.subarray(0, newline);
    if (this.#size + part.length > this.#maxBytes) {
      this.#overflowed = true;
      this.#chunks.length = 0;
      return false;
    }
    this.#chunks.push(part);
    this.#size += part.length;
    if (newline !== -1) this.#complete = true;
    return !this.#complete;
  }

  /** True when the line grew past the limit before its newline. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /**
   * The first line without its `\n` (and without a trailing `\r`), or the
   * text before EOF when no newline came; `null` when stdout was empty or the
   * line overflowed.
   */
  line(): Buffer | null {
    if (this.#overflowed || (this.#size === 0 && !this.#complete)) return null;
    const line = Buffer.concat(this.#chunks, this.#size);
    return line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
  }
}
