import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFrameDecoder, encodeFrame, type FrameEvent, type Framing } from '../../src/jsonrpc/index.js';

const FRAMINGS: Framing[] = ['content-length', 'ndjson', 'length-prefix'];
const PROPERTY = { seed: 42, numRuns: 200 } as const;

function feed(framing: Framing, chunks: Buffer[], maxFrameBytes?: number): FrameEvent[] {
  const decoder = createFrameDecoder(framing, maxFrameBytes === undefined ? {} : { maxFrameBytes });
  return chunks.flatMap((chunk) => decoder.push(chunk));
}

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    out.push(bytes.subarray(start, point));
    start = point;
  }
  out.push(bytes.subarray(start));
  return out;
}

const messages = fc.array(fc.jsonValue().map((value) => JSON.stringify(value)), { minLength: 1, maxLength: 8 });
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('framing round trips', () => {
  for (const framing of FRAMINGS) {
    it(`${framing}: any messages, any chunking, come out as sent`, () => {
      fc.assert(
        fc.property(messages, cuts, (texts, at) => {
          const bytes = Buffer.concat(texts.map((text) => encodeFrame(framing, text)));
          const events = feed(framing, chunked(bytes, at));
          expect(events).toEqual(texts.map((text) => ({ kind: 'message', text })));
        }),
        PROPERTY,
      );
    });

    it(`${framing}: arbitrary bytes never throw and never make it hold more than a frame`, () => {
      fc.assert(
        fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
          const decoder = createFrameDecoder(framing, { maxFrameBytes: 256 });
          for (const chunk of chunks) {
            decoder.push(Buffer.from(chunk));
            expect(decoder.pending).toBeLessThanOrEqual(256 + 1024 * 4 + 300 + 4);
          }
        }),
        PROPERTY,
      );
    });
  }
});

describe('content-length', () => {
  it('reads extra headers, multi-byte bodies, and frames split anywhere', () => {
    const body = '{"jsonrpc":"2.0","method":"task.log","params":{"id":"x","line":"héllo €"}}';
    const frame = Buffer.concat([Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);
    expect(feed('content-length', [...frame].map((byte) => Buffer.from([byte])))).toEqual([{ kind: 'message', text: body }]);
  });

  it('resynchronises after garbage and reports what it skipped', () => {
    const good = encodeFrame('content-length', '{"a":1}');
    const events = feed('content-length', [Buffer.from('this is not a header\r\n\r\n'), good, Buffer.from('junk'), good]);
    expect(events.filter((event) => event.kind === 'message')).toEqual([
      { kind: 'message', text: '{"a":1}' },
      { kind: 'message', text: '{"a":1}' },
    ]);
    const garbage = events.filter((event) => event.kind === 'garbage');
    expect(garbage.reduce((sum, event) => sum + (event.kind === 'garbage' ? event.bytes : 0), 0)).toBe('this is not a header\r\n\r\n'.length + 'junk'.length);
    expect(garbage[0]?.kind === 'garbage' && garbage[0].sample).toMatch(/^this is not a header/);
  });

  it('skips a frame over the cap (reported as oversized) and reads the next one', () => {
    const big = encodeFrame('content-length', `"${'x'.repeat(2000)}"`);
    const events = feed('content-length', [big, encodeFrame('content-length', '1')], 1024);
    expect(events).toEqual([
      { kind: 'oversized', bytes: 2002, fatal: false },
      { kind: 'message', text: '1' },
    ]);
  });

  it('treats a header line over 1024 bytes as garbage, not as a header', () => {
    const events = feed('content-length', [Buffer.from(`X-Long: ${'a'.repeat(1100)}\r\n`), encodeFrame('content-length', '2')]);
    expect(events.at(-1)).toEqual({ kind: 'message', text: '2' });
    expect(events.some((event) => event.kind === 'garbage')).toBe(true);
  });

  it('refuses a header without Content-Length', () => {
    const events = feed('content-length', [Buffer.from('Content-Type: x\r\n\r\n'), encodeFrame('content-length', '3')]);
    expect(events.at(-1)).toEqual({ kind: 'message', text: '3' });
    expect(events[0]?.kind).toBe('garbage');
  });
});

describe('ndjson', () => {
  it('strips CR, skips blank lines, and reports an over-long line without losing the next', () => {
    const events = feed('ndjson', [Buffer.from('{"a":1}\r\n\n  \n'), Buffer.from(`${'x'.repeat(300)}`), Buffer.from(`${'y'.repeat(300)}\n{"b":2}\n`)], 256);
    expect(events).toEqual([
      { kind: 'message', text: '{"a":1}' },
      { kind: 'oversized', bytes: 600, fatal: false },
      { kind: 'message', text: '{"b":2}' },
    ]);
  });

  it('an over-long line that arrives together with the lines after it loses none of them', () => {
    const events = feed('ndjson', [Buffer.from(`${'x'.repeat(5000)}\n{"a":1}\n{"b":2}\n`)], 1024);
    expect(events).toEqual([
      { kind: 'oversized', bytes: 5000, fatal: false },
      { kind: 'message', text: '{"a":1}' },
      { kind: 'message', text: '{"b":2}' },
    ]);
  });
});

describe('length-prefix (kanade)', () => {
  it('reads little-endian length-prefixed frames', () => {
    const frame = encodeFrame('length-prefix', '{"jsonrpc":"2.0","id":1,"method":"jobs.list"}');
    expect(frame.readUInt32LE(0)).toBe(frame.length - 4);
    expect(feed('length-prefix', [frame.subarray(0, 2), frame.subarray(2)])).toEqual([{ kind: 'message', text: '{"jsonrpc":"2.0","id":1,"method":"jobs.list"}' }]);
  });

  it('an oversized frame is fatal: nothing after it is trusted', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(1024 * 1024 + 1, 0);
    const decoder = createFrameDecoder('length-prefix');
    expect(decoder.push(Buffer.concat([encodeFrame('length-prefix', '1'), header]))).toEqual([
      { kind: 'message', text: '1' },
      { kind: 'oversized', bytes: 1024 * 1024 + 1, fatal: true },
    ]);
    expect(decoder.push(encodeFrame('length-prefix', '2'))).toEqual([]);
  });
});

