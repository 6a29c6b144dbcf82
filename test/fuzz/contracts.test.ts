/**
 * Every wire contract: `safeParse` of any value (within the nesting depth that
 * `decodeWire` admits) never throws, and `safeParseWire` (first fault only)
 * reaches the same verdict and output with a single issue; and `decodeWire` of any text or bytes
 * throws nothing but a `WireDecodeError`; what it accepts re-encodes to text
 * that decodes to the same value (the serde round trip is stable). Also the
 * hand-written parsers next to the schemas: `parseTaskEvent` throws only a
 * `TaskNotificationError`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as contracts from '../../src/contracts/index.js';
import { MAX_WIRE_DEPTH, decodeWire, WireDecodeError, safeDecodeWire } from '../../src/contracts/decode.js';
import { safeParseWire } from '../../src/contracts/parse-wire.js';
import { TASK_METHODS, TaskNotificationError, parseTaskEvent } from '../../src/contracts/tasks.js';
import type * as z from 'zod';
import { hostileString, jsonish, nested } from './arbitraries.js';
import { depthOf, fromContract } from './from-schema.js';
import { FUZZ_TIMEOUT, fuzz } from './runs.js';

const SCHEMAS: [string, z.ZodType][] = Object.entries(contracts as Record<string, unknown>).flatMap(([name, value]) => (contracts.isContractExport(name, value) ? [[name, value]] : []));

/** Objects with the fields the contracts use, each right, wrong, missing, null or nested. */
const FIELDS = [
  'label', 'binary', 'args', 'cwd', 'env', 'timeout_secs', 'type', 'job_id', 'pid', 'started_at', 'percent', 'step', 'line', 'stream', 'bytes',
  'reason', 'cancelled_at', 'exit_code', 'completed_at', 'output_tail', 'error', 'failed_at', 'Running', 'Pending', 'Failed', 'Completed', 'Cancelled',
  'method', 'params', 'ok', 'result', 'id', 'kind', 'current', 'total', 'message', 'run_id', 'status', 'finished_at', 'display_name', 'category',
  'version', 'items', 'subscription', 'requested_at', 'stdout_chunk', 'stderr_chunk', 'code', 'data', 'detail', 'capabilities', 'protocol_version',
  'ta_version', 'state', 'goal_id', 'changed_files', 'targets', 'patterns', 'revision_id', 'detected', 'merged', 'metadata',
];
const FIELD_VALUES = fc.oneof(
  jsonish,
  fc.constantFrom('job_started', 'job_progress', 'job_log_line', 'job_output_chunk', 'job_cancelled', 'job_completed', 'job_failed', 'running', 'completed', 'killed', 'queued'),
  fc.constantFrom('2026-01-02T03:04:05Z', '2026-01-02T03:04:60.123456789+01:00', ' 2026-1-2T3:4:5 UTC ', '-262144-01-01T00:00:00Z', '+262142-12-31T23:59:59Z', '9999-99-99T99:99:99Z'),
  fc.array(fc.integer({ min: -1, max: 256 }), { maxLength: 5 }),
  fc.array(hostileString, { maxLength: 4 }),
);
const almostContract: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), FIELD_VALUES, { maxKeys: 8 }),
  fc.array(FIELD_VALUES, { maxLength: 8 }),
  fc.constantFrom('Pending', null, 0, '', []),
);

/** A value `depth` ≤ 127 levels deep placed in a field of an otherwise plausible object. */
const deepInField = fc.tuple(fc.integer({ min: 0, max: MAX_WIRE_DEPTH - 2 }), fc.constantFrom(...FIELDS), fc.boolean(), FIELD_VALUES, fc.dictionary(fc.constantFrom(...FIELDS), FIELD_VALUES, { maxKeys: 4 })).map(
  ([depth, field, object, leaf, rest]) => ({ ...rest, [field]: nested(depth, leaf, object) }),
);

const anyValue = fc.oneof(
  { weight: 3, arbitrary: almostContract },
  { weight: 1, arbitrary: deepInField },
  { weight: 1, arbitrary: fc.anything({ withNullPrototype: true, withBigInt: true, withSparseArray: true, withObjectString: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, maxDepth: 3 }) },
);

/** Text a peer might send: JSON of plausible contracts, deep walls, broken escapes, random bytes. */
const anyText: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: anyValue.map((value) => { try { return JSON.stringify(value) ?? 'null'; } catch { return '{}'; } }) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 120, max: 20_000 }), fc.constantFrom('[', '{"a":', '["\\ud800",')).map(([depth, open]) => open.repeat(depth)) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'u', 'd', '8', '0', 'c', ':', ',', '1', '\ud800', '\udc00'), maxLength: 60 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
  { weight: 1, arbitrary: hostileString },
);

