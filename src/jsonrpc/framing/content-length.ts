/**
 * LSP-style `Content-Length` headers, as the extension runtime writes them.
 * Other header lines are allowed; anything that cannot be a header block is
 * `garbage`, and the decoder resynchronises on the next `Content-Length:`.
 * An oversized body is skipped by its declared length.
 */
import type { FrameEvent } from './types.js';
import { QueuedDecoder, sample } from './queued.js';

const HEADER_END = Buffer.from('\r\n\r\n');
const MARKER = 'content-length:';

/** Length of the longest tail of `text` that is a proper prefix of `content-length:`. */
function partialMarker(text: string): number {
  for (let n = Math.min(MARKER.length - 1, text.length); n > 0; n--) {
    if (MARKER.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}
const CONTENT_LENGTH = /^content-length:[ \t]*(\d{1,10})[ \t]*$/i;
const HEADER_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*$/;

export class ContentLengthDecoder extends QueuedDecoder {
  /** Body length once a header block was read; the body is then awaited. */
  private bodyLength = -1;
  /** Bytes of an oversized body still to skip. */
  private skipBody = 0;
  /** Longest header block considered: a few header lines and the blank line. */
  private readonly headerBlockLimit: number;

  constructor(
    private readonly max: number,
    private readonly maxHeaderLine: number,
  ) {
    super();
    this.headerBlockLimit = maxHeaderLine * 4 + 4;
  }

  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    this.queue.push(chunk);
    for (;;) {
      if (this.skipBody > 0) {
        const skipped = Math.min(this.skipBody, this.queue.length);
        this.queue.drop(skipped);
        this.skipBody -= skipped;
        if (this.skipBody > 0) return events;
      }
      if (this.bodyLength >= 0) {
        if (this.queue.length < this.bodyLength) return events;
        events.push({ kind: 'message', text: this.queue.take(this.bodyLength).toString('utf8') });
        this.bodyLength = -1;
        continue;
      }
      if (!this.readHeader(events)) return events;
    }
  }

  /** Parses one header block if complete; returns false when more bytes are needed. */
  private readHeader(events: FrameEvent[]): boolean {
    const window = this.queue.peek(this.headerBlockLimit);
    const end = window.indexOf(HEADER_END);
    if (end === -1) {
      // no complete header block yet: wait while it can still become one, else skip ahead
      if (this.queue.length < this.headerBlockLimit && this.looksLikeHeaderStart(window)) return false;
      this.resync(events, window);
      return this.queue.length > 0;
    }
    const lines = window.toString('latin1', 0, end).split('\r\n');
    let length = -1;
    for (const line of lines) {
      const match = CONTENT_LENGTH.exec(line);
      if (match) length = Number(match[1]);
      else if (line.length > this.maxHeaderLine || !HEADER_LINE.test(line)) length = -2;
      if (length === -2) break;
    }
    if (length < 0 || lines.some((line) => line.length > this.maxHeaderLine)) {
      this.resync(events, window);
      return this.queue.length > 0;
    }
    this.queue.drop(end + 4);
    if (length > this.max) {
      events.push({ kind: 'oversized', bytes: length, fatal: false });
      this.skipBody = length;
    } else {
      this.bodyLength = length;
    }
    return true;
  }

  /** True while `window` could still be the start of a valid header line. */
  private looksLikeHeaderStart(window: Buffer): boolean {
    const firstLineEnd = window.indexOf('\r\n');
    let first = window.toString('latin1', 0, firstLineEnd === -1 ? Math.min(window.length, this.maxHeaderLine + 1) : firstLineEnd);
    if (firstLineEnd === -1 && first.endsWith('\r')) first = first.slice(0, -1); // the `\n` is still to come
    if (first.length > this.maxHeaderLine) return false;
    return /^[!#$%&'*+.^_`|~0-9A-Za-z-]*(:[^\r\n]*)?$/.test(first);
  }

  /** Skips to the next `Content-Length:` after the start, keeping a tail that may be the start of one. */
  private resync(events: FrameEvent[], window: Buffer): void {
    const text = window.toString('latin1').toLowerCase();
    const next = text.indexOf(MARKER, 1);
    const skip = next === -1 ? Math.max(1, window.length - partialMarker(text)) : next;
    events.push({ kind: 'garbage', bytes: skip, sample: sample(window.subarray(0, skip)) });
    this.queue.drop(skip);
  }
}