describe("content-length, read as SynapseCLI's extension runtime reads it", () => {
  const body = '{"a":1}';

  it('accepts LF-only header lines, blanks around the name and value, any case, a + sign and leading zeros', () => {
    const variants = [
      `Content-Length: 7\n\n${body}`,
      `Content-Type: x\ncontent-length: 7\r\n\n${body}`,
      `  CONTENT-LENGTH :  7  \r\n \t \n${body}`,
      `Content-Length: +007\r\n\r\n${body}`,
      `Content-Length: 5\nContent-Length: 7\n\n${body}`,
    ];
    for (const text of variants) {
      const bytes = Buffer.from(text);
      expect(feed('content-length', [bytes]), JSON.stringify(text)).toEqual([{ kind: 'message', text: body }]);
      expect(feed('content-length', [...bytes].map((byte) => Buffer.from([byte]))), JSON.stringify(text)).toEqual([{ kind: 'message', text: body }]);
    }
  });

  it('a Content-Length of any number of digits over the cap is oversized and skipped by its length, streaming', () => {
    const decoder = createFrameDecoder('content-length', { maxFrameBytes: 1024 });
    expect(decoder.push(Buffer.from('Content-Length: 3000\r\n\r\n'))).toEqual([{ kind: 'oversized', bytes: 3000, fatal: false }]);
    expect(decoder.push(Buffer.alloc(3000, 0x78))).toEqual([]);
    expect(decoder.push(encodeFrame('content-length', body))).toEqual([{ kind: 'message', text: body }]);
    // eleven digits: once garbage, now a frame too large to hold, skipped as it arrives
    expect(decoder.push(Buffer.from('Content-Length: 99999999999\n\n'))).toEqual([{ kind: 'oversized', bytes: 99_999_999_999, fatal: false }]);
    for (let n = 0; n < 32; n++) {
      expect(decoder.push(Buffer.alloc(64 * 1024, 0x7b))).toEqual([]);
      expect(decoder.pending).toBe(0);
    }
  });

  it('a length past 2^53 − 1 is reported as 2^53 − 1: the rest of the stream, in practice', () => {
    const decoder = createFrameDecoder('content-length');
    expect(decoder.push(Buffer.from(`Content-Length: ${'9'.repeat(400)}\r\n\r\n${body}`))).toEqual([{ kind: 'oversized', bytes: Number.MAX_SAFE_INTEGER, fatal: false }]);
    expect(decoder.pending).toBe(0);
  });

  it("garbage is reported once per burst with `garbageReports: 'burst'` (a plugin's stdout), however long and however it arrives", () => {
    const junk = Buffer.concat([Buffer.from('Starting up...\n'), Buffer.from('log: '.repeat(2000)), Buffer.alloc(10_000, 0xff), Buffer.from('\r\n\r\n\n')]);
    const stream = Buffer.concat([junk, encodeFrame('content-length', body), Buffer.from('junk\n'), encodeFrame('content-length', body)]);
    for (const size of [1, 7, 1000, 4096, stream.length]) {
      const chunks = Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.subarray(i * size, (i + 1) * size));
      const decoder = createFrameDecoder('content-length', { garbageReports: 'burst' });
      expect(chunks.flatMap((chunk) => decoder.push(chunk)), `chunks of ${size}`).toEqual([
        { kind: 'garbage', bytes: junk.length, sample: junk.subarray(0, 64).toString() },
        { kind: 'message', text: body },
        { kind: 'garbage', bytes: 5, sample: 'junk\n' },
        { kind: 'message', text: body },
      ]);
    }
  });

  it("by default ('chunk') a burst is also reported at the end of each chunk, so a peer waiting for an answer gets one", () => {
    const decoder = createFrameDecoder('content-length');
    expect(decoder.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toEqual([{ kind: 'garbage', bytes: 27, sample: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' }]);
    const junk = Buffer.alloc(10_000, 0xff);
    const events = [0, 1, 2].flatMap((n) => decoder.push(junk.subarray(n * 4000, (n + 1) * 4000)));
    expect(events.map((event) => event.kind)).toEqual(['garbage', 'garbage', 'garbage']);
    expect(events.reduce((sum, event) => sum + (event.kind === 'garbage' ? event.bytes : 0), 0)).toBe(10_000);
  });

  it("with 'burst' reports, a burst still going when the stream ends is reported by flush()", () => {
    const decoder = createFrameDecoder('content-length', { garbageReports: 'burst' });
    expect(decoder.push(Buffer.from('\0\0 not a frame\n'.repeat(1000)))).toEqual([]);
    expect(decoder.flush()).toEqual([{ kind: 'garbage', bytes: 15_000, sample: '\0\0 not a frame\n'.repeat(5).slice(0, 64) }]);
    expect(decoder.flush()).toEqual([]);
  });

  it('still refuses what cannot be a length: a sign, an exponent, no digits, a NUL', () => {
    for (const value of ['-5', '1e3', '', 'nope', '2\0']) {
      const events = feed('content-length', [Buffer.from(`Content-Length: ${value}\n\n`), encodeFrame('content-length', body)]);
      expect(events.map((event) => event.kind), JSON.stringify(value)).toEqual(['garbage', 'message']);
    }
  });
});
