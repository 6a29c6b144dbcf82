/**
 * The published JSON Schemas (`jobhost/schemas/<Name>.json`) against the zod
 * contracts they are generated from, checked with an independent validator.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import * as contracts from '../../src/contracts/index.js';
import { JOB_EVENT_TYPES } from '../../src/contracts/jobs.js';
import { contractJsonSchema, contractJsonSchemas, isContractExport } from '../../src/contracts/json-schema.js';

const FC = { seed: 42, numRuns: 300 } as const;
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

const schemas = contractJsonSchemas(contracts);
const names = Object.keys(schemas);

function compile(name: string): ValidateFunction {
  // strict: a keyword or type ajv does not understand fails the test instead of being skipped.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, validateFormats: false });
  return ajv.compile(schemas[name] as object);
}

describe('every exported contract', () => {
  const exported = Object.entries(contracts as Record<string, unknown>).filter(([name, value]) => isContractExport(name, value));

  it('has a schema, and nothing else does', () => {
    expect(names).toEqual(exported.map(([name]) => name).sort());
    expect(names).toEqual(expect.arrayContaining(['JobSpawnRequest', 'JobEvent', 'JobStatus', 'JobId']));
    expect(names).not.toContain('JOB_EVENT_TYPES');
  });

  it.each(names)('%s: generates a 2020-12 schema named after the contract that ajv compiles', (name) => {
    const schema = schemas[name]!;
    expect(schema.$schema).toBe(DRAFT_2020_12);
    expect(schema.$id).toBe(name);
    expect(schema.title).toBe(name);
    expect(schema.description).toMatch(/\S/);
    expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
    expect(() => compile(name)).not.toThrow();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('publishes exactly the committed schemas: a change to dist/schemas is a reviewed change', async () => {
    // schema-only refactors (a guard step, a default moved) must not change what plugin authors validate against;
    // after an intended change, `npx vitest run test/contracts/schemas.test.ts -u` rewrites the file
    await expect(`${JSON.stringify(schemas, null, 2)}\n`).toMatchFileSnapshot('./golden/json-schemas.json');
  });

  it('keeps a description the contract declares itself', () => {
    const described = contracts.JobId.describe('An opaque job id.');
    expect(contractJsonSchema('JobId', described).description).toBe('An opaque job id.');
  });
});

/**
 * Valid wire texts and clear refusals, per contract: the progit family, and
 * the array form of a struct (serde's visit_seq) in every family.
 */
