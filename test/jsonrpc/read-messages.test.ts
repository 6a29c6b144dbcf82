import { Readable } from 'node:stream';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matching } from '../helpers/matchers.js';
import { encodeFrame, type Framing } from '../../src/jsonrpc/index.js';
import { createMessageParser, type RpcReadEvent } from '../../src/jsonrpc/parser.js';
import type { JsonRpcMessage } from '../../src/jsonrpc/index.js';
import { readMessages } from '../../src/jsonrpc/read-messages.js';

const FRAMINGS: Framing[] = ['content-length', 'ndjson', 'length-prefix'];
const PROPERTY = { seed: 4, numRuns: 150 } as const;

async function readAll(chunks: (Buffer | string)[], options: Parameters<typeof readMessages>[1] = {}): Promise<RpcReadEvent[]> {
  const events: RpcReadEvent[] = [];
  for await (const event of readMessages(Readable.from(chunks, { objectMode: true }), options)) events.push(event);
  return events;
}

const messages = (events: RpcReadEvent[]): JsonRpcMessage[] => events.flatMap((event) => (event.kind === 'message' ? [event.message] : []));

const rpcMessage: fc.Arbitrary<JsonRpcMessage> = fc.oneof(
  fc.record({ jsonrpc: fc.constant('2.0' as const), id: fc.oneof(fc.nat(), fc.string()), method: fc.string(), params: fc.dictionary(fc.string(), fc.jsonValue()) }),
  fc.record({ jsonrpc: fc.constant('2.0' as const), method: fc.string(), params: fc.array(fc.jsonValue()) }),
  fc.record({ jsonrpc: fc.constant('2.0' as const), id: fc.nat(), result: fc.jsonValue() }),
);

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  let start = 0;
  const out = points.map((point) => {
    const piece = bytes.subarray(start, point);
    start = point;
    return piece;
  });
  return [...out, bytes.subarray(start)];
}

