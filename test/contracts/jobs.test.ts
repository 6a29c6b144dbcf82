/**
 * The progit job contract against serde_json, byte for byte.
 *
 * Every expected string below is what `serde_json::to_string` writes for the
 * value serde decodes from the input: compact, fields in Rust declaration
 * order (for `JobEvent`: `type`, then `job_id`, then the flattened data),
 * `None` as `null`, defaults filled in, unknown fields gone.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  JOB_EVENT_TYPES,
  JobCancelledData,
  JobCompletedData,
  JobEvent,
  JobFailedData,
  JobId,
  JobLogLineData,
  JobOutputChunkData,
  JobProgressData,
  JobSpawnRequest,
  JobStartedData,
  JobStatus,
  isFinishedStatus,
  isTerminalEvent,
  jobStatusState,
} from '../../src/contracts/jobs.js';
import type { JobEventOf, JobEventType, JobSpawnRequestInput, JobState, TerminalJobEvent } from '../../src/contracts/jobs.js';
import { accepts, goldens, refusals, rewrite } from '../helpers/wire.js';

const FC = { seed: 42, numRuns: 300 } as const;





describe('JobSpawnRequest', () => {
  describe('round trips', () => {
    goldens(JobSpawnRequest, [
      [
        '{"label":"Build","binary":"cargo","args":["build","--release"],"cwd":"crates/core","env":{"RUST_LOG":"debug"},"timeout_secs":600}',
        '{"label":"Build","binary":"cargo","args":["build","--release"],"cwd":"crates/core","env":{"RUST_LOG":"debug"},"timeout_secs":600}',
      ],
      // #[serde(default)]: cwd None → null, env → {}, timeout_secs → 0.
      [
        '{"label":"Fetch","binary":"git","args":["fetch","--prune"]}',
        '{"label":"Fetch","binary":"git","args":["fetch","--prune"],"cwd":null,"env":{},"timeout_secs":0}',
      ],
      // Option<String> takes an explicit null.
      [
        '{"label":"x","binary":"git","args":[],"cwd":null}',
        '{"label":"x","binary":"git","args":[],"cwd":null,"env":{},"timeout_secs":0}',
      ],
      // Empty string is a value, not None.
      ['{"label":"","binary":"git","args":[""],"cwd":""}', '{"label":"","binary":"git","args":[""],"cwd":"","env":{},"timeout_secs":0}'],
      // Any field order and whitespace in; Rust order, compact out; unknown fields (even "data") dropped.
      [
        ' { "timeout_secs" : 30 ,\n\t"args":[ "status" ], "binary":"git", "label":"Status", "priority":5, "data":{"a":1}, "cwd":"sub" }\r\n',
        '{"label":"Status","binary":"git","args":["status"],"cwd":"sub","env":{},"timeout_secs":30}',
      ],
      // serde_json's string escaping: \" \\ \b \f \n \r \t, other C0 controls as lowercase \u00xx,
      // nothing else (not /, DEL, U+2028, non-ASCII, astral).
      [
        String.raw`{"label":"a\u0000\u001F\"\\\/\b\f\n\r\t\u007f\u2028\u00e9\ud83d\ude00z","binary":"b","args":[]}`,
        '{"label":"a\\u0000\\u001f\\"\\\\/\\b\\f\\n\\r\\t\u007f\u2028é😀z","binary":"b","args":[],"cwd":null,"env":{},"timeout_secs":0}',
      ],
      // Map values and keys are strings of any content.
      [
        '{"label":"x","binary":"b","args":[],"env":{"":"","A B":"c=d","PATH":"/usr/bin"}}',
        '{"label":"x","binary":"b","args":[],"cwd":null,"env":{"":"","A B":"c=d","PATH":"/usr/bin"},"timeout_secs":0}',
      ],
      // u64 up to the documented 2^53-1 ceiling.
      [
        '{"label":"x","binary":"b","args":[],"timeout_secs":9007199254740991}',
        '{"label":"x","binary":"b","args":[],"cwd":null,"env":{},"timeout_secs":9007199254740991}',
      ],
    ]);

    // Documented exception: serde keeps "__proto__" as an ordinary HashMap key; zod
    // strips it everywhere as a prototype-pollution guard. It is dropped, never
    // applied to the prototype.
    it('drops an env key named "__proto__" without touching the prototype (documented exception)', () => {
      const parsed = JobSpawnRequest.parse(JSON.parse('{"label":"x","binary":"b","args":[],"env":{"__proto__":{"polluted":"yes"},"A":"1"}}'));
      expect(JSON.stringify(parsed)).toBe('{"label":"x","binary":"b","args":[],"cwd":null,"env":{"A":"1"},"timeout_secs":0}');
      expect(Object.getPrototypeOf(parsed.env)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('refusals', () => {
    const base = '"label":"x","binary":"git","args":[]';
    refusals(JobSpawnRequest, [
      // explicit null for a non-Option #[serde(default)] field
      `{${base},"env":null}`,
      `{${base},"timeout_secs":null}`,
      // required fields
      '{"binary":"git","args":[]}',
      '{"label":"x","args":[]}',
      '{"label":"x","binary":"git"}',
      '{"label":null,"binary":"git","args":[]}',
      '{"label":"x","binary":"git","args":null}',
      // wrong types
      '{"label":1,"binary":"git","args":[]}',
      '{"label":"x","binary":["git"],"args":[]}',
      '{"label":"x","binary":"git","args":"fetch"}',
      '{"label":"x","binary":"git","args":[1]}',
      '{"label":"x","binary":"git","args":[null]}',
      `{${base},"cwd":5}`,
      `{${base},"cwd":false}`,
      `{${base},"env":[]}`,
      `{${base},"env":"A=1"}`,
      `{${base},"env":{"A":1}}`,
      `{${base},"env":{"A":null}}`,
      `{${base},"timeout_secs":"30"}`,
      `{${base},"timeout_secs":true}`,
      // u64 range
      `{${base},"timeout_secs":-1}`,
      `{${base},"timeout_secs":1.5}`,
      `{${base},"timeout_secs":9007199254740992}`, // documented exception: serde takes it, we cannot hold it
      `{${base},"timeout_secs":1e400}`,
      // neither an object nor an array
      'null',
      '"x"',
      // lone surrogates anywhere a String is decoded
      String.raw`{"label":"\ud800","binary":"git","args":[]}`,
      String.raw`{"label":"x","binary":"git","args":["ok","\udfff"]}`,
      String.raw`{${base},"cwd":"a\ud83d"}`,
      String.raw`{${base},"env":{"\udc00":"v"}}`,
      String.raw`{${base},"env":{"K":"\ud800\u0041"}}`,
    ]);
  });

  // serde_derive's visit_seq: the fields in declaration order. `cwd`, `env` and
  // `timeout_secs` have #[serde(default)], so an array of 3 to 6 elements is read.
  describe('array form', () => {
    goldens(JobSpawnRequest, [
      [
        '["Build","cargo",["build","--release"],"crates/core",{"RUST_LOG":"debug"},600]',
        '{"label":"Build","binary":"cargo","args":["build","--release"],"cwd":"crates/core","env":{"RUST_LOG":"debug"},"timeout_secs":600}',
      ],
      // trailing defaulted fields left out take their defaults
      ['["Fetch","git",["fetch"]]', '{"label":"Fetch","binary":"git","args":["fetch"],"cwd":null,"env":{},"timeout_secs":0}'],
      ['["x","git",[],"sub"]', '{"label":"x","binary":"git","args":[],"cwd":"sub","env":{},"timeout_secs":0}'],
      ['["x","git",[],null,{"A":"1"}]', '{"label":"x","binary":"git","args":[],"cwd":null,"env":{"A":"1"},"timeout_secs":0}'],
      [' [ "x" , "git" , [ ] , null , { } , 9007199254740991 ] ', '{"label":"x","binary":"git","args":[],"cwd":null,"env":{},"timeout_secs":9007199254740991}'],
    ]);

    refusals(JobSpawnRequest, [
      // more elements than fields (serde_json: "trailing characters")
      '["x","git",[],null,{},0,0]',
      '["x","git",[],null,{},0,null]',
      // a field without #[serde(default)] may not be left out
      '[]',
      '["x"]',
      '["x","git"]',
      // wrong type at a position: the elements are not matched by name
      '[1,"git",[]]',
      '["x","git","fetch"]',
      '["x",["git"],[]]',
      '["x","git",[],5]',
      '["x","git",[],null,[]]',
      '["x","git",[],null,{},-1]',
      '["x","git",[],null,{},"30"]',
      '["x","git",[],{},null]',
      // a present null is not "use the default" for a non-Option field
      '["x","git",[],null,null]',
      '["x","git",[],null,{},null]',
      // an object inside the array is just a wrong type for `label`
      '[{"label":"x","binary":"git","args":[]}]',
      String.raw`["\ud800","git",[]]`,
    ]);

    it('issues name the surplus position or the first missing field', () => {
      const surplus = JobSpawnRequest.safeParse(['x', 'git', [], null, {}, 0, 'extra']);
      expect(surplus.success).toBe(false);
      expect(surplus.error?.issues[0]).toMatchObject({ code: 'too_big', path: [6] });
      const short = JobSpawnRequest.safeParse(['x', 'git']);
      expect(short.error?.issues[0]?.message).toContain('`args` (index 2)');
      const wrong = JobSpawnRequest.safeParse(['x', 'git', 'fetch']);
      expect(wrong.error?.issues[0]?.path).toEqual(['args']);
    });

    it('parses to the object serde writes, keys in Rust order, as the host reads it', () => {
      const parsed = JobSpawnRequest.safeParse(['Fetch', 'git', ['fetch']]);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual({ label: 'Fetch', binary: 'git', args: ['fetch'], cwd: null, env: {}, timeout_secs: 0 });
      expect(Object.keys(parsed.data ?? {})).toEqual(['label', 'binary', 'args', 'cwd', 'env', 'timeout_secs']);
      expect(Array.isArray(parsed.data)).toBe(false);
    });
  });
});

describe('JobEvent', () => {
  describe('every variant round trips with the data flattened beside type and job_id', () => {
    goldens(JobEvent, [
      [
        '{"type":"job_started","job_id":"git:1","pid":4242,"started_at":"2026-01-02T03:04:05Z"}',
        '{"type":"job_started","job_id":"git:1","pid":4242,"started_at":"2026-01-02T03:04:05Z"}',
      ],
      [
        '{"type":"job_progress","job_id":"git:1","percent":42,"step":"Compiling module 3/7"}',
        '{"type":"job_progress","job_id":"git:1","percent":42,"step":"Compiling module 3/7"}',
      ],
      [
        '{"type":"job_log_line","job_id":"git:1","line":"remote: Counting objects: 5","stream":"stderr"}',
        '{"type":"job_log_line","job_id":"git:1","line":"remote: Counting objects: 5","stream":"stderr"}',
      ],
      [
        '{"type":"job_output_chunk","job_id":"git:1","bytes":[0,1,127,128,255],"stream":"stdout"}',
        '{"type":"job_output_chunk","job_id":"git:1","bytes":[0,1,127,128,255],"stream":"stdout"}',
      ],
      [
        '{"type":"job_cancelled","job_id":"git:1","reason":"timeout after 30s","cancelled_at":"2026-01-02T03:04:35Z"}',
        '{"type":"job_cancelled","job_id":"git:1","reason":"timeout after 30s","cancelled_at":"2026-01-02T03:04:35Z"}',
      ],
      [
        '{"type":"job_completed","job_id":"git:1","exit_code":0,"completed_at":"2026-01-02T03:04:06Z","output_tail":"done\\n"}',
        '{"type":"job_completed","job_id":"git:1","exit_code":0,"completed_at":"2026-01-02T03:04:06Z","output_tail":"done\\n"}',
      ],
      [
        '{"type":"job_failed","job_id":"git:1","exit_code":128,"error":"fatal: not a git repository","failed_at":"2026-01-02T03:04:06Z"}',
        '{"type":"job_failed","job_id":"git:1","exit_code":128,"error":"fatal: not a git repository","failed_at":"2026-01-02T03:04:06Z"}',
      ],
    ]);
  });

  describe('absent and null options are both None, written as null', () => {
    goldens(JobEvent, [
      ['{"type":"job_started","job_id":"j","started_at":"t"}', '{"type":"job_started","job_id":"j","pid":null,"started_at":"t"}'],
      ['{"type":"job_started","job_id":"j","pid":null,"started_at":"t"}', '{"type":"job_started","job_id":"j","pid":null,"started_at":"t"}'],
      ['{"type":"job_progress","job_id":"j"}', '{"type":"job_progress","job_id":"j","percent":null,"step":null}'],
      ['{"type":"job_progress","job_id":"j","percent":null,"step":null}', '{"type":"job_progress","job_id":"j","percent":null,"step":null}'],
      ['{"type":"job_progress","job_id":"j","step":"s"}', '{"type":"job_progress","job_id":"j","percent":null,"step":"s"}'],
      [
        '{"type":"job_completed","job_id":"j","exit_code":0,"completed_at":"t"}',
        '{"type":"job_completed","job_id":"j","exit_code":0,"completed_at":"t","output_tail":null}',
      ],
      [
        '{"type":"job_failed","job_id":"j","error":"spawn git ENOENT","failed_at":"t"}',
        '{"type":"job_failed","job_id":"j","exit_code":null,"error":"spawn git ENOENT","failed_at":"t"}',
      ],
    ]);
  });

  describe('field order, unknown fields and a stray "data" key', () => {
    goldens(JobEvent, [
      // the tag may come anywhere; it is written first
      [
        '{"stream":"stdout","line":"ok","job_id":"j","type":"job_log_line"}',
        '{"type":"job_log_line","job_id":"j","line":"ok","stream":"stdout"}',
      ],
      // the Rust doc comment's "data" wrapper is not the wire: a "data" key is just unknown
      [
        '{"type":"job_log_line","job_id":"j","line":"a","stream":"stdout","data":{"line":"b","stream":"stderr"}}',
        '{"type":"job_log_line","job_id":"j","line":"a","stream":"stdout"}',
      ],
      [
        '{"type":"job_started","job_id":"j","pid":1,"started_at":"t","host":"ci-7","extra":[1,{"x":null}]}',
        '{"type":"job_started","job_id":"j","pid":1,"started_at":"t"}',
      ],
      // stream is a free string on the wire
      ['{"type":"job_log_line","job_id":"j","line":"","stream":"system"}', '{"type":"job_log_line","job_id":"j","line":"","stream":"system"}'],
      ['{"type":"job_output_chunk","job_id":"j","bytes":[],"stream":"other"}', '{"type":"job_output_chunk","job_id":"j","bytes":[],"stream":"other"}'],
    ]);
  });

  describe('refusals', () => {
    refusals(JobEvent, [
      // the data wrapped in "data", as the doc comment claims, lacks the flattened fields
      '{"type":"job_log_line","job_id":"j","data":{"line":"a","stream":"stdout"}}',
      '{"type":"job_started","job_id":"j","data":{"pid":1,"started_at":"t"}}',
      // tag
      '{"job_id":"j","line":"a","stream":"stdout"}',
      '{"type":"job_paused","job_id":"j"}',
      '{"type":"JobStarted","job_id":"j","started_at":"t"}',
      '{"type":"JOB_STARTED","job_id":"j","started_at":"t"}',
      '{"type":null,"job_id":"j","started_at":"t"}',
      '{"type":1,"job_id":"j","started_at":"t"}',
      // job_id
      '{"type":"job_started","started_at":"t"}',
      '{"type":"job_started","job_id":7,"started_at":"t"}',
      '{"type":"job_started","job_id":null,"started_at":"t"}',
      String.raw`{"type":"job_started","job_id":"\ud800","started_at":"t"}`,
      // required data fields and their types
      '{"type":"job_started","job_id":"j"}',
      '{"type":"job_started","job_id":"j","pid":"12","started_at":"t"}',
      '{"type":"job_log_line","job_id":"j","line":"a"}',
      '{"type":"job_log_line","job_id":"j","line":["a"],"stream":"stdout"}',
      '{"type":"job_cancelled","job_id":"j","reason":"r"}',
      '{"type":"job_cancelled","job_id":"j","reason":null,"cancelled_at":"t"}',
      '{"type":"job_completed","job_id":"j","completed_at":"t"}',
      '{"type":"job_completed","job_id":"j","exit_code":null,"completed_at":"t"}',
      '{"type":"job_completed","job_id":"j","exit_code":0,"completed_at":"t","output_tail":5}',
      '{"type":"job_failed","job_id":"j","exit_code":1,"failed_at":"t"}',
      '{"type":"job_failed","job_id":"j","exit_code":"1","error":"e","failed_at":"t"}',
      '{"type":"job_progress","job_id":"j","step":3}',
      // not an object; serde refuses an array too (see 'has no array form' below)
      '["job_started","j",1,"t"]',
      '"job_started"',
      'null',
    ]);
  });

  /** Every field of every variant, by Rust type, to try every wrong JSON type against. */
  const FIELDS: Record<JobEventType, Record<string, Kind>> = {
    job_started: { pid: 'u32?', started_at: 'str' },
    job_progress: { percent: 'u8?', step: 'str?' },
    job_log_line: { line: 'str', stream: 'str' },
    job_output_chunk: { bytes: 'bytes', stream: 'str' },
    job_cancelled: { reason: 'str', cancelled_at: 'str' },
    job_completed: { exit_code: 'i32', completed_at: 'str', output_tail: 'str?' },
    job_failed: { exit_code: 'i32?', error: 'str', failed_at: 'str' },
  };
  const VALID: Record<Kind, unknown> = { str: 's', 'str?': null, u8: 1, 'u8?': null, 'u32?': null, i32: 1, 'i32?': null, bytes: [] };
  const CANDIDATES: unknown[] = [null, true, 's', '', 0, 7, -1, 1.5, 256, 4294967296, -2147483649, [], [1], ['s'], [256], {}, { a: 1 }];

  it('accepts exactly the values of the right Rust type in every field', () => {
    for (const type of JOB_EVENT_TYPES) {
      const fields = FIELDS[type];
      const valid = Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, VALID[kind]]));
      for (const [name, kind] of Object.entries(fields)) {
        for (const candidate of CANDIDATES) {
          const wire = { type, job_id: 'j', ...valid, [name]: candidate };
          expect(JobEvent.safeParse(wire).success, `${type}.${name} = ${JSON.stringify(candidate)}`).toBe(fits(kind, candidate));
        }
      }
    }
  });
});

