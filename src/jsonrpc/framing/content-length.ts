/**
 * LSP-style `Content-Length` headers, read as leniently as SynapseCLI's
 * extension runtime reads them: a header line ends in `\r\n` or a bare `\n`,
 * the name is matched without regard to case and with blanks around it, and
 * a line of blanks ends the block. Other header lines are allowed.
 *
 * Unlike SynapseCLI (for which any of this is fatal), nothing here stops the
 * reader, and nothing makes it hold more than one frame plus a header block:
 * - bytes that cannot be a header block are `garbage`, reported once per
 *   burst (when the next frame starts, or at the end of the stream; with
 *   `'chunk'` reports, also at the end of each chunk), and the decoder
 *   resynchronises on the next `Content-Length` or line;
 * - a body over the cap — whatever its declared length, however many digits
 *   — is `oversized` and skipped by its length as it streams past.
 */
import type { FrameEvent } from './types.js';
import { QueuedDecoder, sample } from './queued.js';

const LF = 10;
const CR = 13;
const MARKER = 'content-length';
const SAMPLE_BYTES = 64;
const CONTENT_LENGTH = /^[ \t]*content-length[ \t]*:[ \t]*\+?([0-9]+)$/i;
const CONTENT_LENGTH_NAME = /^[ \t]*content-length[ \t]*:/i;
const HEADER_LINE = /^[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*:[^\r\n]*$/;
/** What a header line may start as, before its end has arrived. */
const HEADER_START = /^[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]*[ \t]*(:[^\r\n]*)?$/;
const TRAILING_BLANKS = /[ \t\r\v\f]+$/;

/** Length of the longest tail of `text` (lower case) that is a proper prefix of `content-length`. */
function partialMarker(text: string): number {
  for (let n = Math.min(MARKER.length - 1, text.length); n > 0; n--) {
    if (MARKER.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

/** What one complete header line is. */
type Line = { readonly kind: 'blank' } | { readonly kind: 'length'; readonly digits: string } | { readonly kind: 'header' } | { readonly kind: 'bad' };

export class ContentLengthDecoder extends QueuedDecoder {
  /** Body length once a header block was read; the body is then awaited. */
  private bodyLength = -1;
  /** Bytes of an oversized body still to skip. */
  private skipBody = 0;
  /** Longest header block considered: a few header lines and the blank line. */
  private readonly headerBlockLimit: number;
  /** The garbage burst in progress: bytes skipped since the last frame, and the first of them. */
  private garbage = 0;
  private garbageSample: Buffer[] = [];
  private garbageSampled = 0;

  constructor(
    private readonly max: number,
    private readonly maxHeaderLine: number,
    private readonly reports: 'burst' | 'chunk' = 'chunk',
  ) {
    super();
    this.headerBlockLimit = maxHeaderLine * 4 + 4;
  }

  push(chunk: Buffer): FrameEvent[] {
    const events = this.read(chunk);
    if (this.reports === 'chunk') this.reportGarbage(events);
    return events;
  }

  private read(chunk: Buffer): FrameEvent[] {
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

  override flush(): FrameEvent[] {
    const events: FrameEvent[] = [];
    this.reportGarbage(events);
    return events;
  }

  /** Reads one header block, or skips garbage; false when more bytes are needed. */
  private readHeader(events: FrameEvent[]): boolean {
    let length: string | null = null;
    let pos = 0;
    for (;;) {
      const lineLimit = Math.min(this.queue.length, pos + this.maxHeaderLine + 2);
      const lf = this.queue.indexOf(LF, lineLimit, pos);
      if (lf === -1) {
        // the line has not ended within what is held
        if (this.queue.length - pos > this.maxHeaderLine + 1) return this.skip(pos + this.maxHeaderLine + 2);
        if (this.queue.length < this.headerBlockLimit && this.couldStartHeader(pos)) return false;
        return this.skip(this.queue.length, true);
      }
      if (lf + 1 > this.headerBlockLimit) return this.skip(Math.max(pos, 1));
      const line = this.classify(pos, lf);
      pos = lf + 1;
      if (line.kind === 'bad') return this.skip(pos);
      if (line.kind === 'length') length = line.digits;
      if (line.kind !== 'blank') continue;
      if (length === null) return this.skip(pos);
      this.reportGarbage(events);
      this.queue.drop(pos);
      const declared = Number(length);
      if (declared > this.max) {
        // any number of digits: skipped as it streams past, never held (past 2^53 − 1, in practice the rest of the stream)
        const bytes = Math.min(declared, Number.MAX_SAFE_INTEGER);
        events.push({ kind: 'oversized', bytes, fatal: false });
        this.skipBody = bytes;
      } else {
        this.bodyLength = declared;
      }
      return true;
    }
  }

  /** The complete line from `start` to the `\n` at `lf`. */
  private classify(start: number, lf: number): Line {
    const end = lf > start && this.queue.peek(lf)[lf - 1] === CR ? lf - 1 : lf;
    if (end - start > this.maxHeaderLine) return { kind: 'bad' };
    const text = this.queue.peek(lf).toString('latin1', start, end).replace(TRAILING_BLANKS, '');
    if (text === '') return { kind: 'blank' };
    const match = CONTENT_LENGTH.exec(text);
    if (match) return { kind: 'length', digits: match[1] as string };
    if (CONTENT_LENGTH_NAME.test(text)) return { kind: 'bad' };
    return HEADER_LINE.test(text) ? { kind: 'header' } : { kind: 'bad' };
  }

  /** True while the unfinished line from `start` could still become a header line. */
  private couldStartHeader(start: number): boolean {
    let text = this.queue.peek(this.queue.length).toString('latin1', start);
    if (text.endsWith('\r')) text = text.slice(0, -1); // the `\n` is still to come
    return HEADER_START.test(text);
  }

  /**
   * Skips garbage: up to the next `Content-Length` after the first byte if
   * one starts before `end`, else up to `end`. `atEnd`: `end` is the end of
   * what is held, and the bytes after it are unknown, so a tail that may be
   * the start of `Content-Length` is kept.
   */
  private skip(end: number, atEnd = false): boolean {
    const text = this.queue.peek(end).toString('latin1', 0, end).toLowerCase();
    const next = text.indexOf(MARKER, 1);
    const count = next !== -1 ? next : Math.max(1, atEnd ? end - partialMarker(text) : end);
    if (this.garbageSampled < SAMPLE_BYTES) {
      const head = Buffer.from(this.queue.peek(Math.min(count, SAMPLE_BYTES - this.garbageSampled)));
      this.garbageSample.push(head);
      this.garbageSampled += head.length;
    }
    this.garbage += count;
    this.queue.drop(count);
    return this.queue.length > 0;
  }

  /** Ends the garbage burst in progress: one report for all of it. */
  private reportGarbage(events: FrameEvent[]): void {
    if (this.garbage === 0) return;
    events.push({ kind: 'garbage', bytes: this.garbage, sample: sample(Buffer.concat(this.garbageSample)) });
    this.garbage = 0;
    this.garbageSample = [];
    this.garbageSampled = 0;
  }
}
