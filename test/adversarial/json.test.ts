/**
 * Hostile JSON for the wire contracts, as a plugin runtime in another language
 * would forward it: 100 000 levels of nesting, megabytes of it, invalid UTF-8,
 * byte-order marks, lone surrogates, numbers past every integer width, wrong
 * types and nulls in every field, prototype keys, duplicate keys. Guarantee:
 * `decodeWire` throws only a `WireDecodeError` with its stable code (a
 * `TypeError` for a non-text argument, as documented), in one linear pass; what
 * it accepts is a valid contract value that the JobHost then polices as usual;
 * and the host serves the next decoded request.
 */
import { describe, expect, it } from 'vitest';
import { JobsExecuteParams, JobProgress, JobRun } from '../../src/contracts/catalog-types.js';
import { decodeWire, WireDecodeError, safeDecodeWire, type WireDecodeErrorCode } from '../../src/contracts/decode.js';
import { JobEvent, JobSpawnRequest, JobStatus } from '../../src/contracts/jobs.js';
import { TaskUpdateParams, TaskNotificationError, parseTaskEvent } from '../../src/contracts/tasks.js';
import { VcsPluginResponse } from '../../src/contracts/vcs.js';
import type { JobHostErrorCode } from '../../src/errors.js';
import type * as z from 'zod';
import { useSentinel } from './harness.js';
import { MAX_LABEL_CHARS } from '../../src/policy/string-caps.js';

const sentinel = useSentinel();
const OWNER = 'lua-runtime';

const nest = (levels: number, open: string, close: string, inner = '0'): string => `${open.repeat(levels)}${inner}${close.repeat(levels)}`;

/** Throws unless `fn` throws a WireDecodeError with `code`. */
function refusedWith(fn: () => unknown, code: WireDecodeErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown instanceof WireDecodeError, String(thrown)).toBe(true);
  expect((thrown as { code: string }).code).toBe(code);
}

