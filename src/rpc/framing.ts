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
import { ContentLengthDecoder } from './decoders/content-length.js';
import { LengthPrefixDecoder } from './decoders/length-prefix.js';
import { NdjsonDecoder } from './decoders/ndjson.js';

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
