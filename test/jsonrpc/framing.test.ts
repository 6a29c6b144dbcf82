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
