/**
 * kanade's `jobs.*` catalog contract against serde_json, byte for byte.
 *
 * Every expected string is what `serde_json::to_string` writes for the value
 * serde decodes from the input: compact, fields in Rust declaration order,
 * `None` omitted (never `null`), unknown fields gone, date-times in UTC.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import {
  CATALOG_ERROR_CODES,
  CATALOG_METHODS,
  CATALOG_METHOD_NAMES,
  CATEGORY_SOFTWARE_UPDATE,
  CatalogErrorData,
  CatalogRpcError,
  JobProgress,
  JobRun,
  JobsExecuteParams,
  JobsExecuteResult,
  JobsKillParams,
  JobsKillResult,
  JobsListParams,
  JobsListResult,
  JobsSubscribeParams,
  JobsSubscribeResult,
  JobsUnsubscribeParams,
  RUN_STATUSES,
  RunStatus,
  UserInvokableJob,
  catalogErrorKind,
  isCatalogMethod,
  toRfcDateTime,
} from '../../src/contracts/catalog.js';
import type { CatalogErrorKind, CatalogMethod, CatalogParams, CatalogResult } from '../../src/contracts/catalog.js';
import { goldens, refusals, rewrite, type Golden } from '../helpers/wire.js';

const FC = { seed: 42, numRuns: 300 } as const;




/** `serde_json::to_value(&x)` for a value built in code: encode, then read the JSON back. */
function toValue(schema: z.ZodType, value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema.parse(value))) as Record<string, unknown>;
}

describe('seed tests (kanade_shared::ipc::jobs::tests)', () => {
  it('user_invokable_job_carries_free_form_category', () => {
    const wire = `{
 "id":"wifi-tweak","display_name":"Wi-Fi 省電力を切る",
 "category":"settings","category_label":"設定",
 "category_icon":"settings","category_order":15,"version":"1.0.0"
 }`;
    const j = UserInvokableJob.parse(JSON.parse(wire));
    expect(j.category).toBe('settings');
    expect(j.category_label).toBe('設定');
    expect(j.category_icon).toBe('settings');
    expect(j.category_order).toBe(15);
  });

  it('run_status_serialises_snake_case', () => {
    for (const [variant, expected] of [
      ['queued', '"queued"'],
      ['running', '"running"'],
      ['completed', '"completed"'],
      ['failed', '"failed"'],
      ['killed', '"killed"'],
    ] as const) {
      expect(JSON.stringify(RunStatus.parse(variant)), `encode ${variant}`).toBe(expected);
      expect(RunStatus.parse(JSON.parse(expected)), `round-trip ${expected}`).toBe(variant);
    }
  });

  it('user_invokable_job_minimum_shape_decodes', () => {
    const wire = `{
 "id":"chrome-update","display_name":"Chrome を更新",
 "category":"software_update","version":"1.2.0"
 }`;
    const j = UserInvokableJob.parse(JSON.parse(wire));
    expect(j.id).toBe('chrome-update');
    expect(j.display_description).toBeUndefined();
    expect(j.icon).toBeUndefined();
    expect(j.last_run).toBeUndefined();
    expect(j.timeout_secs).toBeUndefined();
    expect(j.category).toBe(CATEGORY_SOFTWARE_UPDATE);
  });

  it('user_invokable_job_timeout_secs_round_trips', () => {
    const wire = `{
 "id":"office-repair","display_name":"Office 修復",
 "category":"troubleshoot","version":"1.0.0","timeout_secs":3600
 }`;
    expect(UserInvokableJob.parse(JSON.parse(wire)).timeout_secs).toBe(3600);
    const job: UserInvokableJob = { id: 'x', display_name: 'X', category: 'catalog', version: '1.0.0' };
    const v = toValue(UserInvokableJob, job);
    expect('timeout_secs' in v, JSON.stringify(v)).toBe(false);
  });

  it('job_progress_status_transition_omits_chunks', () => {
    const p: JobProgress = { run_id: 'run-1', status: 'running' };
    const v = toValue(JobProgress, p);
    expect('stdout_chunk' in v, JSON.stringify(v)).toBe(false);
    expect('stderr_chunk' in v, JSON.stringify(v)).toBe(false);
    expect('exit_code' in v, JSON.stringify(v)).toBe(false);
  });

  it('job_progress_terminal_push_carries_exit_code', () => {
    const p: JobProgress = { run_id: 'run-1', status: 'completed', exit_code: 0 };
    const v = toValue(JobProgress, p);
    expect(v.status).toBe('completed');
    expect(v.exit_code).toBe(0);
  });

  it('jobs_list_filter_optional', () => {
    const v = toValue(JobsListParams, {});
    expect('category' in v, JSON.stringify(v)).toBe(false);
  });

  it('jobs_execute_result_round_trips', () => {
    const json = JSON.stringify(JobsExecuteResult.parse({ run_id: 'run-uuid-1' }));
    expect(JobsExecuteResult.parse(JSON.parse(json)).run_id).toBe('run-uuid-1');
  });

  it('job_run_serialises_with_optional_finish', () => {
    const started_at = toRfcDateTime(new Date(Date.UTC(2026, 4, 24, 0, 0, 0)));
    expect(started_at).toBe('2026-05-24T00:00:00Z');
    const r: JobRun = { run_id: 'run-1', status: 'running', started_at };
    const v = toValue(JobRun, r);
    expect('finished_at' in v, JSON.stringify(v)).toBe(false);
    expect('exit_code' in v, JSON.stringify(v)).toBe(false);
    expect(JSON.stringify(v)).toBe('{"run_id":"run-1","status":"running","started_at":"2026-05-24T00:00:00Z"}');
  });

  it('unknown_enum_variants_decode_to_unknown', () => {
    expect(RunStatus.parse(JSON.parse('"skipped"'))).toBe('unknown');
    expect(RunStatus.parse(JSON.parse('"running"'))).toBe('running');
  });

  it('unknown_variant_round_trips', () => {
    const s = JSON.stringify(RunStatus.parse('unknown'));
    expect(s).toBe('"unknown"');
    expect(RunStatus.parse(JSON.parse(s))).toBe('unknown');
  });
});

