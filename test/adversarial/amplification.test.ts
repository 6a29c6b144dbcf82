/**
 * Refusals whose cost the input chooses: a million wrong-typed or
 * out-of-range elements in one array or map (zod would record one issue per element — a 4 MB adapter
 * answer cost 1.3 GB of heap), nesting deep enough to overflow the stack in
 * an in-process value, and values whose reading throws. Guarantee: every
 * surface reports the first fault only (one issue, with its path), never
 * throws anything but its typed error, and keeps serving.
 *
 * The contract-level cases are also the tripwire for zod's early exit
 * (`safeParseWire` relies on it): they fail if an upgrade drops it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { JobsListResult } from '../../src/contracts/catalog-types.js';
import { decodeWire } from '../../src/contracts/decode.js';
import { JobOutputChunkData, JobSpawnRequest, JobStatus } from '../../src/contracts/jobs.js';
import { parseWire, safeParseWire } from '../../src/contracts/parse-wire.js';
import { CommitParams, ExcludePatternsResult, RestoreStateParams } from '../../src/contracts/vcs-messages.js';
import { handleVcsRequest } from '../../src/vcs-adapter/handle-request.js';
import { VcsAdapterError } from '../../src/vcs/errors.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { useSentinel } from './harness.js';
import { adapterArgs, hostileAdapter } from './programs.js';

const ADAPTER = hostileAdapter();
const sentinel = useSentinel({}, { 'hostile-vcs': { path: ADAPTER } });
const MANY = 1_000_000;
const wrong = (): number[] => new Array<number>(MANY).fill(1);

/**
 * Heap in use after a full collection, so a bound on growth measures what is retained, not garbage
 * that happens not to be collected yet. `gc` is not exposed in vitest's workers; V8 hands it out
 * when the flag is set at run time and a new context is made.
 */
function heapAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

