/**
 * Reading frames: a decoder turns received chunks into frame events. It never
 * holds more than one frame plus a header, never throws on hostile input, and
 * says what it did with bytes it could not use: a frame over the cap is
 * `oversized`, bytes that are not a frame are `garbage` (after which it
 * resynchronises on the next header or line), so a reader can report
 * problems instead of dying or silently dropping data.
 */
import { ContentLengthDecoder } from './content-length.js';
import { LengthPrefixDecoder } from './length-prefix.js';
import { NdjsonDecoder } from './ndjson.js';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HEADER_LINE_BYTES, type FrameDecoder, type Framing, type FramingOptions } from './types.js';

/** Creates a decoder for `framing`. */
export function createFrameDecoder(framing: Framing, options: FramingOptions = {}): FrameDecoder {
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES[framing];
  switch (framing) {
    case 'content-length':
      return new ContentLengthDecoder(maxFrameBytes, options.maxHeaderLineBytes ?? DEFAULT_MAX_HEADER_LINE_BYTES, options.garbageReports ?? 'chunk');
    case 'ndjson':
      return new NdjsonDecoder(maxFrameBytes);
    case 'length-prefix':
      return new LengthPrefixDecoder(maxFrameBytes);
  }
}