const CASES: readonly { name: string; schema: z.ZodType; text: () => string | Uint8Array; code: WireDecodeErrorCode }[] = [
  { name: '100 000 levels of [', schema: JobSpawnRequest, text: () => '['.repeat(100_000), code: 'ERR_WIRE_DEPTH' },
  { name: '100 000 levels of {"a":', schema: JobSpawnRequest, text: () => nest(100_000, '{"a":', '}'), code: 'ERR_WIRE_DEPTH' },
  { name: '128 balanced levels', schema: JobSpawnRequest, text: () => nest(128, '[', ']'), code: 'ERR_WIRE_DEPTH' },
  { name: '128 levels inside a serde_json::Value', schema: VcsPluginResponse, text: () => `{"ok":true,"result":${nest(127, '[', ']')}}`, code: 'ERR_WIRE_DEPTH' },
  { name: '127 levels (deepest accepted JSON, wrong shape)', schema: JobSpawnRequest, text: () => nest(127, '[', ']'), code: 'ERR_WIRE_SCHEMA' },
  { name: '40 KB array of numbers as args', schema: JobSpawnRequest, text: () => `{"label":"x","binary":"echo","args":[${'1,'.repeat(20_000)}1]}`, code: 'ERR_WIRE_SCHEMA' },
  { name: 'invalid UTF-8 bytes', schema: JobSpawnRequest, text: () => Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), code: 'ERR_WIRE_JSON' },
  { name: 'an overlong UTF-8 quote', schema: JobSpawnRequest, text: () => Buffer.from([0x5b, 0xc0, 0xa2, 0x5d]), code: 'ERR_WIRE_JSON' },
  { name: 'a byte-order mark (bytes)', schema: JobSpawnRequest, text: () => Buffer.from('\ufeff{"label":"x","binary":"echo","args":[]}'), code: 'ERR_WIRE_JSON' },
  { name: 'a byte-order mark (string)', schema: JobSpawnRequest, text: () => '\ufeff{"label":"x","binary":"echo","args":[]}', code: 'ERR_WIRE_JSON' },
  { name: 'an escaped lone high surrogate', schema: JobSpawnRequest, text: () => '{"label":"\\ud800","binary":"echo","args":[]}', code: 'ERR_WIRE_SURROGATE' },
  { name: 'an escaped lone low surrogate in a key', schema: JobSpawnRequest, text: () => '{"\\udc00":1,"label":"x","binary":"echo","args":[]}', code: 'ERR_WIRE_SURROGATE' },
  { name: 'a high surrogate followed by a non-surrogate escape', schema: JobSpawnRequest, text: () => '{"label":"\\ud800\\u0041","binary":"echo","args":[]}', code: 'ERR_WIRE_SURROGATE' },
  { name: 'a raw lone surrogate', schema: JobSpawnRequest, text: () => '{"label":"\ud800","binary":"echo","args":[]}', code: 'ERR_WIRE_SURROGATE' },
  { name: 'truncated', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"ec', code: 'ERR_WIRE_JSON' },
  { name: 'NaN and Infinity literals', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[],"timeout_secs":NaN}', code: 'ERR_WIRE_JSON' },
  { name: 'trailing garbage', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[]} rm -rf /', code: 'ERR_WIRE_JSON' },
  { name: 'empty text', schema: JobSpawnRequest, text: () => '', code: 'ERR_WIRE_JSON' },
  { name: 'a raw control character in a string', schema: JobSpawnRequest, text: () => '{"label":"a\u0000b","binary":"echo","args":[]}', code: 'ERR_WIRE_JSON' },
  { name: 'args as an object', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":{"0":"a"}}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'label a number', schema: JobSpawnRequest, text: () => '{"label":1,"binary":"echo","args":[]}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'timeout_secs a number as a string', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[],"timeout_secs":"10"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'timeout_secs 1e400 (Infinity)', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[],"timeout_secs":1e400}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'timeout_secs -0', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[],"timeout_secs":-0}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'timeout_secs 2^53 + 1', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[],"timeout_secs":9007199254740993}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'env as an array of pairs', schema: JobSpawnRequest, text: () => '{"label":"x","binary":"echo","args":[],"env":[["A","b"]]}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'null everywhere', schema: JobSpawnRequest, text: () => '{"label":null,"binary":null,"args":null,"cwd":null,"env":null,"timeout_secs":null}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'an array form of 7 elements', schema: JobSpawnRequest, text: () => '["x","echo",[],null,{},0,"extra"]', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: an unknown type', schema: JobEvent, text: () => '{"type":"job_exploded","job_id":"a:1"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: pid a string', schema: JobEvent, text: () => '{"type":"job_started","job_id":"a:1","pid":"42","started_at":"x"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: percent 256', schema: JobEvent, text: () => '{"type":"job_progress","job_id":"a:1","percent":256,"step":null}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: exit_code past i32', schema: JobEvent, text: () => '{"type":"job_completed","job_id":"a:1","exit_code":2147483648,"completed_at":"x","output_tail":null}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: a byte of 256', schema: JobEvent, text: () => '{"type":"job_output_chunk","job_id":"a:1","bytes":[1,256],"stream":"stdout"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: the array form (it has none)', schema: JobEvent, text: () => '["job_started","a:1",1,"x"]', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobEvent: type null', schema: JobEvent, text: () => '{"type":null,"job_id":"a:1"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobStatus: two variants at once', schema: JobStatus, text: () => '{"Running":{"started_at":"x","percent":null},"Failed":{"exit_code":1,"error":"e"}}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobStatus: {"Pending":{}}', schema: JobStatus, text: () => '{"Pending":{}}', code: 'ERR_WIRE_SCHEMA' },
  { name: "VcsPluginResponse: ok 'true'", schema: VcsPluginResponse, text: () => '{"ok":"true","result":null}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'VcsPluginResponse: an array of 4', schema: VcsPluginResponse, text: () => '[true,null,null,1]', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobsExecuteParams: id an array', schema: JobsExecuteParams, text: () => '{"id":["hello"]}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobProgress: status a number', schema: JobProgress, text: () => '{"run_id":"r","status":42}', code: 'ERR_WIRE_SCHEMA' },
  { name: "JobRun: started_at 'yesterday'", schema: JobRun, text: () => '{"run_id":"r","status":"running","started_at":"yesterday"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'JobRun: year 999999', schema: JobRun, text: () => '{"run_id":"r","status":"running","started_at":"999999-01-01T00:00:00Z"}', code: 'ERR_WIRE_SCHEMA' },
  { name: 'TaskUpdateParams: current a string', schema: TaskUpdateParams, text: () => '{"id":"t","current":"5"}', code: 'ERR_WIRE_SCHEMA' },
];

describe('decodeWire: hostile JSON', () => {
  it.each(CASES)('$name → $code', async ({ schema, text, code }) => {
    refusedWith(() => decodeWire(schema, text()), code);
    expect(safeDecodeWire(schema, text()).success).toBe(false);
    await sentinel().serves(OWNER);
  });

  it('the depth check stops at the 128th byte: a 10 MB wall of [ is refused at once', () => {
    const text = '['.repeat(10_000_000);
    let offset: number | undefined;
    try {
      decodeWire(JobSpawnRequest, text);
    } catch (error) {
      offset = (error as { offset?: number }).offset;
    }
    expect(offset).toBe(127);
  });

  it('a non-text argument is ERR_WIRE_INPUT, as documented', () => {
    expect(() => decodeWire(JobSpawnRequest, 42 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_WIRE_INPUT' }) as Error);
    expect(() => decodeWire(JobSpawnRequest, { length: 1 } as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_WIRE_INPUT' }) as Error);
  });
});

describe('decodeWire: accepted, then policed by the JobHost', () => {
  const POLICED: readonly { name: string; text: () => string; code: JobHostErrorCode }[] = [
    { name: 'a million empty arguments (5 MB of JSON)', text: () => `{"label":"x","binary":"echo","args":[${'"",'.repeat(999_999)}""]}`, code: 'ERR_ARGS_REFUSED' },
    { name: '50 000 variables', text: () => `{"label":"x","binary":"echo","args":[],"env":{${Array.from({ length: 50_000 }, (_, i) => `"V${i}":"x"`).join(',')}}}`, code: 'ERR_ENV_REFUSED' },
    { name: 'a path as binary, escaped', text: () => '{"label":"x","binary":"\\/bin\\/sh","args":[]}', code: 'ERR_BINARY_NOT_ALLOWED' },
    { name: 'a unicode-escaped look-alike binary', text: () => '{"label":"x","binary":"\\u0435cho","args":[]}', code: 'ERR_BINARY_NOT_ALLOWED' },
    { name: 'an escaped NUL in an argument', text: () => '{"label":"x","binary":"echo","args":["a\\u0000b"]}', code: 'ERR_ARGS_REFUSED' },
    { name: 'an escaped NUL in the cwd', text: () => '{"label":"x","binary":"echo","args":[],"cwd":"\\u0000"}', code: 'ERR_CWD_OUTSIDE_ROOT' },
    { name: 'duplicate keys: the last binary wins, and it is a path', text: () => '{"label":"x","binary":"echo","binary":"/bin/sh","args":[]}', code: 'ERR_BINARY_NOT_ALLOWED' },
  ];
  it.each(POLICED)('$name → $code', async ({ text, code }) => {
    const request = decodeWire(JobSpawnRequest, text());
    await sentinel().refused(OWNER, () => sentinel().host.forOwner(OWNER).spawn(request), code);
  });

  it('a JSON __proto__ key is dropped and pollutes nothing; duplicate keys keep the last; what remains is policed', async () => {
    const request = decodeWire(JobSpawnRequest, '{"__proto__":{"binary":"sh"},"label":"x","binary":"sh","binary":"echo","args":["still serving"],"env":{"__proto__":"x","constructor":"c"}}');
    expect(Object.getPrototypeOf(request)).toBe(Object.prototype);
    expect(request.env).toEqual({ constructor: 'c' });
    expect(({} as Record<string, unknown>).binary).toBeUndefined();
    // echo has no env rule: the surviving variable is refused by name, never dropped silently
    const error = await sentinel().refused(OWNER, () => sentinel().host.forOwner(OWNER).spawn(request), 'ERR_ENV_REFUSED');
    expect(error.message).toContain('"constructor"');
    const { end, lines } = await sentinel().run(OWNER, { ...request, env: {} });
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(['still serving']);
  });

  it('[ and { inside strings are not nesting: a 100 000-character label of them is a label, which the host refuses by its length', async () => {
    const request = decodeWire(JobSpawnRequest, `{"label":"${'[{'.repeat(50_000)}","binary":"echo","args":["still serving"]}`);
    expect(request.label).toHaveLength(100_000);
    const error = await sentinel().refused(OWNER, () => sentinel().host.forOwner(OWNER).spawn(request), 'ERR_INVALID_REQUEST');
    expect(error.message).toContain(`the limit is ${MAX_LABEL_CHARS}`);
    const fits = decodeWire(JobSpawnRequest, `{"label":"${'[{'.repeat(MAX_LABEL_CHARS / 2)}","binary":"echo","args":["still serving"]}`);
    expect((await sentinel().run(OWNER, fits)).end.type).toBe('job_completed');
  });
});

describe('parseTaskEvent: hostile params', () => {
  let deep: unknown = 'x';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const TASKS: readonly { name: string; method: string; params: unknown }[] = [
    { name: 'params null', method: 'task.start', params: null },
    { name: 'params an array', method: 'task.update', params: ['t'] },
    { name: 'id a number', method: 'task.update', params: { id: 5 } },
    { name: 'id empty', method: 'task.log', params: { id: '', line: 'x' } },
    { name: 'id inherited from the prototype', method: 'task.log', params: Object.create({ id: 't', line: 'x' }) as unknown },
    { name: 'an unknown kind', method: 'task.start', params: { id: 't', label: 'x', kind: 'rootkit' } },
    { name: 'error an object', method: 'task.done', params: { id: 't', error: { code: 1 } } },
    // Regression: printing this error recursed 100 000 levels and threw RangeError instead of TaskNotificationError.
    { name: 'error nested 100 000 levels', method: 'task.done', params: { id: 't', error: deep } },
  ];
  it.each(TASKS)('$name → TaskNotificationError', async ({ method, params }) => {
    let thrown: unknown;
    try {
      parseTaskEvent(method, params);
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof TaskNotificationError, String(thrown)).toBe(true);
    await sentinel().serves(OWNER);
  });
});