// Every JobEvent variant holds a #[serde(flatten)] field. serde_derive gives a
// struct with a flattened field no visit_seq (struct_.rs: "structs that only
// have a map representation"), and the internally tagged dispatch reads the
// variant with deserialize_any, so an array fails with "invalid type: sequence".
describe('JobEvent has no array form, as in serde', () => {
  refusals(JobEvent, [
    '[]',
    '["job_started"]',
    '["job_started","j",4242,"t"]',
    '["job_log_line","j","line","stdout"]',
    '["job_progress","j"]',
    '["job_progress","j",null,null]',
    '["job_failed","j",null,"e","t"]',
  ]);

  it('its seven data types stay plain objects that refuse arrays (serde only reads them flattened, from a map)', () => {
    const data = [JobStartedData, JobProgressData, JobLogLineData, JobOutputChunkData, JobCancelledData, JobCompletedData, JobFailedData];
    for (const schema of data) expect(schema).toBeInstanceOf(z.ZodObject);
    expect(JobStartedData.safeParse([1, 't']).success).toBe(false);
    expect(JobProgressData.safeParse([]).success).toBe(false);
    expect(JobLogLineData.safeParse(['l', 'stdout']).success).toBe(false);
  });
});

type Kind = 'str' | 'str?' | 'u8' | 'u8?' | 'u32?' | 'i32' | 'i32?' | 'bytes';