describe('RunStatus', () => {
  goldens(RunStatus, [
    ...RUN_STATUSES.map((s): Golden => [`"${s}"`, `"${s}"`]),
    ['"Running"', '"unknown"'],
    ['"RUNNING"', '"unknown"'],
    ['"skipped"', '"unknown"'],
    ['""', '"unknown"'],
    ['" running"', '"unknown"'],
    ['"\\u0072unning"', '"running"'],
    // serde_json's externally tagged map form of a unit variant.
    ['{"running":null}', '"running"'],
    ['{"killed":null}', '"killed"'],
    ['{"Running":null}', '"unknown"'],
    ['{"skipped":null}', '"unknown"'],
  ]);
  refusals(RunStatus, ['1', 'null', 'true', '[]', '["running"]', '{}', '{"running":null,"failed":null}', '{"running":{}}', '{"running":1}', '"\\ud800"', '{"\\udc00":null}']);
});

const RUN_IN = '{"exit_code":-1,"finished_at":"2026-05-24T09:05:00.25+09:00","started_at":"2026-05-24T09:00:00+09:00","status":"killed","run_id":"r1","extra":[1]}';
const RUN_OUT = '{"run_id":"r1","status":"killed","started_at":"2026-05-24T00:00:00Z","finished_at":"2026-05-24T00:05:00.250Z","exit_code":-1}';

