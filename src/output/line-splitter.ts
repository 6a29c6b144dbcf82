/**
 * Splits a byte stream into text lines on the hot path.
 *
 * `\n`, `\r\n` and a bare `\r` (progress-bar style redraws) end a line; a line
 * longer than `maxLineBytes` is cut on a UTF-8 character boundary into several;
 * invalid UTF-8 becomes U+FFFD instead of an error; a final line without a
 * terminator is delivered by {@link LineSplitter.end}. `maxLineBytes` counts
 * the raw bytes of the line.
 *
 * It can be paused between two lines (the owner's buffer filled up while a
 * chunk was being split): the rest of the chunk, and anything that still
 * arrives, is held and split on `resume`, so backpressure is exact to the
 * line rather than to the 64 KiB read.
 *
 * Each line is decoded on its own, straight from the chunk (as latin1 when the
 * chunk is pure ASCII, which skips UTF-8 validation). Decoding a whole chunk
 * and splitting the string is faster in isolation, but every line would then
 * be a slice that keeps its whole 64 KiB chunk alive while it waits in an
 * undrained buffer: more memory and more GC, and slower end to end.
 */
import { isAscii } from 'node:buffer';

const LF = 10;
const CR = 13;

/** Start of the last complete UTF-8 character at or before `end` in `buf`, so a cut there splits no character. */
export function utf8Boundary(buf: Buffer, end: number): number {
  let cut = end;
  // step back over at most 3 continuation bytes (10xxxxxx) to the lead byte
  for (let back = 0; back < 3 && cut > 0 && ((buf[cut] ?? 0) & 0xc0) === 0x80; back++) cut--;
  return cut > 0 ? cut : end;
}

/** Incremental line splitter for one stream. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private encoding: 'latin1' | 'utf8' = 'utf8';
  private pendingBytes = 0;
  private afterCR = false;
  /** Set between two lines by `pause`; the splitting loop stops at the next line end. */
  private paused = false;
  /** Bytes read but not split yet because of a pause. */
  private held: Buffer | null = null;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
  ) {}

  /** Feeds a chunk; complete lines are delivered synchronously, in order (unless paused: then they wait for `resume`). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return; // an empty chunk must not end a pending `\r\n`
    if (this.paused || this.held !== null) {
      this.held = this.held === null ? chunk : Buffer.concat([this.held, chunk]);
      return;
    }
    this.split(chunk);
  }

  /** Stops delivering lines after the current one. */
  pause(): void {
    this.paused = true;
  }

  /** True while bytes wait for `resume`. */
  get holding(): boolean {
    return this.held !== null;
  }

  /** True while paused (a line delivered during `resume` may pause it again). */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Delivers what was held, and then lines as they come, until the next `pause`. */
  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = null;
    if (held !== null) this.split(held);
  }

  private split(chunk: Buffer): void {
    // Pure ASCII (the usual case for build and VCS output) decodes as latin1, which skips UTF-8 validation.
    this.encoding = isAscii(chunk) ? 'latin1' : 'utf8';
    let start = 0;
    if (this.afterCR) {
      this.afterCR = false;
      if (chunk[0] === LF) start = 1;
    }
    if (chunk.indexOf(CR, start) === -1) {
      // common case: only \n terminators, found with memchr-speed indexOf
      let nl: number;
      while ((nl = chunk.indexOf(LF, start)) !== -1) {
        this.line(chunk, start, nl);
        start = nl + 1;
        if (this.paused) break;
      }
    } else {
      start = this.pushWithCR(chunk, start);
    }
    if (start >= chunk.length) return;
    if (this.paused) this.held = chunk.subarray(start);
    else this.keep(chunk.subarray(start));
  }

  /** Delivers everything held, whatever a pause says (the stream has ended), and the final partial line, if any. */
  end(): void {
    while (this.paused || this.held !== null) this.resume();
    if (this.pendingBytes > 0) this.flushPending(Buffer.alloc(0), 0, 0);
    this.afterCR = false;
  }

  private pushWithCR(chunk: Buffer, from: number): number {
    let start = from;
    let nl = chunk.indexOf(LF, start);
    let cr = chunk.indexOf(CR, start);
    while (nl !== -1 || cr !== -1) {
      if (cr !== -1 && (nl === -1 || cr < nl)) {
        this.line(chunk, start, cr);
        if (cr + 1 === chunk.length) {
          this.afterCR = true;
          return chunk.length;
        }
        start = chunk[cr + 1] === LF ? cr + 2 : cr + 1;
        if (this.paused) return start;
        if (nl === cr + 1) nl = chunk.indexOf(LF, start);
        cr = chunk.indexOf(CR, start);
      } else {
        this.line(chunk, start, nl);
        start = nl + 1;
        if (this.paused) return start;
        nl = chunk.indexOf(LF, start);
      }
    }
    return start;
  }

  private line(chunk: Buffer, start: number, end: number): void {
    if (this.pendingBytes === 0 && end - start <= this.maxLineBytes) {
      this.onLine(chunk.toString(this.encoding, start, end));
    } else {
      this.flushPending(chunk, start, end);
    }
  }

  /** Emits pending bytes plus `chunk[start, end)` as one line, cut into pieces of at most `maxLineBytes`. */
  private flushPending(chunk: Buffer, start: number, end: number): void {
    this.pending.push(chunk.subarray(start, end));
    let joined = Buffer.concat(this.pending, this.pendingBytes + (end - start));
    this.pending = [];
    this.pendingBytes = 0;
    while (joined.length > this.maxLineBytes) {
      const cut = utf8Boundary(joined, this.maxLineBytes);
      this.onLine(joined.toString('utf8', 0, cut));
      joined = joined.subarray(cut);
    }
    this.onLine(joined.toString('utf8'));
  }

  private keep(rest: Buffer): void {
    this.pending.push(rest);
    this.pendingBytes += rest.length;
    if (this.pendingBytes <= this.maxLineBytes) return;
    // a line without a terminator grew past the limit: emit full pieces now, keep the remainder
    let joined = Buffer.concat(this.pending, this.pendingBytes);
    while (joined.length > this.maxLineBytes) {
      const cut = utf8Boundary(joined, this.maxLineBytes);
      this.onLine(joined.toString('utf8', 0, cut));
      joined = joined.subarray(cut);
    }
    this.pending = joined.length > 0 ? [Buffer.from(joined)] : [];
    this.pendingBytes = joined.length;
  }
}