/** What serde accepts for each Rust type, written independently of the schemas. */
function fits(kind: Kind, value: unknown): boolean {
  const int = (min: number, max: number) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  switch (kind) {
    case 'str':
      return typeof value === 'string';
    case 'str?':
      return value === null || typeof value === 'string';
    case 'u8':
      return int(0, 255);
    case 'u8?':
      return value === null || int(0, 255);
    case 'u32?':
      return value === null || int(0, 4_294_967_295);
    case 'i32':
      return int(-2_147_483_648, 2_147_483_647);
    case 'i32?':
      return value === null || int(-2_147_483_648, 2_147_483_647);
    case 'bytes':
      return Array.isArray(value) && value.every((b) => Number.isInteger(b) && (b as number) >= 0 && (b as number) <= 255);
  }
}

describe('the seven data types on their own', () => {
  goldens(JobStartedData, [['{"started_at":"t"}', '{"pid":null,"started_at":"t"}']]);
  goldens(JobProgressData, [['{}', '{"percent":null,"step":null}']]);
  goldens(JobLogLineData, [['{"stream":"stderr","line":"l"}', '{"line":"l","stream":"stderr"}']]);
  goldens(JobOutputChunkData, [['{"bytes":[10],"stream":"stdout","type":"x"}', '{"bytes":[10],"stream":"stdout"}']]);
  goldens(JobCancelledData, [['{"cancelled_at":"t","reason":"r"}', '{"reason":"r","cancelled_at":"t"}']]);
  goldens(JobCompletedData, [['{"exit_code":-1,"completed_at":"t"}', '{"exit_code":-1,"completed_at":"t","output_tail":null}']]);
  goldens(JobFailedData, [['{"error":"e","failed_at":"t"}', '{"exit_code":null,"error":"e","failed_at":"t"}']]);
  goldens(JobId, [['"plugin:1"', '"plugin:1"']]);
  refusals(JobId, ['1', 'null', String.raw`"\udc00x"`]);
});