describe('JobRun', () => {
  goldens(JobRun, [
    [RUN_IN, RUN_OUT],
    ['{"run_id":"r1","status":"running","started_at":"2026-05-24T00:00:00Z"}', '{"run_id":"r1","status":"running","started_at":"2026-05-24T00:00:00Z"}'],
    ['{"run_id":"r1","status":"running","started_at":"2026-05-24T00:00:00Z","finished_at":null,"exit_code":null}', '{"run_id":"r1","status":"running","started_at":"2026-05-24T00:00:00Z"}'],
    ['{"run_id":"r1","status":"Failed","started_at":"2026-05-24T00:00:00Z","exit_code":2147483647}', '{"run_id":"r1","status":"unknown","started_at":"2026-05-24T00:00:00Z","exit_code":2147483647}'],
    ['{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":-2147483648}', '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":-2147483648}'],
    ['{"run_id":"r1","status":{"failed":null},"started_at":"2026-05-24 00:00:00.1234 UTC"}', '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00.123400Z"}'],
    // serde_json also reads a struct from an array of its fields in order; the
    // #[serde(default)] fields (finished_at, exit_code) may be left out at the end.
    ['["r1","failed","2026-05-24T00:00:00Z",null,1]', '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":1}'],
    ['["r1","failed","2026-05-24T00:00:00Z"]', '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z"}'],
    ['["r1","running","2026-05-24T09:00:00+09:00",null]', '{"run_id":"r1","status":"running","started_at":"2026-05-24T00:00:00Z"}'],
    ['["r1",{"killed":null},"2026-05-24T00:00:00Z","2026-05-24T00:05:00Z"]', '{"run_id":"r1","status":"killed","started_at":"2026-05-24T00:00:00Z","finished_at":"2026-05-24T00:05:00Z"}'],
  ]);
  refusals(JobRun, [
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":2147483648}',
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":-2147483649}',
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":1.5}',
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":-0}',
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":"1"}',
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00"}',
    '{"run_id":"r1","status":"failed","started_at":"2026-02-30T00:00:00Z"}',
    '{"run_id":"r1","status":"failed","started_at":null}',
    '{"run_id":"r1","status":"failed"}',
    '{"run_id":"r1","started_at":"2026-05-24T00:00:00Z"}',
    '{"run_id":"r1","status":null,"started_at":"2026-05-24T00:00:00Z"}',
    '{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","finished_at":"yesterday"}',
    '{"run_id":"\\ud800","status":"failed","started_at":"2026-05-24T00:00:00Z"}',
    '["r1","failed"]',
    '["r1","failed","2026-05-24T00:00:00Z",null,1,null]',
    '[]',
    '[1,"failed","2026-05-24T00:00:00Z"]',
    '["r1",1,"2026-05-24T00:00:00Z"]',
    '["r1","failed","2026-05-24T00:00:00"]',
    '["r1","failed","2026-05-24T00:00:00Z",null,2147483648]',
    'null',
    '"r1"',
  ]);
});

