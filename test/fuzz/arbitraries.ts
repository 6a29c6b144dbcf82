/**
 * Generators shared by the fuzz properties: hostile bytes, streams cut into
 * arbitrary chunks, frames of every framing mixed with garbage, JSON that is
 * almost a message, and text with lone surrogates and control characters.
 */
import fc from 'fast-check';
import { encodeFrame, type Framing } from '../../src/jsonrpc/index.js';

export const FRAMINGS: readonly Framing[] = ['content-length', 'ndjson', 'length-prefix'];

/** Cuts `whole` at arbitrary points: every chunking of the same stream must read the same. */
export function chunked(whole: Buffer, maxChunks = 64): fc.Arbitrary<Buffer[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, whole.length - 1) }), { maxLength: Math.min(maxChunks, whole.length) }).map((cuts) => {
    const points = [0, ...cuts.filter((cut) => cut < whole.length).sort((a, b) => a - b), whole.length];
    const chunks: Buffer[] = [];
    for (let i = 1; i < points.length; i++) chunks.push(whole.subarray(points[i - 1], points[i]));
    return chunks.filter((chunk) => chunk.length > 0);
  });
}

/** A stream given as its chunks. */
export function stream(parts: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer[]> {
  return parts.chain((whole) => chunked(whole));
}

/** Plain random bytes, sometimes long. */
export const randomBytes = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1000, maxLength: 9000 }) },
).map((array) => Buffer.from(array));

/** Strings that stress every decoder: lone surrogates, controls, escapes, all of Unicode. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('\\', '"', 'u', 'd', '8', '0', 'c', '\n', '\r', '\0', '\x1b', '[', '{', '\ud800', '\udc00', '\u202e', 'a'), maxLength: 40 }),
  fc.constantFrom('', '\\ud800', '"\\ud83d\\ude00"', '\ufeff', '\u0000', '__proto__', 'constructor', 'toString', '2.0', 'NaN', '-0', '1e400'),
);

/** A JSON value nested `depth` levels deep around `leaf`, in arrays or objects. */
export function nested(depth: number, leaf: unknown, object: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = object ? { k: value } : [value];
  return value;
}

/** Any JSON value, plus values nested up to the depth `decodeWire` admits. */
export const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 127 }), fc.jsonValue({ maxDepth: 1 }), fc.boolean()).map(([depth, leaf, object]) => nested(depth, leaf, object)) },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(-0, 2 ** 53, -(2 ** 53), 1.5, 256, -1, 4_294_967_296, 2_147_483_648, Number.MAX_VALUE) },
);

/** A JSON-RPC-shaped object whose members are right, wrong, missing or absurd. */
export const almostMessage: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), jsonish),
    id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), jsonish),
    method: fc.oneof(fc.constantFrom('jobs.list', 'jobs.execute', 'jobs.kill', 'jobs.subscribe', 'jobs.unsubscribe', 'jobs.progress', 'task.start', 'task.update', 'task.log', 'task.done', 'ping', '$/cancelRequest', '__proto__'), jsonish),
    params: fc.oneof(fc.dictionary(fc.constantFrom('id', 'run_id', 'subscription', 'category', 'label', 'kind', 'current', 'total', 'message', 'line', 'error'), jsonish, { maxKeys: 4 }), fc.array(jsonish, { maxLength: 3 }), jsonish),
    result: jsonish,
    error: fc.oneof(fc.record({ code: fc.oneof(fc.integer(), jsonish), message: fc.oneof(fc.string(), jsonish) }, { requiredKeys: [] }), jsonish),
  },
  { requiredKeys: [] },
);

/** The text of one frame body: usually JSON, sometimes not. */
export const frameBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: almostMessage.map((message) => JSON.stringify(message)) },
  { weight: 1, arbitrary: jsonish.map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 1, arbitrary: hostileString },
);

/** Pieces a hostile peer strings together: frames, broken headers, garbage, huge length prefixes. */
export function framePiece(framing: Framing, maxFrameBytes: number): fc.Arbitrary<Buffer> {
  const prefix = (size: number): Buffer => {
    const head = Buffer.alloc(4);
    head.writeUInt32LE(size >>> 0, 0);
    return head;
  };
  return fc.oneof(
    { weight: 5, arbitrary: frameBody.map((body) => encodeFrame(framing, body)) },
    { weight: 2, arbitrary: randomBytes },
    { weight: 1, arbitrary: fc.integer({ min: maxFrameBytes + 1, max: maxFrameBytes * 3 }).map((size) => encodeFrame(framing, 'x'.repeat(size))) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Content-Length: ', 'content-length:7\r\n\r\n', 'Content-Length: 99999999999\r\n\r\n', 'Content-Length: -1\r\n\r\n', 'Content-Type: x\r\n',
        '\r\n\r\n', '\r\n', '\n', '\r', ' \t\n', 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', `X-Pad: ${'a'.repeat(2000)}\r\n`,
      ).map((text) => Buffer.from(text, 'latin1')),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.integer({ min: 0, max: maxFrameBytes * 2 })).map(prefix) },
  );
}

/** A whole hostile stream in `framing`, as chunks. */
export function hostileStream(framing: Framing, maxFrameBytes: number): fc.Arbitrary<Buffer[]> {
  return stream(fc.array(framePiece(framing, maxFrameBytes), { maxLength: 12 }).map((pieces) => Buffer.concat(pieces)));
}