describe('JobStatus', () => {
  describe('round trips', () => {
    goldens(JobStatus, [
      ['"Pending"', '"Pending"'],
      // serde reads a unit variant written as a one-key object with null
      ['{"Pending":null}', '"Pending"'],
      ['{"Running":{"started_at":"2026-01-02T03:04:05Z","percent":50}}', '{"Running":{"started_at":"2026-01-02T03:04:05Z","percent":50}}'],
      ['{"Running":{"started_at":"t"}}', '{"Running":{"started_at":"t","percent":null}}'],
      ['{"Running":{"percent":null,"started_at":"t","eta":5}}', '{"Running":{"started_at":"t","percent":null}}'],
      ['{"Cancelled":{"reason":"user"}}', '{"Cancelled":{"reason":"user"}}'],
      ['{"Completed":{"exit_code":0}}', '{"Completed":{"exit_code":0}}'],
      ['{"Completed":{"exit_code":-2147483648}}', '{"Completed":{"exit_code":-2147483648}}'],
      ['{"Failed":{"error":"spawn ENOENT"}}', '{"Failed":{"exit_code":null,"error":"spawn ENOENT"}}'],
      ['{"Failed":{"exit_code":2147483647,"error":"e"}}', '{"Failed":{"exit_code":2147483647,"error":"e"}}'],
    ]);
  });

  // A struct variant's content goes through serde_json's VariantAccess::struct_variant,
  // which calls deserialize_struct: an array of the fields is read as well.
  describe('struct variants from an array of their fields', () => {
    goldens(JobStatus, [
      ['{"Running":["2026-01-02T03:04:05Z",50]}', '{"Running":{"started_at":"2026-01-02T03:04:05Z","percent":50}}'],
      ['{"Running":["t",null]}', '{"Running":{"started_at":"t","percent":null}}'],
      ['{"Cancelled":["user"]}', '{"Cancelled":{"reason":"user"}}'],
      ['{"Completed":[0]}', '{"Completed":{"exit_code":0}}'],
      ['{"Completed":[-2147483648]}', '{"Completed":{"exit_code":-2147483648}}'],
      ['{"Failed":[null,"spawn ENOENT"]}', '{"Failed":{"exit_code":null,"error":"spawn ENOENT"}}'],
      ['{"Failed":[1,"e"]}', '{"Failed":{"exit_code":1,"error":"e"}}'],
    ]);
  });

  describe('refusals', () => {
    refusals(JobStatus, [
      // a struct variant as a bare string
      '"Running"',
      '"Cancelled"',
      '"Completed"',
      '"Failed"',
      // case, unknown variants
      '"pending"',
      '"Queued"',
      '{"running":{"started_at":"t"}}',
      '{"Paused":{}}',
      // the object must have exactly one key
      '{}',
      '{"Running":{"started_at":"t"},"Pending":null}',
      '{"Completed":{"exit_code":0},"extra":1}',
      // unit variant content must be null
      '{"Pending":{}}',
      '{"Pending":0}',
      // struct variant content
      '{"Running":null}',
      '{"Running":{}}',
      // array content: serde's visit_seq needs every element, the Option too (no #[serde(default)])
      '{"Running":["t"]}',
      '{"Running":[]}',
      '{"Running":["t",null,null]}',
      '{"Running":[null,"t"]}',
      '{"Running":["t",256]}',
      '{"Cancelled":[]}',
      '{"Cancelled":["r","x"]}',
      '{"Cancelled":[null]}',
      '{"Completed":[]}',
      '{"Completed":[null]}',
      '{"Completed":[2147483648]}',
      '{"Failed":["e"]}',
      '{"Failed":[null]}',
      '{"Failed":[1,"e",null]}',
      '{"Pending":[]}',
      '{"Running":{"started_at":"t","percent":256}}',
      '{"Running":{"started_at":"t","percent":-1}}',
      '{"Cancelled":{}}',
      '{"Completed":{}}',
      '{"Completed":{"exit_code":null}}',
      '{"Completed":{"exit_code":2147483648}}',
      '{"Failed":{"exit_code":-2147483649,"error":"e"}}',
      '{"Failed":{"exit_code":1}}',
      // not a status at all
      'null',
      '0',
      '[]',
      '["Pending"]',
    ]);
  });
});

