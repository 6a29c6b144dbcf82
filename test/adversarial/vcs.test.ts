/**
 * Malicious VCS adapter outputs: garbage, wrong envelopes, wrong result types,
 * 100 000 levels of nesting, invalid UTF-8, a byte-order mark, lone
 * surrogates, NUL, a 5 MB first line, hangs, suicide by SIGKILL, stderr
 * floods, lies about the exit status, and hostile handshakes. Guarantee: a
 * `VcsAdapterError` with its stable code (never another exception), the
 * adapter's process group gone when the call settles, bounded memory (the
 * first line is capped, stderr keeps a tail), and the host and a well-behaved
 * adapter are served right after.
 */
import { describe, expect, it } from 'vitest';
import { VcsAdapterError, type VcsAdapterErrorCode } from '../../src/vcs/errors.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { useSentinel } from './harness.js';
import { adapterArgs, hostileAdapter } from './programs.js';

const ADAPTER = hostileAdapter();
const sentinel = useSentinel({}, { 'hostile-vcs': { path: ADAPTER } });
const OWNER = 'vcs';
const GOOD = '{"ok":true,"result":{"revision_id":"0123abc"}}\n';

function client(args: string[], options: { timeoutMs?: number; maxResponseBytes?: number } = {}): VcsAdapterClient {
  return new VcsAdapterClient({ host: sentinel().host, owner: OWNER, binary: 'hostile-vcs', args, timeoutMs: 10_000, ...options });
}

/** The well-behaved call that must succeed after every hostile one; and the host's own probe. */
async function stillServed(): Promise<void> {
  await expect(client(adapterArgs(GOOD)).revisionId()).resolves.toEqual({ revision_id: '0123abc' });
  await sentinel().serves('after-vcs');
}

/** No process of any of the owner's jobs is running: every call's group was gone before it settled. */
function noneRunning(): void {
  const running = sentinel().host.forOwner(OWNER).list().filter((job) => job.status === 'Pending' || (typeof job.status === 'object' && 'Running' in job.status));
  expect(running).toEqual([]);
}

const deep = (levels: number, inner: string): string => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

const HOSTILE: readonly { name: string; args: string[]; code: VcsAdapterErrorCode; options?: { timeoutMs?: number; maxResponseBytes?: number }; message?: RegExp }[] = [
  { name: 'garbage', args: adapterArgs('garbage\n'), code: 'ERR_VCS_MALFORMED_RESPONSE' },
  { name: 'no output at all', args: adapterArgs(''), code: 'ERR_VCS_NO_OUTPUT' },
  { name: 'an empty first line', args: adapterArgs('\n{"ok":true,"result":{"revision_id":"x"}}\n'), code: 'ERR_VCS_NO_OUTPUT' },
  { name: "ok as the string 'true'", args: adapterArgs('{"ok":"true","result":{"revision_id":"x"}}\n'), code: 'ERR_VCS_MALFORMED_RESPONSE' },
  { name: 'an envelope that is an array of four', args: adapterArgs('[true,null,null,1]\n'), code: 'ERR_VCS_MALFORMED_RESPONSE' },
  { name: 'null', args: adapterArgs('null\n'), code: 'ERR_VCS_MALFORMED_RESPONSE' },
  { name: 'revision_id a number', args: adapterArgs('{"ok":true,"result":{"revision_id":42}}\n'), code: 'ERR_VCS_INVALID_RESULT', message: /revision_id/ },
  { name: 'ok without a result', args: adapterArgs('{"ok":true}\n'), code: 'ERR_VCS_INVALID_RESULT' },
  { name: 'a result that is an empty array', args: adapterArgs('{"ok":true,"result":[]}\n'), code: 'ERR_VCS_INVALID_RESULT' },
  { name: '100 000 levels of nesting', args: adapterArgs('\n', 0, 'deep'), code: 'ERR_VCS_MALFORMED_RESPONSE', message: /deeper than 127/ },
  { name: '128 levels inside the result', args: adapterArgs(`{"ok":true,"result":${deep(127, '1')}}\n`), code: 'ERR_VCS_MALFORMED_RESPONSE', message: /deeper than 127/ },
  { name: '127 levels inside the result (valid JSON, wrong shape)', args: adapterArgs(`{"ok":true,"result":${deep(126, '1')}}\n`), code: 'ERR_VCS_INVALID_RESULT' },
  { name: 'invalid UTF-8', args: adapterArgs(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])), code: 'ERR_VCS_MALFORMED_RESPONSE', message: /not valid UTF-8/ },
  { name: 'a byte-order mark', args: adapterArgs(`\ufeff${GOOD}`), code: 'ERR_VCS_MALFORMED_RESPONSE' },
  { name: 'a lone surrogate', args: adapterArgs('{"ok":true,"result":{"revision_id":"\\ud800"}}\n'), code: 'ERR_VCS_MALFORMED_RESPONSE', message: /surrogate/ },
  { name: 'a raw NUL inside a string', args: adapterArgs(Buffer.from('{"ok":true,"result":{"revision_id":"a\0b"}}\n')), code: 'ERR_VCS_MALFORMED_RESPONSE' },
  { name: 'ok:false without an error, exit 0', args: adapterArgs('{"ok":false}\n'), code: 'ERR_VCS_ADAPTER_ERROR', message: /without an error message/ },
  { name: 'ok:true but exit 3', args: adapterArgs(GOOD, 3), code: 'ERR_VCS_EXIT', message: /although its response said ok/ },
  { name: 'an error envelope and exit 1', args: adapterArgs('{"ok":false,"result":null,"error":"nope"}\n', 1), code: 'ERR_VCS_ADAPTER_ERROR' },
  { name: 'garbage and exit 2', args: adapterArgs('garbage\n', 2), code: 'ERR_VCS_EXIT' },
  { name: 'a 5 MB first line (cap 1 MiB)', args: adapterArgs('', 0, 'huge'), code: 'ERR_VCS_RESPONSE_TOO_LARGE', options: { maxResponseBytes: 1024 * 1024 } },
  { name: 'never answering', args: adapterArgs('', 0, 'hang'), code: 'ERR_VCS_TIMEOUT', options: { timeoutMs: 500 } },
  { name: 'dying by SIGKILL', args: adapterArgs('', 0, 'kill'), code: 'ERR_VCS_CRASHED', message: /SIGKILL/ },
  { name: 'a 10 MB stderr flood then exit 5', args: adapterArgs('', 5, 'stderr-flood'), code: 'ERR_VCS_EXIT' },
  { name: 'a handshake with protocol version 2', args: adapterArgs('{"ok":true,"result":{"plugin_version":"1","protocol_version":2,"adapter_name":"h","capabilities":[]}}\n', 0, '-', 'handshake'), code: 'ERR_VCS_PROTOCOL_VERSION' },
  { name: "a handshake whose capabilities are the string 'all'", args: adapterArgs('{"ok":true,"result":{"plugin_version":"1","protocol_version":1,"adapter_name":"h","capabilities":"all"}}\n', 0, '-', 'handshake'), code: 'ERR_VCS_INVALID_RESULT' },
  { name: 'a handshake of garbage', args: adapterArgs('HTTP/1.1 200 OK\n', 0, '-', 'handshake'), code: 'ERR_VCS_MALFORMED_RESPONSE' },
];