describe('readMessages: a framing reader for any stream', () => {
  for (const framing of FRAMINGS) {
    it(`${framing}: messages come out as sent, however the stream is chunked`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(rpcMessage, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), async (sent, cuts) => {
          const bytes = Buffer.concat(sent.map((message) => encodeFrame(framing, JSON.stringify(message))));
          const events = await readAll(chunked(bytes, cuts), { framing });
          // JSON.stringify drops -0 and such; compare what the wire can carry
          expect(events).toEqual(sent.map((message) => ({ kind: 'message', message: JSON.parse(JSON.stringify(message)) as unknown })));
        }),
        PROPERTY,
      );
    });

    it(`${framing}: arbitrary bytes never throw, and the parser never holds more than a frame plus a header`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 16 }), async (chunks) => {
          const parser = createMessageParser({ framing, maxFrameBytes: 256 });
          for (const chunk of chunks) {
            for (const event of parser.push(Buffer.from(chunk))) expect(['message', 'garbage', 'oversized', 'invalid']).toContain(event.kind);
            expect(parser.pending).toBeLessThanOrEqual(256 + 4 * 1024 + 4 + 400);
          }
          await expect(readAll(chunks.map((chunk) => Buffer.from(chunk)), { framing, maxFrameBytes: 256 })).resolves.toBeInstanceOf(Array);
        }),
        PROPERTY,
      );
    });
  }

  it('content-length: resynchronises after garbage between frames and reports what it skipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ maxLength: 40 }).filter((text) => !text.toLowerCase().includes('content-length')), rpcMessage), { minLength: 1, maxLength: 5 }),
        async (pairs) => {
          const bytes = Buffer.concat(pairs.flatMap(([junk, message]) => [Buffer.from(junk), encodeFrame('content-length', JSON.stringify(message))]));
          const events = await readAll([bytes]);
          expect(messages(events)).toEqual(pairs.map(([, message]) => JSON.parse(JSON.stringify(message)) as unknown));
          const skipped = events.reduce((sum, event) => sum + (event.kind === 'garbage' ? event.bytes : 0), 0);
          expect(skipped).toBeLessThanOrEqual(pairs.reduce((sum, [junk]) => sum + Buffer.byteLength(junk), 0));
        },
      ),
      PROPERTY,
    );
  });

  for (const framing of ['content-length', 'ndjson'] as const) {
    it(`${framing}: frames over the limit are skipped one by one, however they are chunked, and no message after them is lost`, async () => {
      const entry = fc.oneof(rpcMessage.map((message) => ({ message })), fc.integer({ min: 300, max: 3000 }).map((size) => ({ size })));
      await fc.assert(
        fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), async (entries, cuts) => {
          const text = (item: { message?: JsonRpcMessage; size?: number }): string => (item.message !== undefined ? JSON.stringify(item.message) : `"${'z'.repeat(item.size ?? 0)}"`);
          const fits = entries.filter((item) => Buffer.byteLength(text(item)) <= 256);
          const bytes = Buffer.concat(entries.map((item) => encodeFrame(framing, text(item))));
          const events = await readAll(chunked(bytes, cuts), { framing, maxFrameBytes: 256 });
          expect(messages(events)).toEqual(fits.map((item) => JSON.parse(text(item)) as unknown));
          expect(events.filter((event) => event.kind === 'oversized')).toHaveLength(entries.length - fits.length);
        }),
        PROPERTY,
      );
    });
  }

  it('ndjson: a line that is not JSON-RPC is reported as invalid and the next line is read', async () => {
    const events = await readAll(['{"jsonrpc":"2.0","method":"a"}\nhello there\n{"x":1}\n', '{"jsonrpc":"2.0","method":"b"}\n'], { framing: 'ndjson' });
    expect(events).toEqual([
      { kind: 'message', message: { jsonrpc: '2.0', method: 'a' } },
      { kind: 'invalid', reason: matching(/^not JSON/), sample: 'hello there', id: null, answerable: true },
      { kind: 'invalid', reason: '"jsonrpc" must be "2.0", got nothing', sample: '{"x":1}', id: null, problem: { rule: 'version', got: undefined }, answerable: true },
      { kind: 'message', message: { jsonrpc: '2.0', method: 'b' } },
    ]);
  });

  it('ndjson: a last line without a newline is still read', async () => {
    expect(messages(await readAll(['{"jsonrpc":"2.0","method":"last"}'], { framing: 'ndjson' }))).toEqual([{ jsonrpc: '2.0', method: 'last' }]);
  });

  it('reports a frame over the limit and reads the next one', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'big', params: ['x'.repeat(5000)] });
    const big = encodeFrame('content-length', body);
    const small = encodeFrame('content-length', '{"jsonrpc":"2.0","method":"small"}');
    const events = await readAll([big, small], { maxFrameBytes: 1024 });
    expect(events).toEqual([
      { kind: 'oversized', bytes: Buffer.byteLength(body), fatal: false },
      { kind: 'message', message: { jsonrpc: '2.0', method: 'small' } },
    ]);
  });

  it('reports a stream that ends inside a frame', async () => {
    const events = await readAll(['Content-Length: 50\r\n\r\n{"jsonrpc"']);
    expect(events).toEqual([{ kind: 'truncated', bytes: 10 }]);
  });

  it('length-prefix: stops after a fatal oversized frame, since nothing marks the next one', async () => {
    const header = Buffer.alloc(4);
    header.writeUInt32LE(2048, 0);
    const events = await readAll([encodeFrame('length-prefix', '{"jsonrpc":"2.0","method":"a"}'), header, encodeFrame('length-prefix', '{"jsonrpc":"2.0","method":"b"}')], { framing: 'length-prefix', maxFrameBytes: 1024 });
    expect(events).toEqual([
      { kind: 'message', message: { jsonrpc: '2.0', method: 'a' } },
      { kind: 'oversized', bytes: 2048, fatal: true },
    ]);
  });

  it('reads strings and Uint8Arrays too', async () => {
    const frame = encodeFrame('content-length', '{"jsonrpc":"2.0","method":"é"}');
    const events = await readAll([frame.toString('latin1').slice(0, 5), new Uint8Array(frame.subarray(5)) as Buffer]);
    expect(messages(events)).toEqual([{ jsonrpc: '2.0', method: 'é' }]);
  });
});