const CASES: Record<string, { valid: string[]; refused: string[] }> = {
  JobSpawnRequest: {
    valid: [
      '{"label":"Build","binary":"cargo","args":["build"],"cwd":"crates/core","env":{"RUST_LOG":"debug"},"timeout_secs":600}',
      '{"label":"Fetch","binary":"git","args":["fetch"]}',
      '{"label":"x","binary":"git","args":[],"cwd":null,"unknown":{"data":1}}',
      '{"label":"x","binary":"git","args":[],"timeout_secs":9007199254740991}',
      // the array form: 3 to 6 elements, cwd/env/timeout_secs have #[serde(default)]
      '["x","git",[]]',
      '["x","git",[],null]',
      '["x","git",[],"sub",{"A":"b"}]',
      '["Build","cargo",["build"],"crates/core",{"RUST_LOG":"debug"},600]',
    ],
    refused: [
      '{"binary":"git","args":[]}',
      '{"label":"x","binary":"git","args":[],"env":null}',
      '{"label":"x","binary":"git","args":[],"timeout_secs":null}',
      '{"label":1,"binary":"git","args":[]}',
      '{"label":"x","binary":"git","args":[1]}',
      '{"label":"x","binary":"git","args":[],"env":{"A":1}}',
      '{"label":"x","binary":"git","args":[],"timeout_secs":-1}',
      '{"label":"x","binary":"git","args":[],"timeout_secs":1.5}',
      '{"label":"x","binary":"git","args":[],"timeout_secs":9007199254740992}',
      '["x","git"]',
      '["x","git",[],null,{},0,1]',
      '["x","git",[],null,null]',
      '["x","git",[],null,{},-1]',
      '[1,"git",[]]',
      '[]',
    ],
  },
  JobEvent: {
    valid: [
      '{"type":"job_started","job_id":"git:1","pid":4242,"started_at":"2026-01-02T03:04:05Z"}',
      '{"type":"job_started","job_id":"j","started_at":"t"}',
      '{"type":"job_progress","job_id":"j","percent":255,"step":null}',
      '{"type":"job_progress","job_id":"j"}',
      '{"type":"job_log_line","job_id":"j","line":"l","stream":"stderr","data":{"x":1}}',
      '{"type":"job_output_chunk","job_id":"j","bytes":[0,255],"stream":"stdout"}',
      '{"type":"job_cancelled","job_id":"j","reason":"r","cancelled_at":"t"}',
      '{"type":"job_completed","job_id":"j","exit_code":-2147483648,"completed_at":"t","output_tail":null}',
      '{"type":"job_failed","job_id":"j","exit_code":null,"error":"e","failed_at":"t"}',
    ],
    refused: [
      '{"type":"job_paused","job_id":"j"}',
      '{"job_id":"j","line":"l","stream":"stdout"}',
      '{"type":"job_log_line","job_id":"j","data":{"line":"l","stream":"stdout"}}',
      '{"type":"job_started","job_id":1,"started_at":"t"}',
      '{"type":"job_started","job_id":"j","pid":4294967296,"started_at":"t"}',
      '{"type":"job_started","job_id":"j","pid":-1,"started_at":"t"}',
      '{"type":"job_progress","job_id":"j","percent":256}',
      '{"type":"job_progress","job_id":"j","percent":1.5}',
      '{"type":"job_output_chunk","job_id":"j","bytes":[256],"stream":"stdout"}',
      '{"type":"job_output_chunk","job_id":"j","bytes":"AAE=","stream":"stdout"}',
      '{"type":"job_completed","job_id":"j","exit_code":2147483648,"completed_at":"t"}',
      '{"type":"job_failed","job_id":"j","exit_code":-2147483649,"error":"e","failed_at":"t"}',
    ],
  },
  JobStatus: {
    valid: [
      '"Pending"',
      '{"Pending":null}',
      '{"Running":{"started_at":"t","percent":null}}',
      '{"Running":{"started_at":"t","eta":1}}',
      '{"Cancelled":{"reason":"r"}}',
      '{"Completed":{"exit_code":0}}',
      '{"Failed":{"error":"e"}}',
      '{"Running":["t",null]}',
      '{"Running":["t",255]}',
      '{"Cancelled":["r"]}',
      '{"Completed":[0]}',
      '{"Failed":[null,"e"]}',
    ],
    refused: [
      '"Running"',
      '"pending"',
      '{}',
      '{"Pending":{}}',
      '{"Running":{"started_at":"t"},"Pending":null}',
      '{"Running":{"started_at":"t","percent":256}}',
      '{"Completed":{"exit_code":"0"}}',
      '{"Completed":{"exit_code":2147483648}}',
      '{"Failed":{"exit_code":1}}',
      '{"Running":["t"]}',
      '{"Running":["t",null,null]}',
      '{"Running":["t",256]}',
      '{"Completed":[]}',
      '{"Failed":["e"]}',
      '{"Pending":[]}',
      'null',
    ],
  },
  JobOutputChunkData: {
    valid: ['{"bytes":[],"stream":"stdout"}', '{"bytes":[1,2,3],"stream":"stderr","x":1}'],
    refused: ['{"bytes":[-1],"stream":"stdout"}', '{"bytes":[1],"stream":5}', '{"stream":"stdout"}'],
  },
  JobCompletedData: {
    valid: ['{"exit_code":2147483647,"completed_at":"t"}'],
    refused: ['{"exit_code":null,"completed_at":"t"}', '{"exit_code":0,"completed_at":"t","output_tail":1}', '[0,"t",null]'],
  },
  VcsPluginResponse: {
    valid: ['{"ok":true}', '[true,null,null]', '[false,null,"boom"]', '[true,{"a":1},null]'],
    refused: ['[true]', '[true,null]', '[true,null,null,null]', '[false,null,5]', '["true",null,null]'],
  },
  MergeReviewResult: {
    valid: ['[true,null,"m"]', '[true,"abc","m",{"k":"v"}]', '{"merged":true,"message":"m"}'],
    refused: ['[true]', '[true,null]', '[true,"m",{}]', '[true,null,"m",{},null]', '[true,null,"m",null]'],
  },
  JobsSubscribeParams: {
    valid: ['{}', '{"x":1}', '[]'],
    refused: ['[1]', '[null]', 'null'],
  },
  JobsListParams: {
    valid: ['[]', '[null]', '["c"]', '{}'],
    refused: ['[1]', '["a","b"]'],
  },
  UserInvokableJob: {
    valid: [
      '["a","A",null,null,"c",null,null,null,"1"]',
      '["a","A","d","i","c","l","ic",1,"1",60,["r1","running","2026-05-24T00:00:00Z"]]',
    ],
    refused: ['["a","A",null,null,"c",null,null,null]', '["a","A","c","1"]', '["a","A",null,null,"c",null,null,null,"1",null,null,null]'],
  },
};

