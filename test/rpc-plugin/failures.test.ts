import { RpcPluginError } from '../../src/rpc-plugin/errors.js';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { collect, linesOf } from '../helpers/host.js';
import { containing, failure, nextNotification, record, rpcHost, startFixture } from './plugin-helpers.js';

describe('RPC plugin: timeouts and AbortSignal', () => {
  it('a request without an answer times out with ERR_RPC_TIMEOUT, and the plugin is told with $/cancelRequest', async () => {
    const plugin = startFixture(rpcHost(), [], { requestTimeoutMs: 250 });
    // the clock starts at sendRequest, before the process may even run: no default timeout for the first call
    await plugin.sendRequest('initialize', {}, { timeoutMs: 0 });
    const cancelSeen = nextNotification(plugin, 'cancel-seen');
    const error = await failure(plugin.sendRequest('hang'));
    expect(error).toMatchObject({ code: 'ERR_RPC_TIMEOUT', method: 'hang', message: 'The plugin did not answer `hang` within 250 ms' });
    await expect(cancelSeen).resolves.toEqual({ id: expect.any(Number) as number });
    expect(plugin.pendingRequests).toBe(0);
    // a per-request timeout overrides the default, and the plugin still answers afterwards
    await expect(failure(plugin.sendRequest('hang', {}, { timeoutMs: 50 }))).resolves.toMatchObject({ code: 'ERR_RPC_TIMEOUT' });
    await expect(plugin.sendRequest('echo', [1], { timeoutMs: 0 })).resolves.toEqual([1]);
    await plugin.shutdown();
  });

  it('aborting rejects with ERR_RPC_ABORTED and sends $/cancelRequest; an already aborted signal sends nothing', async () => {
    const plugin = startFixture(rpcHost());
    await plugin.sendRequest('initialize');
    const controller = new AbortController();
    const pending = plugin.sendRequest('hang', {}, { signal: controller.signal });
    const cancelSeen = nextNotification(plugin, 'cancel-seen');
    controller.abort(new Error('user pressed Esc'));
    expect(await failure(pending)).toMatchObject({ code: 'ERR_RPC_ABORTED', message: 'The request `hang` was aborted: user pressed Esc' });
    await cancelSeen;
    const before = plugin.pendingRequests;
    expect(await failure(plugin.sendRequest('echo', {}, { signal: controller.signal }))).toMatchObject({ code: 'ERR_RPC_ABORTED' });
    expect(plugin.pendingRequests).toBe(before);
    await plugin.shutdown();
  });
});

describe('RPC plugin: the process ends under pending requests', () => {
  it('a crash mid-request rejects every pending request with ERR_RPC_EXITED and ends the job with one terminal event', async () => {
    const host = rpcHost();
    const events = collect(host.forOwner('ext'));
    const plugin = startFixture(host);
    const problems = record(plugin, 'problem');
    await plugin.sendRequest('initialize');
    const pending = [plugin.sendRequest('hang'), plugin.sendRequest('hang'), plugin.sendRequest('sleep', { ms: 60_000 }), plugin.sendRequest('crash', { code: 3, partial: true })];
    const errors = await Promise.all(pending.map(failure));
    expect(errors.map((error) => error.code)).toEqual(['ERR_RPC_EXITED', 'ERR_RPC_EXITED', 'ERR_RPC_EXITED', 'ERR_RPC_EXITED']);
    expect(errors[0]?.message).toBe('The plugin ended before it answered `hang` (job_failed: exited with code 3: fixture: crashing on purpose)');
    expect(await plugin.done).toMatchObject({ type: 'job_failed', exit_code: 3 });
    expect(events.filter(isTerminalEvent)).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('job_failed');
    expect(linesOf(events, plugin.id, 'stderr')).toEqual(['fixture: crashing on purpose']);
    expect(problems).toContainEqual([{ kind: 'truncated', bytes: 11 }]);
    // afterwards nothing is sent, and nothing throws
    expect(await failure(plugin.sendRequest('echo'))).toMatchObject({ code: 'ERR_RPC_CLOSED', message: containing('the plugin has ended (job_failed: exited with code 3') });
    expect(plugin.sendNotification('anyone')).toBe(false);
    expect(plugin.cancel()).toBe(false);
  });

  it('death by a signal says so', async () => {
    const plugin = startFixture(rpcHost());
    const error = await failure(plugin.sendRequest('crash', { signal: 'SIGKILL' }));
    expect(error).toMatchObject({ code: 'ERR_RPC_EXITED', message: containing('killed by signal SIGKILL') });
  });

  it('writing to a plugin that is dying or dead never crashes the host', async () => {
    const plugin = startFixture(rpcHost());
    await plugin.sendRequest('initialize');
    const crash = plugin.sendRequest('crash', { code: 1 }).catch((error: unknown) => error);
    const payload = { blob: 'y'.repeat(4096) };
    let sent = 0;
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        if (!plugin.sendNotification('flood', payload) || sent++ > 2000) return resolve();
        setImmediate(pump);
      };
      pump();
    });
    expect(await crash).toMatchObject({ code: 'ERR_RPC_EXITED' });
    await plugin.done;
    expect(plugin.sendNotification('flood', payload)).toBe(false);
  });

  it('the AbortSignal of the plugin cancels its job', async () => {
    const controller = new AbortController();
    const plugin = startFixture(rpcHost(), [], { signal: controller.signal });
    await plugin.sendRequest('initialize');
    const pending = plugin.sendRequest('hang');
    controller.abort(new Error('host closing the project'));
    expect(await failure(pending)).toMatchObject({ code: 'ERR_RPC_EXITED', message: containing('job_cancelled: aborted: host closing the project') });
  });
});

