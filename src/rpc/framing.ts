/**
 * Message framing for JSON-RPC over byte streams, in the three forms the
 * origins use: LSP-style `Content-Length` headers (the extension runtime),
 * newline-delimited JSON, and kanade's 4-byte little-endian length prefix.
 *
 * A decoder turns received chunks into frame events. It never holds more than
 * one frame plus a header, never throws on hostile input, and says what it did
 * with bytes it could not use: a frame over the cap is `oversized`, bytes that
 * are not a frame are `garbage` (after which it resynchronises on the next
 * header or line), so a reader can report problems instead of dying or
 * silently dropping data.
 */
import { ByteQueue } from './byte-queue.js';

/** The supported framings. */
export type Framing = 'content-length' | 'ndjson' | 'length-prefix';

/** What a decoder found in the stream. */
export type FrameEvent =
  | { readonly kind: 'message'; readonly text: string }
  /** A frame larger than `maxFrameBytes`. With `length-prefix` it is `fatal`: nothing marks where the next frame starts. */
  | { readonly kind: 'oversized'; readonly bytes: number; readonly fatal: boolean }
  /** Bytes skipped while looking for the next frame; `sample` is their start, for the report. */
  | { readonly kind: 'garbage'; readonly bytes: number; readonly sample: string };

/** Limits of a decoder. */
export interface FramingOptions {
  /** Largest frame body. @default 4 MiB for content-length and ndjson, 1 MiB for length-prefix (the origins' caps) */
  readonly maxFrameBytes?: number;
  /** Longest `Content-Length` header line. @default 1024 */
  readonly maxHeaderLineBytes?: number;
}

/** The origins' caps: 4 MiB (extension runtime), 1 MiB (kanade). */
export const DEFAULT_MAX_FRAME_BYTES: Readonly<Record<Framing, number>> = {
  'content-length': 4 * 1024 * 1024,
  ndjson: 4 * 1024 * 1024,
  'length-prefix': 1024 * 1024,
};

/** Incremental decoder for one direction of one stream. */
export interface FrameDecoder {
  /** Feeds a chunk and returns the events it completed, in order. */
  push(chunk: Buffer): FrameEvent[];
  /** Bytes held that do not yet form a complete frame. */
  readonly pending: number;
}

/** Encodes one message body in `framing`. */
export function encodeFrame(framing: Framing, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  switch (framing) {
    case 'content-length':
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    case 'ndjson':
      // JSON.stringify never emits a raw newline, so a message is always one line
      return Buffer.concat([body, Buffer.from('\n')]);
    case 'length-prefix': {
      const header = Buffer.alloc(4);
      header.writeUInt32LE(body.length, 0);
      return Buffer.concat([header, body]);
    }
  }
}

/** Creates a decoder for `framing`. */
export function createFrameDecoder(framing: Framing, options: FramingOptions = {}): FrameDecoder {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES[framing];
  switch (framing) {
    case 'content-length':
      return new ContentLengthDecoder(maxFrameBytes, options.maxHeaderLineBytes ?? 1024);
    case 'ndjson':
      return new NdjsonDecoder(maxFrameBytes);
    case 'length-prefix':
      return new LengthPrefixDecoder(maxFrameBytes);
  }
}

function sample(bytes: Buffer): string {
  return bytes.subarray(0, 64).toString('utf8');
}

class NdjsonDecoder implements FrameDecoder {
  private readonly queue = new ByteQueue();
  private skipping = 0;
  /** Bytes at the front of the queue already searched for a newline: a line arriving in many small chunks is scanned once, not once per chunk. */
  private scanned = 0;

  constructor(private readonly max: number) {}

  get pending(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    this.queue.push(chunk);
    for (;;) {
      if (this.skipping > 0) {
        // inside an over-long line: discard up to and including its newline
        const newline = this.queue.indexOf(10);
        if (newline === -1) {
          this.skipping += this.queue.length;
          this.queue.clear();
          return events;
        }
        this.queue.drop(newline + 1);
        events.push({ kind: 'oversized', bytes: this.skipping + newline, fatal: false });
        this.skipping = 0;
        continue;
      }
      const newline = this.queue.indexOf(10, this.max + 2, this.scanned);
      if (newline === -1) {
        this.scanned = Math.min(this.queue.length, this.max + 2);
        if (this.queue.length > this.max + 1) {
          // an over-long line: if its end is already here, only it goes, not the lines after it
          const end = this.queue.indexOf(10, this.queue.length, this.scanned);
          this.scanned = 0;
          if (end !== -1) {
            this.queue.drop(end + 1);
            events.push({ kind: 'oversized', bytes: end, fatal: false });
            continue;
          }
          this.skipping = this.queue.length;
          this.queue.clear();
        }
        return events;
      }
      this.scanned = 0;
      const line = this.queue.take(newline + 1);
      const end = line.length >= 2 && line[line.length - 2] === 13 ? line.length - 2 : line.length - 1;
      if (end > this.max) events.push({ kind: 'oversized', bytes: end, fatal: false });
      else if (line.subarray(0, end).some((byte) => byte !== 32 && byte !== 9 && byte !== 13)) {
        events.push({ kind: 'message', text: line.toString('utf8', 0, end) });
      }
    }
  }
}

class LengthPrefixDecoder implements FrameDecoder {
  private readonly queue = new ByteQueue();
  private dead = false;

  constructor(private readonly max: number) {}

  get pending(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): FrameEvent[] {
    if (this.dead) return [];
    const events: FrameEvent[] = [];
    this.queue.push(chunk);
    while (this.queue.length >= 4) {
      const size = this.queue.peek(4).readUInt32LE(0);
      if (size > this.max) {
        // nothing marks where the next frame would start: the stream cannot be trusted any more
        this.dead = true;
        this.queue.clear();
        events.push({ kind: 'oversized', bytes: size, fatal: true });
        return events;
      }
      if (this.queue.length < 4 + size) break;
      this.queue.drop(4);
      events.push({ kind: 'message', text: this.queue.take(size).toString('utf8') });
    }
    return events;
  }
}

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

class ContentLengthDecoder implements FrameDecoder {
  private readonly queue = new ByteQueue();
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
    this.headerBlockLimit = maxHeaderLine * 4 + 4;
  }

  get pending(): number {
    return this.queue.length;
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