describe('integer widths', () => {
  const progress = (percent: string) => `{"type":"job_progress","job_id":"j","percent":${percent}}`;
  const started = (pid: string) => `{"type":"job_started","job_id":"j","pid":${pid},"started_at":"t"}`;
  const completed = (code: string) => `{"type":"job_completed","job_id":"j","exit_code":${code},"completed_at":"t"}`;
  const failed = (code: string) => `{"type":"job_failed","job_id":"j","exit_code":${code},"error":"e","failed_at":"t"}`;
  const spawn = (secs: string) => `{"label":"x","binary":"b","args":[],"timeout_secs":${secs}}`;

  it.each([
    ['u8 percent', progress, ['0', '255'], ['256', '-1', '1.5', '"50"', 'true']],
    ['u32 pid', started, ['0', '4294967295'], ['4294967296', '-1', '0.5', '"12"']],
    ['i32 exit_code', completed, ['-2147483648', '2147483647', '0', '-1'], ['-2147483649', '2147483648', '1.5', 'null']],
    ['Option<i32> exit_code', failed, ['-2147483648', '2147483647', 'null'], ['-2147483649', '2147483648', '0.1']],
    ['u64 timeout_secs (2^53-1 ceiling, documented)', spawn, ['0', '9007199254740991'], ['9007199254740992', '18446744073709551615', '-1', '2.5']],
  ] as const)('%s', (_name, wire, ok, refused) => {
    const schema = wire === spawn ? JobSpawnRequest : JobEvent;
    for (const n of ok) expect(accepts(schema, wire(n)), n).toBe(true);
    for (const n of refused) expect(accepts(schema, wire(n)), n).toBe(false);
  });

  // serde_json parses `-0` as the float -0.0 (de.rs `parse_number`: "Convert into a
  // float if we underflow, or on `-0`"), so every integer field refuses it.
  it('refuses -0 in integer fields, as serde_json does', () => {
    expect(accepts(JobEvent, started('-0'))).toBe(false);
    expect(accepts(JobEvent, progress('-0'))).toBe(false);
    expect(accepts(JobEvent, completed('-0'))).toBe(false);
    expect(accepts(JobSpawnRequest, spawn('-0'))).toBe(false);
  });

  // Documented exception: JSON.parse turns 50.0 and 5e1 into 50, so serde's
  // "invalid type: floating point" for them cannot be mirrored.
  it('accepts integral floats (documented exception)', () => {
    expect(rewrite(JobEvent, progress('50.0'))).toBe('{"type":"job_progress","job_id":"j","percent":50,"step":null}');
    expect(rewrite(JobEvent, progress('5e1'))).toBe('{"type":"job_progress","job_id":"j","percent":50,"step":null}');
  });
});

