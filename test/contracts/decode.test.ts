import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { MAX_WIRE_DEPTH, WireDecodeError, decodeWire, safeDecodeWire } from '../../src/contracts/decode.js';
import { isJobhostError } from '../../src/errors.js';
import type { WireDecodeErrorCode } from '../../src/contracts/decode.js';
import { JobEvent, JobSpawnRequest, JobStatus } from '../../src/contracts/jobs.js';

const FC = { seed: 42, numRuns: 300 } as const;
const anything = z.unknown();

/** The error decodeWire throws for `text`, or a failure if it throws none. */
function failure(schema: z.ZodType, text: string | Uint8Array): WireDecodeError {
  try {
    decodeWire(schema, text);
  } catch (error) {
    expect(error).toBeInstanceOf(WireDecodeError);
    return error as WireDecodeError;
  }
  throw new Error(`expected decodeWire to refuse ${typeof text === 'string' ? text.slice(0, 80) : 'bytes'}`);
}

const codeOf = (text: string | Uint8Array, schema: z.ZodType = anything): WireDecodeErrorCode => failure(schema, text).code;

const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const objects = (n: number) => '{"k":'.repeat(n) + 'null' + '}'.repeat(n);

describe('decodeWire', () => {
  it('decodes a valid message exactly like schema.parse(JSON.parse(text))', () => {
    const line = '{"job_id":"git:1","type":"job_log_line","line":"ok","stream":"stdout","extra":[1]}';
    expect(decodeWire(JobEvent, line)).toEqual(JobEvent.parse(JSON.parse(line)));
    expect(JSON.stringify(decodeWire(JobEvent, line))).toBe('{"type":"job_log_line","job_id":"git:1","line":"ok","stream":"stdout"}');
  });

  it('is typed by the schema', () => {
    const status = decodeWire(JobStatus, '{"Pending":null}');
    expect(status).toBe('Pending');
  });

  describe('ERR_WIRE_JSON', () => {
    it.each(['', ' ', '{', '{"a":1,}', '[1,]', "{'a':1}", 'nul', 'NaN', '01', '[1] [2]', '"\t"', '{"a" 1}', ']]]'])(
      'refuses %j',
      (text) => {
        const error = failure(anything, text);
        expect(error.code).toBe('ERR_WIRE_JSON');
        expect(error.cause).toBeInstanceOf(SyntaxError);
        expect(error.offset).toBeUndefined();
      },
    );

    it('refuses a byte-order mark, as serde_json does', () => {
      expect(codeOf('\uFEFF{}')).toBe('ERR_WIRE_JSON');
      expect(codeOf(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('ERR_WIRE_JSON');
    });
  });

  describe('UTF-8 bytes', () => {
    it('decodes a Uint8Array (and so a Buffer)', () => {
      const bytes = new TextEncoder().encode('{"Cancelled":{"reason":"é 😀"}}');
      expect(decodeWire(JobStatus, bytes)).toEqual({ Cancelled: { reason: 'é 😀' } });
      expect(decodeWire(JobStatus, Buffer.from(bytes))).toEqual({ Cancelled: { reason: 'é 😀' } });
    });

    it.each([
      ['a lone continuation byte', [0x22, 0x80, 0x22]],
      ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
      ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
      ['an encoded surrogate (CESU-8)', [0x22, 0xed, 0xa0, 0x80, 0x22]],
      ['0xff', [0x22, 0xff, 0x22]],
    ])('refuses invalid UTF-8: %s', (_what, bytes) => {
      const error = failure(anything, new Uint8Array(bytes));
      expect(error.code).toBe('ERR_WIRE_JSON');
      expect(error.message).toMatch(/UTF-8/);
    });

    it('throws ERR_WIRE_INPUT for something that is neither text nor bytes', () => {
      expect(() => decodeWire(anything, 42 as never)).toThrow(expect.objectContaining({ code: 'ERR_WIRE_INPUT' }) as Error);
      expect(() => safeDecodeWire(anything, null as never)).toThrow(/string or a Uint8Array/);
    });
  });

  describe('ERR_WIRE_DEPTH: serde_json refuses the 128th nested container', () => {
    it(`accepts ${MAX_WIRE_DEPTH} levels and refuses ${MAX_WIRE_DEPTH + 1}`, () => {
      expect(MAX_WIRE_DEPTH).toBe(127);
      expect(() => decodeWire(anything, arrays(127))).not.toThrow();
      expect(() => decodeWire(anything, objects(127))).not.toThrow();
      const error = failure(anything, arrays(128));
      expect(error.code).toBe('ERR_WIRE_DEPTH');
      expect(error.offset).toBe(127);
      expect(codeOf(objects(128))).toBe('ERR_WIRE_DEPTH');
    });

    it('counts arrays and objects together, and the message itself', () => {
      const mixed = (n: number) => '[{"a":'.repeat(n) + '0' + '}]'.repeat(n);
      expect(() => decodeWire(anything, mixed(63) /* 126 */)).not.toThrow();
      expect(codeOf(`[${mixed(64)}]` /* 129 */)).toBe('ERR_WIRE_DEPTH');
      // an unknown field of a JobEvent: one level for the event, 126 inside it
      const event = (inner: number) => `{"type":"job_progress","job_id":"j","x":${arrays(inner)}}`;
      expect(decodeWire(JobEvent, event(126)).type).toBe('job_progress');
      expect(codeOf(event(127), JobEvent)).toBe('ERR_WIRE_DEPTH');
    });

    it('counts nesting, not the number of containers', () => {
      expect(decodeWire(anything, `[${Array.from({ length: 5000 }, () => '[[]]').join(',')}]`)).toHaveLength(5000);
    });

    it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
      expect(decodeWire(anything, JSON.stringify('['.repeat(500)))).toBe('['.repeat(500));
      expect(decodeWire(anything, JSON.stringify(`\\"${'{'.repeat(500)}\\`))).toBe(`\\"${'{'.repeat(500)}\\`);
      expect(decodeWire(anything, JSON.stringify({ ['['.repeat(300)]: '{'.repeat(300) }))).toEqual({ ['['.repeat(300)]: '{'.repeat(300) });
    });

    it('refuses a hostile megabyte of [ quickly, without touching the stack', () => {
      const started = performance.now();
      const error = failure(JobEvent, '['.repeat(1 << 20));
      expect(error.code).toBe('ERR_WIRE_DEPTH');
      expect(error.offset).toBe(127);
      const closed = failure(JobEvent, arrays(1 << 19));
      expect(closed.code).toBe('ERR_WIRE_DEPTH');
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('scans a large flat document in one pass', () => {
      const big = `[${Array.from({ length: 200_000 }, (_, i) => `"\\u00e9${i}"`).join(',')}]`;
      const started = performance.now();
      expect(decodeWire(z.array(z.string()), big)).toHaveLength(200_000);
      expect(performance.now() - started).toBeLessThan(5000);
    });
  });

  describe('ERR_WIRE_SURROGATE: lone UTF-16 surrogates anywhere', () => {
    it.each([
      ['an escaped lone high surrogate', String.raw`"\ud800"`, 1],
      ['an escaped lone low surrogate', String.raw`"\udc00"`, 1],
      ['upper-case hex', String.raw`"\uDBFF"`, 1],
      ['high followed by a non-surrogate escape', String.raw`"\ud800\u0041"`, 1],
      ['high followed by another high', String.raw`"\ud83c\ud83c"`, 1],
      ['high followed by a short escape', String.raw`"\ud800\n"`, 1],
      ['high followed by text', String.raw`"\ud800abc"`, 1],
      ['low before high', String.raw`"\ude00\ud83d"`, 1],
      ['high at the end of a truncated text', String.raw`"\ud800`, 1],
      ['in an ignored field', String.raw`{"label":"x","binary":"b","args":[],"note":"\ud800"}`, 44],
      ['in a key', String.raw`{"\udfff":1}`, 2],
      ['after an escaped backslash', String.raw`"\\\ud800"`, 3],
      ['a raw lone high surrogate', '"a\ud800"', 2],
      ['a raw lone low surrogate', '"\udc00"', 1],
      ['a raw surrogate outside any string', '[1,\ud800]', 3],
      ['an escaped high with a raw low', '"\\ud83d\ude00"', 1],
    ])('refuses %s', (_what, text, offset) => {
      const error = failure(anything, text);
      expect(error.code).toBe('ERR_WIRE_SURROGATE');
      expect(error.offset).toBe(offset);
    });

    it.each([
      ['an escaped pair', String.raw`"\ud83d\ude00"`, '😀'],
      ['an upper-case escaped pair', String.raw`"\uD83D\uDE00"`, '😀'],
      ['the highest code point', String.raw`"\udbff\udfff"`, '\u{10ffff}'],
      ['a raw pair', '"😀"', '😀'],
      ['an escaped backslash before ud800 text', String.raw`"\\ud800"`, '\\ud800'],
      ['BMP escapes around surrogates', String.raw`"\ud7ff\ue000"`, '\ud7ff\ue000'],
    ])('accepts %s', (_what, text, expected) => {
      expect(decodeWire(anything, text)).toBe(expected);
    });

    // serde_json skips the value of an unknown field of a plain struct without
    // checking its escapes (read.rs `ignore_escape`), so it would accept this
    // JobSpawnRequest; it does check inside an internally tagged enum such as
    // JobEvent, which it buffers whole. decodeWire refuses both: deliberately stricter.
    it('refuses a lone surrogate in an unknown field of any contract (stricter than serde for plain structs)', () => {
      expect(codeOf(String.raw`{"label":"x","binary":"b","args":[],"note":"\udc00"}`, JobSpawnRequest)).toBe('ERR_WIRE_SURROGATE');
      expect(codeOf(String.raw`{"type":"job_progress","job_id":"j","note":"\udc00"}`, JobEvent)).toBe('ERR_WIRE_SURROGATE');
      expect(JobSpawnRequest.safeParse(JSON.parse(String.raw`{"label":"x","binary":"b","args":[],"note":"\udc00"}`)).success).toBe(true);
    });

    it('reports whichever of depth and surrogate comes first', () => {
      expect(codeOf(`["\\ud800",${arrays(200)}]`)).toBe('ERR_WIRE_SURROGATE');
      expect(codeOf(`[${arrays(200)},"\\ud800"]`)).toBe('ERR_WIRE_DEPTH');
    });
  });

  describe('ERR_WIRE_SCHEMA', () => {
    it('wraps the ZodError and names the first fault, as serde_json does', () => {
      const error = failure(JobSpawnRequest, '{"label":1,"binary":"git","args":["ok",2],"env":{"a b":3,"_ok":4},"timeout_secs":-1}');
      expect(error.code).toBe('ERR_WIRE_SCHEMA');
      expect(error.cause).toBeInstanceOf(z.ZodError);
      expect((error.cause as z.ZodError).issues).toHaveLength(1);
      expect(error.message).toMatch(/^JSON does not match the contract: label: /);
      expect(error.message).not.toContain('timeout_secs');
    });

    it.each([
      ['{"label":"l","binary":"git","args":["ok",2],"env":{},"timeout_secs":0}', 'args[1]: '],
      ['{"label":"l","binary":"git","args":[],"env":{"a b":3},"timeout_secs":0}', 'env["a b"]: '],
      ['{"label":"l","binary":"git","args":[],"env":{"_ok":4},"timeout_secs":0}', 'env._ok: '],
      ['{"label":"l","binary":"git","args":[],"env":{},"timeout_secs":-1}', 'timeout_secs: '],
    ])('writes the path of %s as %s', (text, path) => {
      expect(failure(JobSpawnRequest, text).message).toContain(`contract: ${path}`);
    });

    it('names the root as (root), and reports one fault however many elements fail', () => {
      expect(failure(JobStatus, '"Running"').message).toContain('(root): ');
      const many = failure(z.array(z.string()), JSON.stringify(Array.from({ length: 25 }, (_, i) => i)));
      expect(many.message).toMatch(/contract: \[0\]: [^;]*$/);
      expect((many.cause as z.ZodError).issues).toHaveLength(1);
    });
  });

  describe('WireDecodeError', () => {
    it('is an Error with a stable code and a cross-copy brand', () => {
      const error = failure(anything, '{');
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('WireDecodeError');
      expect(error instanceof WireDecodeError).toBe(true);
      // another installed copy's error: the registry-wide brand and the names of its classes
      const foreign = Object.defineProperties(new Error('x'), { [Symbol.for('jobhost.error')]: { value: true }, [Symbol.for('jobhost.error.kinds')]: { value: ['WireDecodeError', 'JobhostError'] } });
      expect(foreign instanceof WireDecodeError).toBe(true);
      expect(isJobhostError(foreign)).toBe(true);
      for (const other of [new Error('x'), null, undefined, 'ERR_WIRE_JSON', { code: 'ERR_WIRE_JSON' }]) {
        expect(other instanceof WireDecodeError).toBe(false);
      }
    });
  });

  describe('safeDecodeWire', () => {
    it('returns the data or the error instead of throwing', () => {
      expect(safeDecodeWire(JobStatus, '"Pending"')).toEqual({ success: true, data: 'Pending' });
      const refused = safeDecodeWire(JobStatus, '"Running"');
      expect(refused.success).toBe(false);
      if (!refused.success) expect(refused.error.code).toBe('ERR_WIRE_SCHEMA');
      for (const text of ['{', arrays(200), String.raw`"\ud800"`]) {
        expect(safeDecodeWire(JobStatus, text).success).toBe(false);
      }
    });
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const jsonish = fc.constantFrom(...'[]{}",:\\u0123456789abcdefABCDEFnulltruefalse -+.eE \t\n\ud800\udc00'.split(''));
const schemas = fc.constantFrom<z.ZodType>(anything, JobEvent, JobSpawnRequest, JobStatus, z.array(z.string()));

function neverThrowsOtherwise(schema: z.ZodType, text: string) {
  try {
    decodeWire(schema, text);
  } catch (error) {
    expect(error instanceof WireDecodeError).toBe(true);
  }
  const result = safeDecodeWire(schema, text);
  if (!result.success) expect(result.error).toBeInstanceOf(WireDecodeError);
}

describe('decodeWire properties', () => {
  it('arbitrary strings never throw anything but WireDecodeError', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: codeUnit }),
      fc.string({ unit: jsonish, maxLength: 300 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      // valid JSON with a random splice, to land faults in every position
      fc
        .tuple(fc.jsonValue(), fc.nat(), fc.string({ unit: jsonish, maxLength: 4 }))
        .map(([v, at, insert]) => {
          const s = JSON.stringify(v);
          const i = at % (s.length + 1);
          return s.slice(0, i) + insert + s.slice(i);
        }),
    );
    fc.assert(fc.property(schemas, texts, neverThrowsOtherwise), FC);
  });

  it('arbitrary bytes never throw anything but WireDecodeError', () => {
    fc.assert(
      fc.property(schemas, fc.uint8Array({ maxLength: 64 }), (schema, bytes) => {
        try {
          decodeWire(schema, bytes);
        } catch (error) {
          expect(error instanceof WireDecodeError).toBe(true);
        }
      }),
      FC,
    );
  });

  it('agrees with JSON.parse on every well-formed, shallow JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(decodeWire(anything, text)).toEqual(JSON.parse(text));
      }),
      FC,
    );
  });

  it('refuses a string exactly when it holds a lone surrogate (JSON.stringify escapes them)', () => {
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 16 }), (s) => {
        const result = safeDecodeWire(z.string(), JSON.stringify(s));
        expect(result.success).toBe(s.isWellFormed());
        if (!result.success) expect(result.error.code).toBe('ERR_WIRE_SURROGATE');
      }),
      FC,
    );
  });

  it('refuses nesting exactly beyond 127 levels, whatever the mix of arrays and objects', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 100, maxLength: 160 }), (kinds) => {
        const open = kinds.map((isArray) => (isArray ? '[' : '{"k":')).join('');
        const close = kinds.map((isArray) => (isArray ? ']' : '}')).reverse().join('');
        const result = safeDecodeWire(anything, `${open}1${close}`);
        expect(result.success).toBe(kinds.length <= MAX_WIRE_DEPTH);
        if (!result.success) expect(result.error.code).toBe('ERR_WIRE_DEPTH');
      }),
      FC,
    );
  });
});