describe('contract schemas', () => {
  it(`safeParse never throws, for all ${SCHEMAS.length} contracts`, { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        for (const [name, schema] of SCHEMAS) {
          let result: { success: boolean } | undefined;
          expect(() => (result = schema.safeParse(value)), name).not.toThrow();
          expect(typeof result?.success).toBe('boolean');
        }
      }),
      fuzz(200, 0.1),
    );
  });

  it('safeParseWire agrees with safeParse on every verdict and output, and refuses with one issue', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        for (const [name, schema] of SCHEMAS) {
          const full = schema.safeParse(value);
          const first = safeParseWire(schema, value);
          expect(first.success, name).toBe(full.success);
          if (full.success) expect(first.data, name).toStrictEqual(full.data);
          else expect(first.error?.issues.length, name).toBe(1);
        }
      }),
      fuzz(200, 0.1),
    );
  });

  it('decodeWire throws only WireDecodeError, and what it accepts round-trips', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...SCHEMAS), (text, [name, schema]) => {
        const result = safeDecodeWire(schema, text);
        try {
          const data: unknown = decodeWire(schema, text);
          expect(result.success, name).toBe(true);
          const again = decodeWire(schema, JSON.stringify(data));
          expect(again, `${name} round trip`).toEqual(data);
          expect(JSON.stringify(again)).toBe(JSON.stringify(data));
        } catch (error) {
          if (!(error instanceof WireDecodeError)) throw error;
          expect(result.success).toBe(false);
          expect(['ERR_WIRE_JSON', 'ERR_WIRE_DEPTH', 'ERR_WIRE_SURROGATE', 'ERR_WIRE_SCHEMA']).toContain(error.code);
        }
      }),
      fuzz(1500),
    );
  });
});

describe('contract schemas, schema-directed', () => {
  it.each(SCHEMAS)('%s: values from its own JSON Schema, some mutated: safeParse agrees with decodeWire, and accepted values round-trip', (name, schema) => {
    let accepted = 0;
    fc.assert(
      fc.property(fromContract(name, schema), (value) => {
        const text = JSON.stringify(value) ?? 'null';
        // the value as the wire carries it (JSON has no -0, no undefined)
        const parsed = schema.safeParse(JSON.parse(text));
        const decoded = safeDecodeWire(schema, text);
        // decodeWire adds serde_json's document rules to the schema's: nesting, and lone surrogates anywhere, also in
        // the parts the schema drops (unknown fields, a "__proto__" key) — the first fault by position is reported
        const documentFault = !decoded.success && (decoded.error.code === 'ERR_WIRE_DEPTH' || decoded.error.code === 'ERR_WIRE_SURROGATE');
        if (depthOf(value) > MAX_WIRE_DEPTH) expect(documentFault).toBe(true);
        else if (!documentFault) expect(decoded.success, `${name}: ${text.slice(0, 200)}`).toBe(parsed.success);
        if (!decoded.success) return;
        accepted += 1;
        const again = decodeWire(schema, JSON.stringify(decoded.data));
        expect(again).toEqual(decoded.data);
        expect(JSON.stringify(again)).toBe(JSON.stringify(decoded.data));
      }),
      fuzz(40, 0.1),
    );
    // the generator must actually reach the accepting side of every contract
    expect(accepted).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);
});

describe('parseTaskEvent', () => {
  const params = fc.oneof(
    fc.record({ id: fc.oneof(fc.string({ maxLength: 6 }), jsonish), label: jsonish, kind: fc.oneof(fc.constantFrom('download', 'rebuild', 'generic', 'other', 'Download'), jsonish), current: jsonish, total: jsonish, message: jsonish, line: jsonish, error: jsonish }, { requiredKeys: [] }),
    fc.tuple(fc.integer({ min: 0, max: 50_000 }), fc.boolean()).map(([depth, object]) => ({ id: 't', error: nested(depth, { x: 1 }, object) })),
    fc.anything({ withNullPrototype: true, withBigInt: true, maxDepth: 3 }),
  );
  it('throws only TaskNotificationError; what it returns is a well-formed event', { timeout: FUZZ_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...TASK_METHODS), fc.string({ maxLength: 12 })), params, (method, value) => {
        try {
          const event = parseTaskEvent(method, value);
          expect(`task.${event.type === 'start' ? 'start' : event.type}`).toBe(method);
          expect(typeof event.id === 'string' && event.id.length > 0).toBe(true);
        } catch (error) {
          expect(error instanceof TaskNotificationError, String(error)).toBe(true);
        }
      }),
      fuzz(1000),
    );
  });
});