describe('UserInvokableJob', () => {
  goldens(UserInvokableJob, [
    [
      `{"last_run":${RUN_IN},"timeout_secs":3600,"version":"1.0.0","category_order":-5,"category_icon":"wrench","category_label":"設定","category":"settings","icon":"wifi","display_description":"d","display_name":"Wi-Fi","id":"wifi","x":null}`,
      `{"id":"wifi","display_name":"Wi-Fi","display_description":"d","icon":"wifi","category":"settings","category_label":"設定","category_icon":"wrench","category_order":-5,"version":"1.0.0","timeout_secs":3600,"last_run":${RUN_OUT}}`,
    ],
    [
      '{"id":"a","display_name":"A","display_description":null,"icon":null,"category":"c","category_label":null,"category_icon":null,"category_order":null,"version":"1","timeout_secs":null,"last_run":null}',
      '{"id":"a","display_name":"A","category":"c","version":"1"}',
    ],
    ['{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":0,"category_order":0}', '{"id":"a","display_name":"A","category":"c","category_order":0,"version":"1","timeout_secs":0}'],
    ['{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":9007199254740991,"category_order":-9007199254740991}', '{"id":"a","display_name":"A","category":"c","category_order":-9007199254740991,"version":"1","timeout_secs":9007199254740991}'],
    // Array form: `version` (index 8) has no default, so the Options before it must be written (as null).
    ['["a","A",null,null,"c",null,null,null,"1"]', '{"id":"a","display_name":"A","category":"c","version":"1"}'],
    ['["a","A","d",null,"c","L",null,3,"1",60]', '{"id":"a","display_name":"A","display_description":"d","category":"c","category_label":"L","category_order":3,"version":"1","timeout_secs":60}'],
    // a nested struct may take the array form too
    [
      '["a","A",null,null,"c",null,null,null,"1",null,["r1","failed","2026-05-24T00:00:00Z",null,1]]',
      '{"id":"a","display_name":"A","category":"c","version":"1","last_run":{"run_id":"r1","status":"failed","started_at":"2026-05-24T00:00:00Z","exit_code":1}}',
    ],
  ]);
  refusals(UserInvokableJob, [
    '{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":-1}',
    '{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":9007199254740992}',
    '{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":1.5}',
    '{"id":"a","display_name":"A","category":"c","version":"1","timeout_secs":-0}',
    '{"id":"a","display_name":"A","category":"c","version":"1","category_order":9007199254740992}',
    '{"id":"a","display_name":"A","category":"c","version":"1","category_order":-9007199254740992}',
    '{"id":"a","display_name":"A","category":"c","version":"1","category_order":0.5}',
    '{"id":"a","display_name":"A","category":"c","version":"1","last_run":{}}',
    '{"id":"a","display_name":"A","category":"c"}',
    '{"id":"a","display_name":"A","category":null,"version":"1"}',
    '{"id":"a","display_name":"A","category":"c","version":"1","icon":"\\udfff"}',
    // array form: too short (version missing), fields out of place, too long
    '["a","A",null,null,"c",null,null,null]',
    '["a","A","c","1"]',
    '["a","A",null,null,"c",null,null,null,"1",null,null,null]',
    '["a","A",null,null,"c",null,null,0.5,"1"]',
    '["a","A",null,null,"c",null,null,null,"1",null,["r1","failed"]]',
  ]);
});

describe('jobs.list', () => {
  describe('JobsListParams', () => {
    goldens(JobsListParams, [
      ['{}', '{}'],
      ['{"category":null}', '{}'],
      ['{"category":"troubleshoot","page":2}', '{"category":"troubleshoot"}'],
      ['[]', '{}'],
      ['["catalog"]', '{"category":"catalog"}'],
      ['[null]', '{}'],
    ]);
    refusals(JobsListParams, ['null', '{"category":1}', '["a","b"]', '[1]']);
  });
  describe('JobsListResult', () => {
    goldens(JobsListResult, [
      ['{"items":[]}', '{"items":[]}'],
      ['{"items":[{"version":"1","category":"c","display_name":"A","id":"a"}],"total":1}', '{"items":[{"id":"a","display_name":"A","category":"c","version":"1"}]}'],
      ['[[]]', '{"items":[]}'],
      ['[[["a","A",null,null,"c",null,null,null,"1"]]]', '{"items":[{"id":"a","display_name":"A","category":"c","version":"1"}]}'],
    ]);
    refusals(JobsListResult, ['{}', '{"items":null}', '{"items":{}}', '{"items":[null]}', '[]', '[[],1]', '[{}]']);
  });
});