describe('RPC plugin: what the plugin gets wrong on stdout', () => {
  for (const framing of ['content-length', 'ndjson'] as const) {
    it(`${framing}: garbage, an oversized frame and invalid messages are reported and the reader carries on`, async () => {
      const host = rpcHost();
      const events = collect(host.forOwner('ext'));
      const plugin = startFixture(host, [`--framing=${framing}`], { framing, maxFrameBytes: 1024 });
      const problems = record(plugin, 'problem');
      await expect(plugin.sendRequest('garbage')).resolves.toBe('after garbage');
      await expect(plugin.sendRequest('oversized', { bytes: 5000 })).resolves.toBe('after oversized');
      await expect(plugin.sendRequest('invalid')).resolves.toBe('after invalid');
      await expect(plugin.sendRequest('echo', { ok: true })).resolves.toEqual({ ok: true });
      const kinds = problems.map(([problem]) => problem.kind);
      expect(kinds).toContain(framing === 'ndjson' ? 'invalid' : 'garbage');
      expect(kinds).toContain('oversized');
      const reasons = problems.flatMap(([problem]) => (problem.kind === 'invalid' ? [problem.reason] : []));
      expect(reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^not JSON/), '"jsonrpc" must be "2.0", got nothing', expect.stringContaining('lone surrogate')]));
      const system = linesOf(events, plugin.id, 'system');
      expect(system).toContainEqual(expect.stringMatching(/^\[jobhost\] stdout: skipped a \d+-byte frame over the 1024-byte limit$/));
      expect(system).toContainEqual(expect.stringMatching(framing === 'ndjson' ? /^\[jobhost\] stdout: invalid JSON-RPC message ignored: not JSON/ : /^\[jobhost\] stdout: skipped \d+ bytes that are not a frame: "this is not a frame/));
      await plugin.shutdown();
    });
  }

  it('a malformed answer fails its request with ERR_RPC_PROTOCOL instead of leaving it to time out', async () => {
    const plugin = startFixture(rpcHost());
    expect(await failure(plugin.sendRequest('badAnswer'))).toMatchObject({ code: 'ERR_RPC_PROTOCOL', message: containing('exactly one of "result" and "error"') });
    await plugin.shutdown();
  });

  it('an error answer rejects with ERR_RPC_REMOTE carrying the JSON-RPC error object', async () => {
    const plugin = startFixture(rpcHost());
    expect(await failure(plugin.sendRequest('fail'))).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32001, message: 'it failed', data: { why: 'asked to' } } });
    expect(await failure(plugin.sendRequest('no.such.method'))).toMatchObject({ code: 'ERR_RPC_REMOTE', data: { code: -32601 } });
    await plugin.shutdown();
  });
});

describe('RPC plugin: caller mistakes are handed back, nothing is left pending', () => {
  it('bad params, a bad timeout and unserialisable params reject with typed errors, nothing sent', async () => {
    const plugin = startFixture(rpcHost());
    await expect(plugin.sendRequest('echo', 5 as unknown as [])).rejects.toMatchObject({ code: 'ERR_RPC_INVALID_PARAMS', message: 'Expected `params` of `echo` to be an object, an array, null or undefined, got `5` (number)' });
    await expect(plugin.sendRequest('echo', {}, { timeoutMs: -5 })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTIONS', message: 'Expected `timeoutMs` to be an integer from 0 and up, got `-5` (number)' });
    const unserialisable = await plugin.sendRequest('echo', { big: 10n }).catch((error: unknown) => error);
    expect(unserialisable).toBeInstanceOf(RpcPluginError);
    expect(unserialisable).toMatchObject({ code: 'ERR_RPC_INVALID_PARAMS', cause: expect.any(TypeError) as unknown });
    expect(plugin.pendingRequests).toBe(0);
    await expect(plugin.sendRequest('echo', { fine: true })).resolves.toEqual({ fine: true });
    await plugin.shutdown();
  });
});