describe('Vec<u8> bytes', () => {
  const chunk = (bytes: string) => `{"type":"job_output_chunk","job_id":"j","bytes":${bytes},"stream":"stdout"}`;

  it('is an array of integers 0-255', () => {
    expect(rewrite(JobEvent, chunk('[ 104, 105 ,10 ]'))).toBe(chunk('[104,105,10]'));
    expect(rewrite(JobEvent, chunk('[]'))).toBe(chunk('[]'));
  });

  it.each(['[256]', '[-1]', '["a"]', '[1.5]', '[null]', '[[1]]', '"aGk="', '"hi"', 'null', '{"0":1}'])('refuses %s', (bytes) => {
    expect(accepts(JobEvent, chunk(bytes))).toBe(false);
  });
});

describe('helpers', () => {
  const statuses: [JobStatus, JobState, boolean][] = [
    ['Pending', 'pending', false],
    [{ Running: { started_at: 't', percent: null } }, 'running', false],
    [{ Cancelled: { reason: 'r' } }, 'cancelled', true],
    [{ Completed: { exit_code: 0 } }, 'completed', true],
    [{ Failed: { exit_code: null, error: 'e' } }, 'failed', true],
  ];

  it.each(statuses)('jobStatusState / isFinishedStatus of %j', (status, state, finished) => {
    expect(jobStatusState(status)).toBe(state);
    expect(isFinishedStatus(status)).toBe(finished);
  });

  it('jobStatusState works on a decoded {"Pending":null}', () => {
    expect(jobStatusState(JobStatus.parse({ Pending: null }))).toBe('pending');
  });

  it('isTerminalEvent is true exactly for cancelled, completed and failed', () => {
    const events: JobEvent[] = [
      { type: 'job_started', job_id: 'j', pid: null, started_at: 't' },
      { type: 'job_progress', job_id: 'j', percent: null, step: null },
      { type: 'job_log_line', job_id: 'j', line: 'l', stream: 'stdout' },
      { type: 'job_output_chunk', job_id: 'j', bytes: [], stream: 'stdout' },
      { type: 'job_cancelled', job_id: 'j', reason: 'r', cancelled_at: 't' },
      { type: 'job_completed', job_id: 'j', exit_code: 0, completed_at: 't', output_tail: null },
      { type: 'job_failed', job_id: 'j', exit_code: null, error: 'e', failed_at: 't' },
    ];
    expect(events.map((e) => e.type)).toEqual([...JOB_EVENT_TYPES]);
    expect(events.filter(isTerminalEvent).map((e) => e.type)).toEqual(['job_cancelled', 'job_completed', 'job_failed']);
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const text = fc.string({ unit: 'binary', maxLength: 12 });
const u8 = fc.integer({ min: 0, max: 255 });
const u32 = fc.integer({ min: 0, max: 4_294_967_295 });
const i32 = fc.integer({ min: -2_147_483_648, max: 2_147_483_647 });
const u64 = fc.maxSafeNat();
/** `Option<T>` on the wire: the value, null, or (through `requiredKeys`) a missing key. */
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
/** Keys for maps; "__proto__" is left out until stringMap keeps it (see the `.fails` test above). */
const mapKey = text.filter((k) => k !== '__proto__');

const spawnWire = fc.record(
  {
    label: text,
    binary: text,
    args: fc.array(text, { maxLength: 4 }),
    cwd: opt(text),
    env: fc.dictionary(mapKey, text, { maxKeys: 4 }),
    timeout_secs: u64,
    unknown_field: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['label', 'binary', 'args'] },
);

const event = <T extends string>(type: T, data: Record<string, fc.Arbitrary<unknown>>, required: string[]) =>
  fc.record({ type: fc.constant(type), job_id: text, ...data, data: fc.jsonValue({ maxDepth: 2 }) }, {
    requiredKeys: ['type', 'job_id', ...required] as never[],
  });

const eventWire = fc.oneof(
  event('job_started', { pid: opt(u32), started_at: text }, ['started_at']),
  event('job_progress', { percent: opt(u8), step: opt(text) }, []),
  event('job_log_line', { line: text, stream: text }, ['line', 'stream']),
  event('job_output_chunk', { bytes: fc.array(u8, { maxLength: 8 }), stream: text }, ['bytes', 'stream']),
  event('job_cancelled', { reason: text, cancelled_at: text }, ['reason', 'cancelled_at']),
  event('job_completed', { exit_code: i32, completed_at: text, output_tail: opt(text) }, ['exit_code', 'completed_at']),
  event('job_failed', { exit_code: opt(i32), error: text, failed_at: text }, ['error', 'failed_at']),
);

const statusWire = fc.oneof(
  fc.constant<unknown>('Pending'),
  fc.constant<unknown>({ Pending: null }),
  fc.record({ Running: fc.record({ started_at: text, percent: opt(u8) }, { requiredKeys: ['started_at'] }) }),
  fc.record({ Cancelled: fc.record({ reason: text }) }),
  fc.record({ Completed: fc.record({ exit_code: i32 }) }),
  fc.record({ Failed: fc.record({ exit_code: opt(i32), error: text }, { requiredKeys: ['error'] }) }),
  // the array form of each struct variant: every element present
  fc.record({ Running: fc.tuple(text, opt(u8)) }),
  fc.record({ Cancelled: fc.tuple(text) }),
  fc.record({ Completed: fc.tuple(i32) }),
  fc.record({ Failed: fc.tuple(opt(i32), text) }),
);

/** JobSpawnRequest's fields in Rust order; the last three have #[serde(default)]. */
const SPAWN_FIELDS = ['label', 'binary', 'args', 'cwd', 'env', 'timeout_secs'] as const;
const SPAWN_REQUIRED = 3;

const RUST_ORDER: Record<JobEventType, string[]> = {
  job_started: ['type', 'job_id', 'pid', 'started_at'],
  job_progress: ['type', 'job_id', 'percent', 'step'],
  job_log_line: ['type', 'job_id', 'line', 'stream'],
  job_output_chunk: ['type', 'job_id', 'bytes', 'stream'],
  job_cancelled: ['type', 'job_id', 'reason', 'cancelled_at'],
  job_completed: ['type', 'job_id', 'exit_code', 'completed_at', 'output_tail'],
  job_failed: ['type', 'job_id', 'exit_code', 'error', 'failed_at'],
};


function roundTripProperty(schema: z.ZodType, wire: fc.Arbitrary<unknown>, check?: (parsed: unknown) => void) {
  fc.assert(
    fc.property(wire, (value) => {
      const once = rewrite(schema, JSON.stringify(value));
      expect(rewrite(schema, once)).toBe(once); // stringify ∘ parse is a fixpoint
      const parsed: unknown = schema.parse(JSON.parse(once));
      expect(schema.parse(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
      check?.(parsed);
    }),
    FC,
  );
}

describe('properties', () => {
  it('JobSpawnRequest: valid wire values round-trip, Rust order, defaults filled', () => {
    roundTripProperty(JobSpawnRequest, spawnWire, (parsed) => {
      expect(Object.keys(parsed as object)).toEqual(['label', 'binary', 'args', 'cwd', 'env', 'timeout_secs']);
    });
  });

  it('JobSpawnRequest: an array of the first n fields reads as the object of those fields (n = 3..6), and no other length does', () => {
    fc.assert(
      fc.property(spawnWire, fc.integer({ min: 0, max: SPAWN_FIELDS.length + 1 }), (value, length) => {
        const full = JobSpawnRequest.parse(value);
        const elements: unknown[] = SPAWN_FIELDS.map((key) => full[key]);
        const array = length <= elements.length ? elements.slice(0, length) : [...elements, 0];
        const fromArray = JobSpawnRequest.safeParse(JSON.parse(JSON.stringify(array)));
        if (length < SPAWN_REQUIRED || length > SPAWN_FIELDS.length) {
          expect(fromArray.success).toBe(false);
          return;
        }
        const object = Object.fromEntries(SPAWN_FIELDS.slice(0, length).map((key) => [key, full[key]]));
        expect(fromArray.success).toBe(true);
        expect(JSON.stringify(fromArray.data)).toBe(rewrite(JobSpawnRequest, JSON.stringify(object)));
      }),
      FC,
    );
  });

  it('JobEvent: valid wire values round-trip, type and job_id first, no "data"', () => {
    roundTripProperty(JobEvent, eventWire, (parsed) => {
      const event = parsed as JobEvent;
      expect(Object.keys(event)).toEqual(RUST_ORDER[event.type]);
    });
  });

  it('JobStatus: valid wire values round-trip', () => {
    roundTripProperty(JobStatus, statusWire, (parsed) => {
      const status = parsed as JobStatus;
      expect(typeof status === 'string' || Object.keys(status).length === 1).toBe(true);
    });
  });

  const ALL: [string, z.ZodType][] = [
    ['JobSpawnRequest', JobSpawnRequest],
    ['JobEvent', JobEvent],
    ['JobStatus', JobStatus],
    ['JobStartedData', JobStartedData],
    ['JobProgressData', JobProgressData],
    ['JobLogLineData', JobLogLineData],
    ['JobOutputChunkData', JobOutputChunkData],
    ['JobCancelledData', JobCancelledData],
    ['JobCompletedData', JobCompletedData],
    ['JobFailedData', JobFailedData],
  ];

  it.each(ALL)('%s: arbitrary JSON never makes safeParse throw', (_name, schema) => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        schema.safeParse(value);
      }),
      FC,
    );
  });

  it.each(ALL)('%s: arbitrary JS values never make safeParse throw', (_name, schema) => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true, withDate: true }), (value) => {
        schema.safeParse(value);
      }),
      FC,
    );
  });

  const anyJson = fc.jsonValue({ maxDepth: 3 });
  const dataKeys = [...new Set(Object.values(RUST_ORDER).flat())].filter((k) => k !== 'type' && k !== 'job_id');

  it('the right keys with random values: safeParse never throws, and what it accepts round-trips', () => {
    const shaped = fc.oneof(
      fc.record(
        { label: anyJson, binary: anyJson, args: anyJson, cwd: anyJson, env: anyJson, timeout_secs: anyJson },
        { requiredKeys: [] },
      ).map((v) => [JobSpawnRequest, v] as const),
      fc.array(fc.oneof(text, anyJson), { maxLength: 7 }).map((v) => [JobSpawnRequest, v] as const),
      fc.record(
        {
          type: fc.oneof(fc.constantFrom(...JOB_EVENT_TYPES), anyJson),
          job_id: fc.oneof(text, anyJson),
          ...Object.fromEntries(dataKeys.map((k) => [k, anyJson])),
        },
        { requiredKeys: [] },
      ).map((v) => [JobEvent, v] as const),
      fc.oneof(
        fc.constantFrom('Pending', 'Running', 'Cancelled', 'Completed', 'Failed'),
        fc.constantFrom('Pending', 'Running', 'Cancelled', 'Completed', 'Failed').chain((k) => fc.dictionary(fc.constant(k), anyJson, { maxKeys: 1 })),
        fc.constantFrom('Pending', 'Running', 'Cancelled', 'Completed', 'Failed').chain((k) =>
          fc.dictionary(fc.constant(k), fc.array(fc.oneof(text, anyJson), { maxLength: 3 }), { minKeys: 1, maxKeys: 1 }),
        ),
        fc.dictionary(fc.constantFrom('Pending', 'Running', 'Cancelled', 'Completed', 'Failed'), anyJson, { maxKeys: 3 }),
      ).map((v) => [JobStatus, v] as const),
    );
    fc.assert(
      fc.property(shaped, ([schema, value]) => {
        const result = (schema as z.ZodType).safeParse(value);
        if (result.success) {
          const once = JSON.stringify(result.data);
          expect(rewrite(schema, once)).toBe(once);
        }
      }),
      FC,
    );
  });
});