describe('jobs.execute / jobs.subscribe / jobs.unsubscribe / jobs.kill', () => {
  describe('JobsExecuteParams', () => {
    goldens(JobsExecuteParams, [['{"id":"m1","force":true}', '{"id":"m1"}'], ['["m1"]', '{"id":"m1"}']]);
    refusals(JobsExecuteParams, ['{}', '{"id":null}', '{"id":7}', '[]', 'null']);
  });
  describe('JobsExecuteResult', () => {
    goldens(JobsExecuteResult, [['{"run_id":"run-uuid-1"}', '{"run_id":"run-uuid-1"}']]);
    goldens(JobsExecuteResult, [['["run-uuid-1"]', '{"run_id":"run-uuid-1"}']]);
    refusals(JobsExecuteResult, ['{}', '{"run_id":"\\ud83d"}', '[]', '["a","b"]']);
  });
  describe('JobsSubscribeParams (an empty braced struct)', () => {
    goldens(JobsSubscribeParams, [['{}', '{}'], ['{"topic":"all","x":null}', '{}'], ['[]', '{}']]);
    refusals(JobsSubscribeParams, ['null', '[1]', '[null]', '[{}]', '"{}"', '0', 'true']);
  });
  describe('JobsSubscribeResult and JobsUnsubscribeParams', () => {
    goldens(JobsSubscribeResult, [['{"subscription":"s1","n":1}', '{"subscription":"s1"}']]);
    goldens(JobsUnsubscribeParams, [['{"subscription":"s1"}', '{"subscription":"s1"}']]);
    goldens(JobsSubscribeResult, [['["s1"]', '{"subscription":"s1"}']]);
    goldens(JobsUnsubscribeParams, [['["s1"]', '{"subscription":"s1"}']]);
    refusals(JobsSubscribeResult, ['{}', '{"subscription":null}', '[]', '["s1",null]']);
    refusals(JobsUnsubscribeParams, ['{}', '{"subscription":1}', '[1]']);
  });
  describe('JobsKillParams', () => {
    goldens(JobsKillParams, [['{"run_id":"r1","reason":"user"}', '{"run_id":"r1"}']]);
    goldens(JobsKillParams, [['["r1"]', '{"run_id":"r1"}']]);
    refusals(JobsKillParams, ['{}', '{"run_id":null}', '[]', '[null]', '["r1","user"]']);
  });
  describe('JobsKillResult', () => {
    goldens(JobsKillResult, [
      ['{"requested_at":"2026-05-24T09:00:00.123456+09:00"}', '{"requested_at":"2026-05-24T00:00:00.123456Z"}'],
      ['{"requested_at":"2026-05-24T00:00:00.000Z","by":"me"}', '{"requested_at":"2026-05-24T00:00:00Z"}'],
    ]);
    goldens(JobsKillResult, [['["2026-05-24T09:00:00+09:00"]', '{"requested_at":"2026-05-24T00:00:00Z"}']]);
    refusals(JobsKillResult, ['{}', '{"requested_at":null}', '{"requested_at":1716508800}', '{"requested_at":"2026-05-24"}', '[]', '["2026-05-24"]']);
  });
});

describe('JobProgress (jobs.progress push)', () => {
  goldens(JobProgress, [
    ['{"run_id":"r1","status":"running"}', '{"run_id":"r1","status":"running"}'],
    ['{"exit_code":null,"stderr_chunk":null,"stdout_chunk":null,"status":"running","run_id":"r1"}', '{"run_id":"r1","status":"running"}'],
    ['{"status":"running","stderr_chunk":"warn\\n","stdout_chunk":"héllo\\u0000\\n","run_id":"r1"}', '{"run_id":"r1","status":"running","stdout_chunk":"héllo\\u0000\\n","stderr_chunk":"warn\\n"}'],
    ['{"run_id":"r1","status":"failed","exit_code":-1,"seq":9}', '{"run_id":"r1","status":"failed","exit_code":-1}'],
    ['{"run_id":"r1","status":"paused"}', '{"run_id":"r1","status":"unknown"}'],
    ['{"run_id":"r1","status":"running","stdout_chunk":""}', '{"run_id":"r1","status":"running","stdout_chunk":""}'],
    ['["r1","completed",null,null,0]', '{"run_id":"r1","status":"completed","exit_code":0}'],
    ['["r1","running"]', '{"run_id":"r1","status":"running"}'],
    ['["r1","running","out\\n"]', '{"run_id":"r1","status":"running","stdout_chunk":"out\\n"}'],
    ['["r1","running",null,"err"]', '{"run_id":"r1","status":"running","stderr_chunk":"err"}'],
  ]);
  refusals(JobProgress, [
    '{"run_id":"r1","status":"failed","exit_code":2147483648}',
    '{"run_id":"r1","status":"failed","exit_code":-2147483649}',
    '{"run_id":"r1","status":"failed","exit_code":0.5}',
    '{"run_id":"r1","status":"failed","exit_code":true}',
    '{"run_id":"r1","status":7}',
    '{"run_id":"r1"}',
    '{"run_id":"r1","status":"running","stdout_chunk":"a\\udc00b"}',
    '{"run_id":"r1","status":"running","stdout_chunk":["a"]}',
    '["r1"]',
    '["r1","completed",null,null,0,null]',
    '[1,"running"]',
    '["r1","running",1]',
  ]);

  it('an absent Option is a missing key of the parsed object', () => {
    const p = JobProgress.parse({ run_id: 'r1', status: 'running', exit_code: null });
    expect('exit_code' in p).toBe(false);
    expect(Object.keys(p)).toEqual(['run_id', 'status']);
  });
});