describe('progit schemas agree with the zod contracts', () => {
  for (const [name, { valid, refused }] of Object.entries(CASES)) {
    const contract = (contracts as unknown as Record<string, z.ZodType>)[name]!;

    it(`${name}: accepts the golden wire texts`, () => {
      const validate = compile(name);
      for (const text of valid) {
        expect(contract.safeParse(JSON.parse(text)).success, `zod: ${text}`).toBe(true);
        expect(validate(JSON.parse(text)), `ajv: ${text} ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    });

    it(`${name}: refuses wrong types and out-of-range integers`, () => {
      const validate = compile(name);
      for (const text of refused) {
        expect(contract.safeParse(JSON.parse(text)).success, `zod: ${text}`).toBe(false);
        expect(validate(JSON.parse(text)), `ajv: ${text}`).toBe(false);
      }
    });
  }

  it('documents what JSON Schema cannot say: lone surrogates pass the schema, not the contract', () => {
    const value = JSON.parse(String.raw`{"label":"\ud800","binary":"git","args":[]}`) as unknown;
    expect(compile('JobSpawnRequest')(value)).toBe(true);
    expect(contracts.JobSpawnRequest.safeParse(value).success).toBe(false);
  });

  // Random values under the right keys: the schema and the contract give the same verdict.
  const json = fc.jsonValue({ maxDepth: 2 });
  const int = fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 255, 256, 4_294_967_295, 4_294_967_296, 2 ** 53 - 1, 2 ** 53, 1.5));
  const value = fc.oneof(json, int, fc.constant(null), fc.array(int, { maxLength: 3 }));
  const dataKeys = ['pid', 'started_at', 'percent', 'step', 'line', 'stream', 'bytes', 'reason', 'cancelled_at', 'exit_code'];
  const moreKeys = ['completed_at', 'output_tail', 'error', 'failed_at'];
  const shaped: Record<string, fc.Arbitrary<unknown>> = {
    JobSpawnRequest: fc.oneof(
      fc.record(
        { label: fc.oneof(fc.string(), value), binary: fc.string(), args: fc.oneof(fc.array(fc.string()), value), cwd: value, env: value, timeout_secs: value },
        { requiredKeys: ['binary'] },
      ),
      // the array form: right and wrong types, 0 to 7 elements
      fc
        .tuple(fc.oneof(fc.string(), value), fc.oneof(fc.string(), value), fc.oneof(fc.array(fc.string()), value), value, value, value, value)
        .chain((items) => fc.integer({ min: 0, max: items.length }).map((length) => items.slice(0, length))),
    ),
    JobEvent: fc.record(
      {
        type: fc.oneof(fc.constantFrom(...JOB_EVENT_TYPES), value),
        job_id: fc.oneof(fc.string(), value),
        ...Object.fromEntries([...dataKeys, ...moreKeys].map((k) => [k, fc.oneof(fc.string(), value)])),
      },
      { requiredKeys: [] },
    ),
    JobStatus: fc.oneof(
      value,
      fc.constantFrom('Pending', 'Running', 'Failed'),
      fc.dictionary(
        fc.constantFrom('Pending', 'Running', 'Cancelled', 'Completed', 'Failed'),
        fc.oneof(
          value,
          fc.record({ started_at: fc.string(), percent: value, reason: value, exit_code: value, error: value }, { requiredKeys: [] }),
          fc.array(fc.oneof(fc.string(), value), { maxLength: 3 }),
        ),
        { maxKeys: 2 },
      ),
    ),
  };

  it.each(Object.keys(shaped))('%s: schema and contract agree on random values under the right keys', (name) => {
    const validate = compile(name);
    const contract = (contracts as unknown as Record<string, z.ZodType>)[name]!;
    fc.assert(
      fc.property(shaped[name]!, (v) => {
        const wire = JSON.parse(JSON.stringify(v)) as unknown;
        expect(validate(wire), JSON.stringify(wire)).toBe(contract.safeParse(wire).success);
      }),
      FC,
    );
  });
});