/** A value nested `levels` deep in arrays, built without recursion. */
function deep(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** The one issue of a refusal. */
function onlyIssue(result: { success: boolean; error?: z.ZodError }): z.core.$ZodIssue {
  expect(result.success).toBe(false);
  expect(result.error?.issues).toHaveLength(1);
  return result.error!.issues[0]!;
}

describe('amplification: a million wrong elements cost one issue', () => {
  const CASES: readonly { name: string; schema: z.ZodType; value: unknown; path: PropertyKey[] }[] = [
    { name: 'JobSpawnRequest.args', schema: JobSpawnRequest, value: { label: 'l', binary: 'echo', args: wrong() }, path: ['args', 0] },
    { name: 'JobSpawnRequest.env (a map)', schema: JobSpawnRequest, value: { label: 'l', binary: 'echo', args: [], env: Object.fromEntries(wrong().map((v, i) => [`K${i}`, v])) }, path: ['env', 'K0'] },
    { name: 'CommitParams.changed_files', schema: CommitParams, value: { goal_id: 'g', goal_title: 't', message: 'm', changed_files: wrong() }, path: ['changed_files', 0] },
    { name: 'ExcludePatternsResult.patterns', schema: ExcludePatternsResult, value: { patterns: wrong() }, path: ['patterns', 0] },
    { name: 'JobsListResult.items', schema: JobsListResult, value: { items: wrong() }, path: ['items', 0] },
    { name: 'a bare array of strings', schema: z.array(z.string()), value: wrong(), path: [0] },
    // failed checks (not types): zod lets those continue unless the check aborts
    { name: 'JobOutputChunkData.bytes, every byte 256', schema: JobOutputChunkData, value: { bytes: new Array<number>(MANY).fill(256) }, path: ['bytes', 0] },
    { name: 'JobSpawnRequest.args, every one a lone surrogate', schema: JobSpawnRequest, value: { label: 'l', binary: 'echo', args: new Array<string>(MANY).fill('\ud800') }, path: ['args', 0] },
    { name: 'JobSpawnRequest.env, every value a lone surrogate', schema: JobSpawnRequest, value: { label: 'l', binary: 'echo', args: [], env: Object.fromEntries(wrong().map((_, i) => [`K${i}`, '\udc00'])) }, path: ['env', 'K0'] },
  ];

  it.each(CASES)('$name', ({ schema, value, path }) => {
    expect(onlyIssue(safeParseWire(schema, value)).path).toEqual(path);
  });

  it('decodeWire: a 2 MB text of wrong elements is refused with one issue', () => {
    const text = `{"patterns":[${'1,'.repeat(MANY - 1)}1]}`;
    let thrown: unknown;
    try {
      decodeWire(ExcludePatternsResult, text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ERR_WIRE_SCHEMA' });
    expect(((thrown as Error).cause as z.ZodError).issues).toHaveLength(1);
    expect((thrown as Error).message).toMatch(/^JSON does not match the contract: patterns\[0\]: [^;]*$/);
  });

  it('300 000 unknown keys beside a unit variant: the refusal quotes 300 characters of zod\'s key list, not 3 MB', () => {
    const keys = Array.from({ length: 300_000 }, (_, i) => `"k${i}":1`).join(',');
    let thrown: unknown;
    try {
      decodeWire(JobStatus, `{"Pending":null,${keys}}`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ERR_WIRE_SCHEMA' });
    expect((thrown as Error).message).toMatch(/^JSON does not match the contract: \(root\): .*…$/);
    expect((thrown as Error).message.length).toBeLessThan(400);
  });

  it('a valid value still parses whole, with its transforms', () => {
    const args = Array.from({ length: 10_000 }, (_, i) => `a${i}`);
    expect(parseWire(JobSpawnRequest, { label: 'l', binary: 'echo', args })).toMatchObject({ args, cwd: null, env: {}, timeout_secs: 0 });
  });
});

describe('amplification: values that cannot be read are refusals, not crashes', () => {
  it('100 000 levels of nesting in an in-process value → one custom issue at the root', () => {
    const issue = onlyIssue(safeParseWire(RestoreStateParams, { state: deep(100_000) }));
    expect(issue).toMatchObject({ code: 'custom', path: [] });
    expect(issue.message).toMatch(/^the value nests too deeply to check/);
  });

  it('serde_json::Value: a million members that are not JSON (undefined) → one issue at the first', () => {
    const state = Object.fromEntries(wrong().map((_, i) => [`k${i}`, undefined]));
    const issue = onlyIssue(safeParseWire(RestoreStateParams, { state }));
    expect(issue).toMatchObject({ code: 'custom', path: ['state', 'k0'], message: 'not a JSON value (undefined)' });
  });

  it.each([
    ['a lone surrogate deep inside', { a: [1, { b: ['ok', 'x\udc00'] }] }, ['state', 'a', 1, 'b', 1], 'string contains a lone UTF-16 surrogate, which serde_json rejects'],
    ['a key with a lone surrogate', { ['k\ud800']: 1 }, ['state', 'k\ud800'], 'key: string contains a lone UTF-16 surrogate, which serde_json rejects'],
    ['NaN', { n: Number.NaN }, ['state', 'n'], 'NaN is not a JSON number'],
    ['a Date', { when: new Date(0) }, ['state', 'when'], 'not a JSON value (an object that is not a plain object)'],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the point
    ['a hole in a sparse array', { list: [1, , 3] }, ['state', 'list', 1], 'not a JSON value (undefined)'],
  ])('serde_json::Value: %s → one issue with its path', (_, state, path, message) => {
    expect(onlyIssue(safeParseWire(RestoreStateParams, { state }))).toMatchObject({ path, message });
  });

  it('a getter that throws → one custom issue naming the cause', () => {
    const hostile = Object.defineProperty({ binary: 'echo' }, 'label', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(onlyIssue(safeParseWire(JobSpawnRequest, hostile)).message).toBe('reading the value threw: boom');
  });

  it('parseWire throws the same one-issue ZodError', () => {
    expect(() => parseWire(z.array(z.string()), wrong())).toThrow(z.ZodError);
  });
});

describe('amplification: end to end on every surface', () => {
  it('a plugin spawning with a million wrong args: ERR_INVALID_REQUEST with one issue, nothing starts', async () => {
    const error = await sentinel().refused('wide-plugin', () => sentinel().host.forOwner('wide-plugin').spawn({ label: 'l', binary: 'echo', args: wrong() } as never), 'ERR_INVALID_REQUEST');
    expect(error.message).toBe('Invalid JobSpawnRequest: args[0]: Invalid input: expected string, received number');
    expect(error.details).toMatchObject({ issues: [{ path: ['args', 0] }] });
    expect((error.details as { issues: unknown[] }).issues).toHaveLength(1);
  });

  it('a VCS adapter answering 4 MB of wrong elements: ERR_VCS_INVALID_RESULT with one issue and bounded heap', async () => {
    const client = new VcsAdapterClient({ host: sentinel().host, owner: 'vcs', binary: 'hostile-vcs', args: adapterArgs('', 0, 'wide'), timeoutMs: 30_000 });
    const before = heapAfterGc();
    let thrown: unknown;
    try {
      await client.excludePatterns();
    } catch (error) {
      thrown = error;
    }
    // collected, but with the error still referenced: what it keeps alive is counted (zod's two million issues: ~720 MB)
    const grown = heapAfterGc() - before;
    expect(thrown instanceof VcsAdapterError, String(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 'ERR_VCS_INVALID_RESULT', details: { issues: [{ path: ['patterns', 0] }] } });
    expect((thrown as { details: { issues: unknown[] } }).details.issues).toHaveLength(1);
    expect((thrown as Error).message.length).toBeLessThan(1024);
    expect(grown).toBeLessThan(256 * 1024 * 1024);
    await sentinel().serves('after-wide-vcs');
  });

  it('the adapter kit, sent a million wrong changed_files: one short error line', async () => {
    const request = JSON.stringify({ method: 'commit', params: { goal_id: 'g', goal_title: 't', message: 'm', changed_files: wrong() } });
    const { line } = await handleVcsRequest(request, { adapterName: 'kit', version: '1', handlers: { commit: () => ({ commit_id: 'c', message: 'm' }) } });
    const answer = JSON.parse(line) as { ok: boolean; error: string };
    expect(answer.ok).toBe(false);
    expect(answer.error).toBe('invalid params for commit: changed_files[0]: Invalid input: expected string, received number');
  });

  it('a VCS call with state nested 100 000 deep: ERR_VCS_INVALID_PARAMS before any process starts', async () => {
    const client = new VcsAdapterClient({ host: sentinel().host, owner: 'vcs-deep', binary: 'hostile-vcs', args: adapterArgs('{"ok":true,"result":null}\n'), timeoutMs: 30_000 });
    await client.handshake();
    const before = sentinel().events.length;
    await expect(client.restoreState({ state: deep(100_000) } as never)).rejects.toMatchObject({ code: 'ERR_VCS_INVALID_PARAMS', message: expect.stringMatching(/nests too deeply/) as unknown });
    expect(sentinel().events.slice(before)).toEqual([]);
    await sentinel().serves('after-deep-vcs');
  });
});