describe('JSON-RPC errors', () => {
  it('keeps one table of codes', () => {
    expect(CATALOG_ERROR_CODES).toEqual({
      ParseError: -32700,
      InvalidRequest: -32600,
      MethodNotFound: -32601,
      InvalidParams: -32602,
      InternalError: -32603,
      Unauthorized: -32000,
      NotFound: -32001,
      RateLimit: -32003,
      StaleProtocol: -32004,
      PayloadTooLarge: -32005,
    });
    expect(catalogErrorKind(-32005)).toBe('PayloadTooLarge');
    expect(catalogErrorKind(-32002)).toBeUndefined();
  });

  goldens(CatalogRpcError, [
    [
      '{"message":"not your run","code":-32000,"data":{"detail":"run r1","kind":"Unauthorized","trace":1}}',
      '{"code":-32000,"message":"not your run","data":{"kind":"Unauthorized","detail":"run r1"}}',
    ],
    ['{"code":-32700,"message":"parse error","data":null}', '{"code":-32700,"message":"parse error"}'],
    ['{"code":-32099,"message":"?","data":{"kind":"Throttled","detail":""}}', '{"code":-32099,"message":"?","data":{"kind":"Throttled","detail":""}}'],
  ]);
  refusals(CatalogRpcError, ['{"code":-32000.5,"message":"x"}', '{"code":-32000}', '{"code":-32000,"message":"x","data":{"kind":"NotFound"}}']);
  refusals(CatalogErrorData, ['{"kind":1,"detail":"x"}', '{"detail":"x"}']);
});

describe('method table', () => {
  it('names the six methods and pairs each with its schemas', () => {
    expect(CATALOG_METHOD_NAMES).toEqual(['jobs.list', 'jobs.execute', 'jobs.subscribe', 'jobs.unsubscribe', 'jobs.progress', 'jobs.kill']);
    expect(CATALOG_METHODS['jobs.kill'].params).toBe(JobsKillParams);
    expect(CATALOG_METHODS['jobs.kill'].result).toBe(JobsKillResult);
    expect(CATALOG_METHODS['jobs.progress']).toMatchObject({ kind: 'notification', params: JobProgress, result: null });
    expect(isCatalogMethod('jobs.list')).toBe(true);
    expect(isCatalogMethod('toString')).toBe(false);
    expect(isCatalogMethod('jobs.List')).toBe(false);
  });
});