describe('vcs: malicious adapter outputs', () => {
  it.each(HOSTILE)('$name → $code', async ({ args, code, options, message }) => {
    let thrown: unknown;
    try {
      await client(args, options).revisionId();
      thrown = new Error('the call resolved');
    } catch (error) {
      thrown = error;
    }
    expect(thrown instanceof VcsAdapterError, String(thrown)).toBe(true);
    const error = thrown as { code: string; message: string; stderr: string };
    expect(error.code).toBe(code);
    if (message !== undefined) expect(error.message).toMatch(message);
    expect(error.stderr.length).toBeLessThanOrEqual(4096);
    expect(error.message.length).toBeLessThan(8192);
    noneRunning();
    await stillServed();
  });
});

describe('vcs: refused before anything spawns', () => {
  it('params that break the schema → ERR_VCS_INVALID_PARAMS, no process', async () => {
    const hostile = client(adapterArgs(GOOD));
    await hostile.handshake();
    const before = sentinel().events.length;
    await expect(hostile.call('commit', { goal_id: 42 } as never)).rejects.toMatchObject({ code: 'ERR_VCS_INVALID_PARAMS' });
    expect(sentinel().events.slice(before)).toEqual([]);
    await stillServed();
  });

  it('an optional method the handshake did not list is still sent (as TA\'s host does); the adapter\'s answer decides', async () => {
    const hostile = client(adapterArgs(GOOD));
    await hostile.handshake();
    const before = sentinel().events.length;
    // GOOD answers every method with the handshake's result: not a merge_review result, so the client refuses it
    await expect(hostile.mergeReview({ review_id: 'r1', goal_id: 'g' } as never)).rejects.toMatchObject({ code: 'ERR_VCS_INVALID_RESULT' });
    // a process was started for it
    expect(sentinel().events.slice(before).some(([event]) => event.type === 'job_started')).toBe(true);
    await stillServed();
  });
});

describe('vcs: documented benign behaviour', () => {
  it('a result carrying a JSON __proto__ key is accepted and pollutes nothing', async () => {
    const answer = '{"ok":true,"result":{"__proto__":{"polluted":true},"revision_id":"abc"}}\n';
    await expect(client(adapterArgs(answer)).revisionId()).resolves.toEqual({ revision_id: 'abc' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await stillServed();
  });

  it('only the first line counts: garbage after it is ignored', async () => {
    await expect(client(adapterArgs(`${GOOD}\x1b[2J garbage\n${'x'.repeat(60_000)}`)).revisionId()).resolves.toEqual({ revision_id: '0123abc' });
    await stillServed();
  });

  it("an adapter's error text reaches the caller as is, escape sequences included (the renderer escapes)", async () => {
    const text = '\x1b]52;c;ZXZpbA==\x07 refused';
    await expect(client(adapterArgs(`${JSON.stringify({ ok: false, result: null, error: text })}\n`)).revisionId()).rejects.toMatchObject({
      code: 'ERR_VCS_ADAPTER_ERROR',
      adapterMessage: text,
    });
    await stillServed();
  });

  it('a 10 MB stderr flood before a valid answer: the call succeeds', async () => {
    await expect(client(adapterArgs(GOOD, 0, 'stderr-flood')).revisionId()).resolves.toEqual({ revision_id: '0123abc' });
    await stillServed();
  });
});