// ---------------------------------------------------------------------------
// Types: what a user would write by hand
// ---------------------------------------------------------------------------

describe('inferred types', () => {
  it('JobSpawnRequest and its input form', () => {
    expectTypeOf<JobSpawnRequest>().toEqualTypeOf<{
      label: string;
      binary: string;
      args: string[];
      cwd: string | null;
      env: Record<string, string>;
      timeout_secs: number;
    }>();
    expectTypeOf<JobSpawnRequestInput>().toEqualTypeOf<{
      label: string;
      binary: string;
      args: string[];
      cwd?: string | null | undefined;
      env?: Record<string, string> | undefined;
      timeout_secs?: number | undefined;
    }>();
    expectTypeOf<{ label: 'x'; binary: 'git'; args: [] }>().toExtend<JobSpawnRequestInput>();
    expectTypeOf<{ label: 'x'; binary: 'git'; args: [] }>().not.toExtend<JobSpawnRequest>();
  });

  it('JobEvent variants and narrowing on type', () => {
    expectTypeOf<JobEventOf<'job_started'>>().toEqualTypeOf<{ type: 'job_started'; job_id: string; pid: number | null; started_at: string }>();
    expectTypeOf<JobEventOf<'job_progress'>>().toEqualTypeOf<{ type: 'job_progress'; job_id: string; percent: number | null; step: string | null }>();
    expectTypeOf<JobEventOf<'job_output_chunk'>>().toEqualTypeOf<{ type: 'job_output_chunk'; job_id: string; bytes: number[]; stream: string }>();
    expectTypeOf<JobEventOf<'job_completed'>>().toEqualTypeOf<{
      type: 'job_completed';
      job_id: string;
      exit_code: number;
      completed_at: string;
      output_tail: string | null;
    }>();
    expectTypeOf<JobEventOf<'job_failed'>>().toEqualTypeOf<{
      type: 'job_failed';
      job_id: string;
      exit_code: number | null;
      error: string;
      failed_at: string;
    }>();
    expectTypeOf<JobEvent['type']>().toEqualTypeOf<JobEventType>();
    expectTypeOf<TerminalJobEvent['type']>().toEqualTypeOf<'job_cancelled' | 'job_completed' | 'job_failed'>();

    const lineOf = (e: JobEvent) => (e.type === 'job_log_line' ? e.line : undefined);
    expectTypeOf(lineOf).returns.toEqualTypeOf<string | undefined>();
    expect(lineOf({ type: 'job_log_line', job_id: 'j', line: 'l', stream: 'stdout' })).toBe('l');

    const terminalType = (e: JobEvent) => (isTerminalEvent(e) ? e.type : undefined);
    expectTypeOf(terminalType).returns.toEqualTypeOf<'job_cancelled' | 'job_completed' | 'job_failed' | undefined>();
  });

  it('JobStatus and the data types', () => {
    expectTypeOf<JobStatus>().toEqualTypeOf<
      | 'Pending'
      | { Running: { started_at: string; percent: number | null } }
      | { Cancelled: { reason: string } }
      | { Completed: { exit_code: number } }
      | { Failed: { exit_code: number | null; error: string } }
    >();
    expectTypeOf<z.output<typeof JobLogLineData>>().toEqualTypeOf<{ line: string; stream: string }>();
    expectTypeOf<z.output<typeof JobCancelledData>>().toEqualTypeOf<{ reason: string; cancelled_at: string }>();
    expectTypeOf<z.input<typeof JobStartedData>>().toEqualTypeOf<{ pid?: number | null | undefined; started_at: string }>();
    expectTypeOf(jobStatusState).returns.toEqualTypeOf<'pending' | 'running' | 'cancelled' | 'completed' | 'failed'>();
  });
});
