import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { JobHostError } from '../../src/errors.js';
import { collect, isAlive } from '../helpers/host.js';
import { containing, rpcHost, startFixture } from './plugin-helpers.js';

describe('RPC plugin: shutdown', () => {
  it('a cooperative plugin answers shutdown, exits on exit, and completes; pending requests get ERR_RPC_EXITED', async () => {
    const host = rpcHost();
    const events = collect(host.forOwner('ext'));
    const plugin = startFixture(host);
    await plugin.sendRequest('initialize');
    const slow = plugin.sendRequest('sleep', { ms: 60_000 }).catch((error: unknown) => error);
    const stopping = plugin.shutdown();
    expect(plugin.shutdown()).toBe(stopping);
    await expect(plugin.sendRequest('echo')).rejects.toMatchObject({ code: 'ERR_RPC_CLOSED', message: 'Cannot send `echo`: the plugin is shutting down' });
    expect(plugin.sendNotification('late')).toBe(false);
    expect(await stopping).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(await slow).toMatchObject({ code: 'ERR_RPC_EXITED' });
    expect(events.filter(isTerminalEvent)).toHaveLength(1);
  });

  it('a plugin that ignores shutdown, exit, EOF and SIGTERM is killed after the grace, its whole process group with it', async () => {
    const host = rpcHost({ killGraceMs: 300 });
    const plugin = startFixture(host, ['--stubborn'], { shutdownGraceMs: 300 });
    const { pid, grandchild } = (await plugin.sendRequest('initialize')) as { pid: number; grandchild: number };
    expect(isAlive(grandchild)).toBe(true);
    expect(plugin.pid).toBe(pid);
    expect(await plugin.shutdown()).toMatchObject({ type: 'job_cancelled', reason: 'shutdown: the plugin did not exit within 300 ms' });
    // the terminal event comes only once no process of the group remains
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(grandchild)).toBe(false);
  });

  it('a plugin still queued behind other jobs is cancelled at once, and its queued requests fail', async () => {
    const host = rpcHost({ maxConcurrent: 1 });
    const jobs = host.forOwner('ext');
    jobs.spawn({ label: 'blocker', binary: 'forever', args: [] });
    const plugin = startFixture(host);
    const queued = plugin.sendRequest('initialize').catch((error: unknown) => error);
    expect(await plugin.shutdown()).toMatchObject({ type: 'job_cancelled', reason: 'shutdown before the plugin started' });
    expect(await queued).toMatchObject({ code: 'ERR_RPC_EXITED' });
    expect(plugin.pid).toBeNull();
  });

  it('shutdown after the plugin ended resolves with the same terminal event', async () => {
    const plugin = startFixture(rpcHost());
    await plugin.sendRequest('crash', { code: 2 }).catch(() => undefined);
    const terminal = await plugin.done;
    await expect(plugin.shutdown()).resolves.toBe(terminal);
  });
});

describe('RPC plugin: policy', () => {
  it('a binary that is not allow-listed is refused with a JobHostError and nothing starts', () => {
    const host = rpcHost();
    const other = host.forOwner('other');
    expect(() => startFixture(host, [], { owner: 'other', request: { label: 'evil', binary: 'rm', args: ['-rf', '/'] } })).toThrow(JobHostError);
    expect(() => startFixture(host, [], { owner: 'other', request: { label: 'evil', binary: 'rm', args: [] } })).toThrow(expect.objectContaining({ code: 'ERR_BINARY_NOT_ALLOWED' }));
    expect(other.list()).toEqual([]);
  });

  it('the env and cwd rules apply as to any job', () => {
    const host = rpcHost();
    expect(() => startFixture(host, [], { request: { label: 'p', binary: 'rpc', args: [], env: { NODE_OPTIONS: '--require evil' } } })).toThrow(expect.objectContaining({ code: 'ERR_ENV_REFUSED' }));
    expect(() => startFixture(host, [], { request: { label: 'p', binary: 'rpc', args: [], cwd: '/etc' } })).toThrow(expect.objectContaining({ code: 'ERR_CWD_OUTSIDE_ROOT' }));
    expect(host.forOwner('ext').list()).toEqual([]);
  });

  it('bad options fail fast by name, before anything starts', () => {
    const host = rpcHost();
    expect(() => startFixture(host, [], { framing: 'xml' as 'ndjson' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: containing('`framing`') }));
    expect(() => startFixture(host, [], { requestTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: 'Expected `requestTimeoutMs` to be an integer from 0 and up, got `-1` (number)' }));
    expect(host.forOwner('ext').list()).toEqual([]);
  });
});