/** A wire text for any instant, at any offset, with up to 9 fraction digits. */
const dateText = fc
  .tuple(
    fc.integer({ min: 0, max: 253_370_678_399 }),
    fc.integer({ min: 0, max: 999_999_999 }),
    fc.integer({ min: -1439, max: 1439 }),
  )
  .map(([secs, nanos, off]) => {
    const local = new Date((secs + off * 60) * 1000).toISOString().slice(0, 19);
    const abs = Math.abs(off);
    const sign = off < 0 ? '-' : '+';
    return `${local}.${String(nanos).padStart(9, '0')}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  });
const text = fc.string({ unit: 'binary', maxLength: 12 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const status = fc.oneof(fc.constantFrom(...RUN_STATUSES), text, text.map((s) => ({ [s]: null })));
const run = fc.record(
  { run_id: text, status, started_at: dateText, finished_at: maybe(dateText), exit_code: maybe(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), junk: fc.jsonValue() },
  { requiredKeys: ['run_id', 'status', 'started_at'] },
);
const job = fc.record(
  {
    id: text,
    display_name: text,
    display_description: maybe(text),
    icon: maybe(text),
    category: text,
    category_label: maybe(text),
    category_icon: maybe(text),
    category_order: maybe(fc.maxSafeInteger()),
    version: text,
    timeout_secs: maybe(fc.maxSafeNat()),
    last_run: maybe(run),
  },
  { requiredKeys: ['id', 'display_name', 'category', 'version'] },
);
const progress = fc.record(
  { run_id: text, status, stdout_chunk: maybe(text), stderr_chunk: maybe(text), exit_code: maybe(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })) },
  { requiredKeys: ['run_id', 'status'] },
);

const ALL: readonly z.ZodType[] = [RunStatus, JobRun, UserInvokableJob, JobsListParams, JobsListResult, JobsExecuteParams, JobsExecuteResult, JobsSubscribeParams, JobsSubscribeResult, JobsUnsubscribeParams, JobProgress, JobsKillParams, JobsKillResult, CatalogErrorData, CatalogRpcError];

/** True when a decoded value holds `null` anywhere: serde never writes one for these types. */
function holdsNull(value: unknown): boolean {
  if (value === null) return true;
  return typeof value === 'object' && Object.values(value).some(holdsNull);
}

describe('properties', () => {
  /** parse → stringify → parse → stringify is a fixpoint, and no `null` is ever written. */
  const fixpoint = (schema: z.ZodType) => (value: unknown) => {
    const decoded: unknown = schema.parse(JSON.parse(JSON.stringify(value)));
    const once = JSON.stringify(decoded);
    expect(JSON.stringify(schema.parse(JSON.parse(once)))).toBe(once);
    expect(holdsNull(decoded)).toBe(false);
  };

  it('JobRun round-trips to a fixpoint', () => {
    fc.assert(fc.property(run, fixpoint(JobRun)), FC);
  });

  it('UserInvokableJob round-trips to a fixpoint', () => {
    fc.assert(fc.property(job, fixpoint(UserInvokableJob)), FC);
  });

  it('JobsListResult round-trips to a fixpoint', () => {
    fc.assert(fc.property(fc.array(job, { maxLength: 3 }), (items) => fixpoint(JobsListResult)({ items })), FC);
  });

  it('JobProgress round-trips to a fixpoint, keys in Rust order', () => {
    const order = ['run_id', 'status', 'stdout_chunk', 'stderr_chunk', 'exit_code'];
    fc.assert(
      fc.property(progress, (p) => {
        fixpoint(JobProgress)(p);
        const keys = Object.keys(JobProgress.parse(p));
        expect(keys).toEqual(order.filter((k) => keys.includes(k)));
      }),
      FC,
    );
  });

  /**
   * [schema, valid wire values, its fields in Rust order, fewest array elements serde reads]:
   * every kanade Option has #[serde(default)], so an array may stop after the
   * last field that is not an Option.
   */
  const seqCases = [
    ['JobRun', JobRun, run, ['run_id', 'status', 'started_at', 'finished_at', 'exit_code'], 3],
    [
      'UserInvokableJob',
      UserInvokableJob,
      job,
      ['id', 'display_name', 'display_description', 'icon', 'category', 'category_label', 'category_icon', 'category_order', 'version', 'timeout_secs', 'last_run'],
      9,
    ],
    ['JobProgress', JobProgress, progress, ['run_id', 'status', 'stdout_chunk', 'stderr_chunk', 'exit_code'], 2],
  ] as const;

  it.each(seqCases)('%s: an array of the first n fields reads as the object of those fields, exactly for the lengths serde reads', (_name, schema, arbitrary, fields, min) => {
    fc.assert(
      fc.property(arbitrary, fc.integer({ min: 0, max: fields.length + 1 }), (value, length) => {
        const full = schema.parse(JSON.parse(JSON.stringify(value))) as Record<string, unknown>;
        const elements = fields.map((key) => full[key] ?? null);
        const array = length <= fields.length ? elements.slice(0, length) : [...elements, null];
        const fromArray = schema.safeParse(JSON.parse(JSON.stringify(array)));
        expect(fromArray.success).toBe(length >= min && length <= fields.length);
        if (fromArray.success) {
          const object = Object.fromEntries(fields.slice(0, length).map((key, index) => [key, elements[index]]));
          expect(JSON.stringify(fromArray.data)).toBe(rewrite(schema, JSON.stringify(object)));
          const keys = Object.keys(fromArray.data);
          expect(keys).toEqual(fields.filter((key) => keys.includes(key)));
        }
      }),
      FC,
    );
  });

  it('arbitrary JSON never makes safeParse throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL), fc.oneof(fc.jsonValue(), fc.anything()), (schema, value) => {
        expect(() => schema.safeParse(value)).not.toThrow();
      }),
      FC,
    );
  });
});

describe('types are what a user would write by hand', () => {
  it('infers exact optional keys, never `| undefined`', () => {
    expectTypeOf<RunStatus>().toEqualTypeOf<'queued' | 'running' | 'completed' | 'failed' | 'killed' | 'unknown'>();
    expectTypeOf<JobProgress>().toEqualTypeOf<{
      run_id: string;
      status: RunStatus;
      stdout_chunk?: string;
      stderr_chunk?: string;
      exit_code?: number;
    }>();
    expectTypeOf<JobRun>().toEqualTypeOf<{
      run_id: string;
      status: RunStatus;
      started_at: string;
      finished_at?: string;
      exit_code?: number;
    }>();
    expectTypeOf<UserInvokableJob>().toEqualTypeOf<{
      id: string;
      display_name: string;
      display_description?: string;
      icon?: string;
      category: string;
      category_label?: string;
      category_icon?: string;
      category_order?: number;
      version: string;
      timeout_secs?: number;
      last_run?: JobRun;
    }>();
    expectTypeOf<JobsListParams>().toEqualTypeOf<{ category?: string }>();
    expectTypeOf<JobsListResult>().toEqualTypeOf<{ items: UserInvokableJob[] }>();
    expectTypeOf<JobsSubscribeParams>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<JobsKillResult>().toEqualTypeOf<{ requested_at: string }>();
    expectTypeOf<CatalogRpcError>().toEqualTypeOf<{ code: number; message: string; data?: CatalogErrorData }>();
  });

  it('types the method and error tables', () => {
    expectTypeOf<CatalogMethod>().toEqualTypeOf<'jobs.list' | 'jobs.execute' | 'jobs.subscribe' | 'jobs.unsubscribe' | 'jobs.progress' | 'jobs.kill'>();
    expectTypeOf<CatalogParams<'jobs.kill'>>().toEqualTypeOf<{ run_id: string }>();
    expectTypeOf<CatalogResult<'jobs.execute'>>().toEqualTypeOf<{ run_id: string }>();
    expectTypeOf<CatalogResult<'jobs.progress'>>().toEqualTypeOf<never>();
    expectTypeOf<CatalogErrorKind>().toEqualTypeOf<keyof typeof CATALOG_ERROR_CODES>();
    expectTypeOf(CATALOG_ERROR_CODES.Unauthorized).toEqualTypeOf<-32000>();
  });
});
