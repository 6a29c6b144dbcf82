import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { RpcPluginError } from '../../src/rpc-plugin/errors.js';
import { TaskTracker } from '../../src/tasks/task-tracker.js';
import { collect, linesOf } from '../helpers/host.js';
import { nextNotification, record, rpcHost, startFixture } from './plugin-helpers.js';

describe('RPC plugin: requests and notifications both ways', () => {
  for (const framing of ['content-length', 'ndjson'] as const) {
    it(`${framing}: answers requests, hears notifications, and ends with one terminal event`, async () => {
      const host = rpcHost();
      const events = collect(host.forOwner('ext'));
      const plugin = startFixture(host, [`--framing=${framing}`], { framing });
      await expect(plugin.sendRequest('initialize', { client: 'test' })).resolves.toMatchObject({ name: 'fixture-plugin', framing });
      await expect(plugin.sendRequest('echo', ['a', { b: 1 }])).resolves.toEqual(['a', { b: 1 }]);
      await expect(plugin.sendRequest('echo', { text: 'héllo €' })).resolves.toEqual({ text: 'héllo €' });
      const heard = nextNotification(plugin, 'heard');
      expect(plugin.sendNotification('didChange', { version: 2 })).toBe(true);
      await expect(heard).resolves.toEqual({ method: 'didChange', params: { version: 2 } });
      expect(await plugin.shutdown()).toMatchObject({ type: 'job_completed', exit_code: 0 });
      expect(events.filter(isTerminalEvent)).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('job_completed');
      expect(linesOf(events, plugin.id, 'stdout')).toEqual([]);
    });
  }

  it("the plugin's requests reach onRequest handlers; results, remote errors, unknown methods and failures are answered", async () => {
    const host = rpcHost();
    const plugin = startFixture(host);
    const failures = record(plugin, 'handlerError');
    plugin.onRequest('host.add', (params) => {
      const { a, b } = params as { a: number; b: number };
      return a + b;
    });
    plugin.onRequest('host.nothing', () => Promise.resolve(undefined));
    plugin.onRequest('host.refuse', () => {
      throw RpcPluginError.remote(-32001, 'not allowed', { scope: 'fs' });
    });
    plugin.onRequest('host.bug', () => {
      throw new Error('secret host detail');
    });
    const ask = (method: string, params?: unknown): Promise<unknown> => plugin.sendRequest('ask', { method, params });
    await expect(ask('host.add', { a: 2, b: 3 })).resolves.toEqual({ response: { jsonrpc: '2.0', id: 'p1', result: 5 } });
    await expect(ask('host.nothing')).resolves.toMatchObject({ response: { result: null } });
    await expect(ask('host.refuse')).resolves.toMatchObject({ response: { error: { code: -32001, message: 'not allowed', data: { scope: 'fs' } } } });
    await expect(ask('host.bug')).resolves.toMatchObject({ response: { error: { code: -32603, message: 'The host failed to handle host.bug' } } });
    await expect(ask('host.unknown')).resolves.toMatchObject({ response: { error: { code: -32601, message: 'Unhandled method host.unknown' } } });
    expect(failures).toEqual([[expect.objectContaining({ message: 'secret host detail' }), 'request handler for host.bug']]);
    await plugin.shutdown();
  });

  it('"params": null both ways, as SynapseCLI sends it: sendRequest(method, null), and a plugin request with null params', async () => {
    const plugin = startFixture(rpcHost());
    const seen: unknown[] = [];
    plugin.onRequest('config.get', (params) => (seen.push(params), 'ok'));
    // the fixture reads null params as {} and echoes them; what matters is that null is accepted and sent
    await expect(plugin.sendRequest('echo', null)).resolves.toEqual({});
    await expect(plugin.sendRequest('ask', { method: 'config.get', params: null })).resolves.toMatchObject({ response: { result: 'ok' } });
    expect(seen).toEqual([undefined]);
    await plugin.shutdown();
  });

  it('a notification no handler takes is emitted as `notification`; a throwing handler is reported, not fatal', async () => {
    const host = rpcHost();
    const plugin = startFixture(host);
    const events = collect(host.forOwner('ext'));
    const unhandled = record(plugin, 'notification');
    const failures = record(plugin, 'handlerError');
    plugin.onNotification('progress.bad', () => {
      throw new Error('listener bug');
    });
    await plugin.sendRequest('notify', { method: 'stats', params: { files: 3 } });
    await plugin.sendRequest('notify', { method: 'progress.bad', params: {} });
    await expect(plugin.sendRequest('echo', { still: 'alive' })).resolves.toEqual({ still: 'alive' });
    expect(unhandled).toEqual([['stats', { files: 3 }]]);
    expect(failures.map(([, where]) => where)).toEqual(['notification handler for progress.bad']);
    expect(linesOf(events, plugin.id, 'system')).toContain('[jobhost] notification handler for progress.bad threw: listener bug');
    await plugin.shutdown();
  });

  it("`$/cancelRequest` from the plugin aborts the handler's signal and is answered RequestCancelled", async () => {
    const host = rpcHost();
    const plugin = startFixture(host);
    let sawAbort = false;
    plugin.onRequest('host.slow', (_params, { signal }) => new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        sawAbort = true;
        reject(new Error('stopped'));
      });
    }));
    await expect(plugin.sendRequest('askAndCancel', { method: 'host.slow' })).resolves.toMatchObject({ response: { error: { code: -32800 } } });
    expect(sawAbort).toBe(true);
    await plugin.shutdown();
  });

  it('is a job of its owner like any other: listed, stderr as `stderr` lines, requests queued until it starts', async () => {
    const host = rpcHost({ maxConcurrent: 1 });
    const jobs = host.forOwner('ext');
    const events = collect(jobs);
    const blocker = jobs.spawn({ label: 'blocker', binary: 'forever', args: [] });
    const plugin = startFixture(host);
    expect(jobs.list().map((job) => [job.id, job.label, job.status])).toEqual([
      [blocker, 'blocker', expect.anything()],
      [plugin.id, 'fixture plugin', 'Pending'],
    ]);
    const answer = plugin.sendRequest('initialize');
    jobs.cancel(blocker);
    await expect(answer).resolves.toMatchObject({ name: 'fixture-plugin' });
    await plugin.sendRequest('stderr', { line: 'warning: low disk' });
    await plugin.shutdown();
    expect(linesOf(events, plugin.id, 'stderr')).toEqual(['warning: low disk']);
    expect(events.filter((event) => event.job_id === plugin.id && isTerminalEvent(event))).toHaveLength(1);
  });
});

