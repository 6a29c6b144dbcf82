/**
 * From frames to JSON-RPC messages: `createMessageParser`, `readMessages`,
 * and the classifier shared by the plugin host and the catalog
 * (`classifyMessage`, `readMessage`, `checkMessage`, the problem wordings).
 * Whatever arrives, nothing throws, every event is a documented kind, every
 * message really is what its kind says, memory stays at one frame plus a
 * header, and a reader stops only after a fatal oversized frame.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invalidDetail } from '../../src/catalog/server/unreadable.js';
import { classifyMessage, problemReason, readMessage, type ClassifiedMessage, type MessageRules } from '../../src/jsonrpc/rules.js';
import { createMessageParser, describeReadProblem, type RpcReadEvent } from '../../src/jsonrpc/parser.js';
import { checkMessage } from '../../src/jsonrpc/index.js';
import { readMessages } from '../../src/jsonrpc/read-messages.js';
import { FRAMINGS, almostMessage, hostileStream, jsonish, nested } from './arbitraries.js';
import { FUZZ_TIMEOUT, fuzz } from './runs.js';

const MAX = 2048;
const rules: fc.Arbitrary<MessageRules> = fc.record({ nullRequestId: fc.boolean(), nullParams: fc.boolean(), refuseLoneSurrogates: fc.boolean() }, { requiredKeys: [] });

const isId = (value: unknown): boolean => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
const has = (value: object, key: string): boolean => Object.hasOwn(value, key);

function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([key, item]) => !key.isWellFormed() || hasLoneSurrogate(item));
  return false;
}

/** What each kind promises about the message it carries. */
function checkClassified(classified: ClassifiedMessage, options: MessageRules): void {
  switch (classified.kind) {
    case 'request': {
      const message = classified.message as unknown as Record<string, unknown>;
      expect(message.jsonrpc).toBe('2.0');
      expect(typeof message.method).toBe('string');
      expect(isId(message.id) || (message.id === null && options.nullRequestId !== false)).toBe(true);
      break;
    }
    case 'notification': {
      const message = classified.message as unknown as Record<string, unknown>;
      expect(typeof message.method).toBe('string');
      expect(has(message, 'id')).toBe(false);
      break;
    }
    case 'response': {
      const message = classified.message as unknown as Record<string, unknown>;
      expect(has(message, 'method')).toBe(false);
      expect(has(message, 'result') !== has(message, 'error')).toBe(true);
      expect(isId(message.id) || message.id === null).toBe(true);
      break;
    }
    case 'invalid':
      expect(classified.id === null || isId(classified.id)).toBe(true);
      expect(problemReason(classified.problem).length).toBeGreaterThan(0);
      expect(invalidDetail(classified.problem).length).toBeGreaterThan(0);
      break;
  }
}

function checkRead(events: readonly RpcReadEvent[]): void {
  for (const event of events) {
    if (event.kind === 'message') checkClassified(classifyMessage(event.message, { nullRequestId: false, nullParams: true }), { nullRequestId: false });
    else expect(describeReadProblem(event, MAX).length).toBeGreaterThan(0);
    if (event.kind === 'message') expect(hasLoneSurrogate(event.message)).toBe(false);
  }
}

describe('classifyMessage / readMessage / checkMessage', () => {
  it('any value, any rules: no throw, and each kind holds what it says', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(almostMessage, fc.anything({ withNullPrototype: true, withBigInt: true, withSparseArray: true, withObjectString: true, maxDepth: 3 })), rules, (value, options) => {
        checkClassified(classifyMessage(value, options), options);
        const checked = checkMessage(value);
        if (!checked.ok) expect(checked.reason.length).toBeGreaterThan(0);
      }),
      fuzz(1000),
    );
  });

  it('any text, any rules: no throw; a refused lone surrogate never gets through', { timeout: FUZZ_TIMEOUT }, () => {
    const texts = fc.oneof(
      almostMessage.map((message) => JSON.stringify(message)),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.boolean()).map(([depth, object]) => JSON.stringify({ jsonrpc: '2.0', method: 'x', params: [nested(depth, '\ud800', object)] })),
      fc.integer({ min: 0, max: 300_000 }).map((length) => `{"jsonrpc":"2.0","method":"big","params":[${'0,'.repeat(length)}"\\ud800"]}`),
    );
    fc.assert(
      fc.property(texts, rules, (text, options) => {
        const read = readMessage(text, options);
        if (read.kind === 'unparseable') {
          expect(read.reason).toMatch(/^not JSON: /);
        } else {
          checkClassified(read, options);
          if (options.refuseLoneSurrogates === true && read.kind !== 'invalid') expect(hasLoneSurrogate(read.message)).toBe(false);
        }
      }),
      fuzz(300),
    );
  });
});

describe.each(FRAMINGS)('createMessageParser(%s)', (framing) => {
  it('hostile streams: no throw, bounded pending, every message checked, end() flushes', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(hostileStream(framing, MAX), (chunks) => {
        const parser = createMessageParser({ framing, maxFrameBytes: MAX, maxHeaderLineBytes: 256 });
        const events: RpcReadEvent[] = [];
        for (const chunk of chunks) {
          events.push(...parser.push(chunk));
          expect(parser.pending).toBeLessThanOrEqual(MAX + 256 * 4 + 8);
        }
        events.push(...parser.end());
        checkRead(events);
        const truncated = events.filter((event) => event.kind === 'truncated');
        expect(truncated.length).toBeLessThanOrEqual(1);
      }),
      fuzz(300),
    );
  });

  it('readMessages: same events from any async source, and nothing after a fatal frame', { timeout: FUZZ_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(hostileStream(framing, MAX), fc.boolean(), async (chunks, asReadable) => {
        const source = asReadable ? Readable.from(chunks, { objectMode: false }) : (async function* () {
          for (const chunk of chunks) {
            await Promise.resolve();
            yield chunk;
          }
        })();
        const events: RpcReadEvent[] = [];
        for await (const event of readMessages(source, { framing, maxFrameBytes: MAX, maxHeaderLineBytes: 256 })) events.push(event);
        checkRead(events);
        const fatal = events.findIndex((event) => event.kind === 'oversized' && event.fatal);
        if (fatal !== -1) expect(fatal).toBe(events.length - 1);
      }),
      fuzz(150, 0.3),
    );
  });
});

describe('classifier inputs built from JSON', () => {
  it('jsonish values as params, ids and results never break the classifier', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(jsonish, jsonish, fc.constantFrom('params', 'id', 'result', 'error', 'method', 'jsonrpc'), (base, value, key) => {
        const message = { jsonrpc: '2.0', id: 1, method: 'm', ...(typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {}), [key]: value };
        checkClassified(classifyMessage(message), {});
        checkClassified(classifyMessage(JSON.parse(JSON.stringify(message)) as unknown), {});
      }),
      fuzz(1000),
    );
  });
});
