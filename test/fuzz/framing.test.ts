/**
 * `createFrameDecoder`, all three framings: whatever arrives, in whatever
 * chunks, it never throws, holds at most one frame plus a header, reports only
 * documented events, delivers no frame over the cap, reads well-formed streams
 * exactly, resynchronises after garbage where the framing allows, and stays
 * linear when a frame trickles in byte by byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameDecoder, encodeFrame, type FrameEvent, type Framing } from '../../src/jsonrpc/index.js';
import { FRAMINGS, chunked, frameBody, hostileStream, stream } from './arbitraries.js';
import { FUZZ_TIMEOUT, fuzz } from './runs.js';

const MAX = 2048;
const HEADER_LINE = 256;
/** One frame plus the longest header block the Content-Length decoder considers (and a length prefix). */
const BOUND = MAX + HEADER_LINE * 4 + 4 + 4;

function feed(framing: Framing, chunks: readonly Buffer[]): FrameEvent[] {
  const decoder = createFrameDecoder(framing, { maxFrameBytes: MAX, maxHeaderLineBytes: HEADER_LINE });
  const events: FrameEvent[] = [];
  for (const chunk of chunks) {
    events.push(...decoder.push(chunk));
    expect(decoder.pending).toBeLessThanOrEqual(BOUND);
  }
  return events;
}

function checkEvents(events: readonly FrameEvent[], framing: Framing): void {
  let fatal = false;
  for (const event of events) {
    expect(fatal, 'nothing after a fatal event').toBe(false);
    if (event.kind === 'message') expect(event.text.length).toBeLessThanOrEqual(MAX);
    else if (event.kind === 'oversized') {
      expect(event.bytes).toBeGreaterThan(MAX);
      expect(event.fatal).toBe(framing === 'length-prefix');
      fatal = event.fatal;
    } else {
      expect(event.kind).toBe('garbage');
      expect(event.bytes).toBeGreaterThan(0);
      expect(framing).toBe('content-length');
    }
  }
}

describe.each(FRAMINGS)('createFrameDecoder(%s)', (framing) => {
  it('hostile streams: no throw, bounded pending, only documented events', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(hostileStream(framing, MAX), (chunks) => {
        checkEvents(feed(framing, chunks), framing);
      }),
      fuzz(300),
    );
  });

  it('well-formed streams read exactly, however they are cut', { timeout: FUZZ_TIMEOUT }, () => {
    const bodies = fc.array(frameBody.filter((body) => Buffer.byteLength(body) <= MAX && (framing !== 'ndjson' || (!body.includes('\n') && body.trim() !== '' && !body.endsWith('\r')))), { maxLength: 10 });
    fc.assert(
      fc.property(bodies.chain((list) => fc.tuple(fc.constant(list), chunked(Buffer.concat(list.map((body) => encodeFrame(framing, body)))))), ([list, chunks]) => {
        const decoder = createFrameDecoder(framing, { maxFrameBytes: MAX, maxHeaderLineBytes: HEADER_LINE });
        const texts = chunks.flatMap((chunk) => decoder.push(chunk)).map((event) => (event.kind === 'message' ? event.text : `<${event.kind}>`));
        expect(texts).toEqual(list.map((body) => Buffer.from(body).toString('utf8')));
        expect(decoder.pending).toBe(0);
      }),
      fuzz(300),
    );
  });

  if (framing !== 'length-prefix') {
    it('after garbage it resynchronises: the frames that follow a line break are read', { timeout: FUZZ_TIMEOUT }, () => {
      const garbage = fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0a && byte !== 0x0d)));
      const frames = fc.array(frameBody.filter((body) => Buffer.byteLength(body) <= MAX && !body.includes('\n') && !body.endsWith('\r') && body.trim() !== ''), { minLength: 1, maxLength: 5 });
      fc.assert(
        fc.property(garbage, frames, (junk, list) => {
          // Content-Length resynchronises on the next header; a blank line first ends any header-looking junk.
          const separator = framing === 'ndjson' ? '\n' : '\r\n\r\n';
          const whole = Buffer.concat([junk, Buffer.from(separator), ...list.map((body) => encodeFrame(framing, body))]);
          const messages = feed(framing, [whole]).flatMap((event) => (event.kind === 'message' ? [event.text] : []));
          expect(messages.slice(-list.length)).toEqual(list.map((body) => Buffer.from(body).toString('utf8')));
        }),
        fuzz(200),
      );
    });
  }

  it('hostile sizes: a frame of up to 4× the cap trickling in small chunks', { timeout: FUZZ_TIMEOUT }, () => {
    const piece = fc.integer({ min: 1, max: 4 * MAX }).map((size) => encodeFrame(framing, 'y'.repeat(size)));
    fc.assert(
      fc.property(stream(piece.map((frame) => Buffer.concat([frame, encodeFrame(framing, '{}')]))), (chunks) => {
        const events = feed(framing, chunks.flatMap((chunk) => Array.from({ length: Math.ceil(chunk.length / 7) }, (_, i) => chunk.subarray(i * 7, i * 7 + 7))));
        checkEvents(events, framing);
      }),
      fuzz(40, 0.1),
    );
  });
});