describe('RPC plugin: task.* notifications', () => {
  it('flow into the TaskTracker and into the job events while a request is served', async () => {
    const host = rpcHost();
    const events = collect(host.forOwner('ext'));
    const tracker = new TaskTracker();
    const plugin = startFixture(host, [], { tracker });
    expect(plugin.tasks).toBe(tracker);
    const invalid = [] as unknown[];
    tracker.on('invalid', (notification) => invalid.push(notification));
    await expect(plugin.sendRequest('work', { tasks: 2, steps: 4, invalid: true, fail: 'disk full' })).resolves.toEqual({ tasks: 2 });
    expect(tracker.snapshot().map(({ id, label, kind, current, total, percent, message, state, error, logs }) => ({ id, label, kind, current, total, percent, message, state, error, logs: logs.length }))).toEqual([
      { id: 't1', label: 'Task 1', kind: 'download', current: 4, total: 4, percent: 100, message: 'step 4 of 4', state: 'done', error: null, logs: 4 },
      { id: 't2', label: 'Task 2', kind: 'download', current: 4, total: 4, percent: 100, message: 'step 4 of 4', state: 'failed', error: 'disk full', logs: 4 },
    ]);
    expect(invalid).toEqual([
      { method: 'task.update', reason: "task.update missing 'id'", params: { task_id: 't1', current: 4, total: 4 } },
      { method: 'task.update', reason: "task.update missing 'id'", params: { task_id: 't2', current: 4, total: 4 } },
    ]);
    const progress = events.flatMap((event) => (event.type === 'job_progress' ? [[event.percent, event.step]] : []));
    expect(progress.slice(0, 6)).toEqual([[null, 'Task 1'], [25, 'step 1 of 4'], [50, 'step 2 of 4'], [75, 'step 3 of 4'], [100, 'step 4 of 4'], [100, null]]);
    const system = linesOf(events, plugin.id, 'system');
    expect(system).toContain('t1 did step 1');
    expect(system).toContain("[jobhost] invalid task.update notification ignored: task.update missing 'id'");
    expect(system).toContain('[jobhost] task t2 failed: disk full');
    expect(host.forOwner('ext').status(plugin.id)).toMatchObject({ Running: { percent: 100 } });
    await plugin.shutdown();
  });
});
