/**
 * Every options object jobhost takes goes through one reader: a misspelt or
 * misnamed option is refused at once with `ERR_INVALID_OPTIONS`, the area's
 * own error class, and a "did you mean" naming the option meant — never
 * ignored, which would leave the default in force without a word. A getter
 * that throws is a refusal too, and so is a value of the wrong shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogClient, CatalogError, JobCatalog } from '../../src/catalog/index.js';
import type { JobhostError} from '../../src/errors.js';
import { JobHostError } from '../../src/errors.js';
import { JobHost } from '../../src/host/job-host.js';
import { RpcError } from '../../src/jsonrpc/errors.js';
import { startRpcPlugin } from '../../src/rpc-plugin/index.js';
import { TaskTracker } from '../../src/tasks/task-tracker.js';
import { discoverVcsAdapters, VcsAdapterClient, VcsAdapterError } from '../../src/vcs/index.js';
/** A child that never ends on its own: the plugin whose request is refused before anything is sent. */
const FOREVER = fileURLToPath(new URL('../fixtures/forever.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'jobhost-options-'));
const host = new JobHost({ root, binaries: { node: { path: process.execPath } } });
afterAll(async () => {
  await host.dispose();
  rmSync(root, { recursive: true, force: true });
});

type ErrorClass = abstract new (...args: never[]) => JobhostError;

/** Runs `fn` (which may throw or reject) and returns what it refused with. */
async function refusal(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return new Error('nothing was refused');
}

const cases: readonly { readonly name: string; readonly run: () => unknown; readonly type: ErrorClass; readonly meant: string | null }[] = [
  { name: 'JobHost: maxConcurent', run: () => new JobHost({ root, binaries: {}, maxConcurent: 2 } as never), type: JobHostError, meant: 'maxConcurrent' },
  { name: 'JobHost: timeout', run: () => new JobHost({ root, binaries: {}, timeout: 5 } as never), type: JobHostError, meant: 'defaultTimeoutSecs' },
  { name: 'JobHost: buffer.maxEvent', run: () => new JobHost({ root, binaries: {}, buffer: { maxEvent: 100 } } as never), type: JobHostError, meant: 'buffer.maxEvents' },
  { name: 'binary policy: timeout', run: () => new JobHost({ root, binaries: { node: { timeout: 5 } } } as never), type: JobHostError, meant: 'binaries.node.timeoutSecs' },
  { name: 'limits: cpuSecond', run: () => new JobHost({ root, binaries: { node: { limits: { cpuSecond: 5 } } } } as never), type: JobHostError, meant: 'binaries.node.limits.cpuSeconds' },
  { name: 'forOwner: bufferEvent', run: () => host.forOwner('someone', { bufferEvent: false } as never), type: JobHostError, meant: 'bufferEvents' },
  { name: 'spawn: singal', run: () => host.forOwner('someone').spawn({ label: 'x', binary: 'node', args: ['-e', ''] }, { singal: new AbortController().signal } as never), type: JobHostError, meant: 'signal' },
  { name: 'RPC plugin: timeoutMs', run: () => startRpcPlugin(host, { owner: 'p', request: { label: 'p', binary: 'node', args: [] }, timeoutMs: 5 } as never), type: JobHostError, meant: 'requestTimeoutMs' },
  { name: 'TaskTracker: maxTask', run: () => new TaskTracker({ maxTask: 3 } as never), type: JobHostError, meant: 'maxTasks' },
  { name: 'JobCatalog: batchMS', run: () => new JobCatalog({ host, manifests: [], batchMS: 10 } as never), type: CatalogError, meant: 'batchMs' },
  { name: 'catalog.connect: usr', run: () => new JobCatalog({ host, manifests: [] }).connect(new PassThrough(), { user: 'a', usr: 'b' } as never), type: CatalogError, meant: 'user' },
  { name: 'CatalogClient: framng', run: () => new CatalogClient(new PassThrough(), { framng: 'ndjson' } as never), type: CatalogError, meant: 'framing' },
  { name: 'VcsAdapterClient: timeout', run: () => new VcsAdapterClient({ host, owner: 'vcs', binary: 'node', timeout: 5 } as never), type: VcsAdapterError, meant: 'timeoutMs' },
  { name: 'discoverVcsAdapters: manifestDir', run: () => discoverVcsAdapters({ searchPath: '', manifestDir: ['/x'] } as never), type: VcsAdapterError, meant: 'manifestDirs' },
  { name: 'VCS call: timout', run: () => new VcsAdapterClient({ host, owner: 'vcs', binary: 'node' }).call('detect', { project_root: root }, { timout: 5 } as never), type: VcsAdapterError, meant: 'timeoutMs' },
  { name: 'a name nothing resembles', run: () => new JobHost({ root, binaries: {}, zzzzzzzz: 1 } as never), type: JobHostError, meant: null },
];

describe('unknown options are refused everywhere, with a suggestion', () => {
  it.each(cases)('$name', async ({ run, type, meant }) => {
    const error = await refusal(run);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    const { message } = error as Error;
    expect(message).toMatch(/^Unknown option `[^`]+`/);
    if (meant === null) expect(message).not.toContain('did you mean');
    else expect(message).toContain(`(did you mean \`${meant}\`?)`);
  });

  it('a per-request option is refused by the same reader, as an RpcError, and nothing is sent', async () => {
    const plugin = startRpcPlugin(host, { owner: 'q', request: { label: 'q', binary: 'node', args: [FOREVER], timeout_secs: 30 } });
    try {
      const error = await refusal(() => plugin.sendRequest('anything', {}, { timeout: 5 } as never));
      expect(error).toBeInstanceOf(RpcError);
      expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS', message: containingText('(did you mean `timeoutMs`?)') });
      expect(plugin.pendingRequests).toBe(0);
    } finally {
      plugin.cancel();
      await plugin.done;
    }
  });

  it("a plugin's hostile key is quoted cut short, and refused like any other", async () => {
    const key = `k${'\ud800'.repeat(3)}${'x'.repeat(1_000_000)}`;
    const error = await refusal(() => host.forOwner('someone').spawn({ label: 'x', binary: 'node', args: ['-e', ''] }, { [key]: 1 }));
    expect(error).toBeInstanceOf(JobHostError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
    expect((error as Error).message.length).toBeLessThan(300);
    expect((error as Error).message.isWellFormed()).toBe(true);
  });

  it('a getter that throws is a refusal, not a crash', async () => {
    const options = { root, binaries: {}, get maxJobs(): number { throw new Error('boom'); } };
    const error = await refusal(() => new JobHost(options));
    expect(error).toBeInstanceOf(JobHostError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS', message: 'Reading `maxJobs` threw: boom', details: { option: 'maxJobs' } });
  });

  it('wrong shapes are refused at construction, never later as a TypeError', async () => {
    const shapes: readonly [string, () => unknown, RegExp][] = [
      ['args given as a list', () => new JobHost({ root, binaries: { node: { args: ['status'] } } } as never), /`binaries\.node\.args` to be a zod schema or a predicate, got/],
      ['a string for an integer', () => new JobHost({ root, binaries: {}, maxJobs: '5' } as never), /`maxJobs` to be an integer from 1 and up, got `"5"` \(string\)/],
      ['a boolean for a function', () => new TaskTracker({ now: true } as never), /`now` to be a function, got `true` \(boolean\)/],
      ['an enum outside its values', () => new JobHost({ root, binaries: { node: { output: 'bytes' } } } as never), /`binaries\.node\.output` to be one of 'lines', 'chunks', got `"bytes"`/],
      ['options that are not an object', () => new TaskTracker(5 as never), /Expected TaskTracker options to be an object, got `5` \(number\)/],
    ];
    for (const [, run, message] of shapes) {
      const error = await refusal(run);
      expect(error).toMatchObject({ code: 'ERR_INVALID_OPTIONS' });
      expect((error as Error).message).toMatch(message);
    }
  });
});

function containingText(text: string): string {
  return expect.stringContaining(text) as string;
}
