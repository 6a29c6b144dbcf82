import { describe, expect, it } from 'vitest';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import type { JobRun } from '../../src/contracts/catalog-types.js';
import type { LastRunStore } from '../../src/catalog/server/last-run.js';
import { until } from '../helpers/host.js';
import { serve, untilEnded } from './helpers.js';

describe('jobs.list', () => {
  it('lists only user-invokable jobs, with the effective timeout and no null or absent-field keys', async () => {
    const { connect } = await serve({ catalog: { defaultTimeoutSecs: 900 } });
    const alice = await connect();
    const items = await alice.client.list();
    // kanade's order: display_name, then id
    expect(items.map((item) => item.id)).toEqual(['fail', 'forever', 'hello', 'not-allowed', 'short-timeout', 'update']);
    expect(items.find((item) => item.id === 'update')?.timeout_secs).toBe(60);
    expect(items.find((item) => item.id === 'hello')?.timeout_secs).toBe(900);
    // the wire form: exactly the contract's keys, in Rust order, nothing null
    const raw = alice.messages.at(-1) as { result: { items: Record<string, unknown>[] } };
    expect(Object.keys(raw.result.items[0] ?? {})).toEqual(['id', 'display_name', 'category', 'version', 'timeout_secs']);
    expect(JSON.stringify(raw)).not.toContain('null');
  });

  it('sorts by display_name then id, comparing UTF-8 bytes as Rust does (no locale, astral after U+FFFF)', async () => {
    const job = (id: string, display_name: string) => ({ id, display_name, category: 'c', version: '1', binary: 'lines', user_invokable: true });
    const manifests = [job('z', 'apple'), job('b', 'Zebra'), job('a', 'Zebra'), job('m', 'Mango'), job('astral', '😀'), job('private', '\uFFFD'), job('accent', 'Éclair')];
    const { connect } = await serve({ manifests });
    const alice = await connect();
    // byte order: upper case before lower case, U+FFFD (EF BF BD) before U+1F600 (F0 …), though UTF-16 would put the emoji first
    expect((await alice.client.list()).map((item) => item.id)).toEqual(['m', 'a', 'b', 'z', 'accent', 'private', 'astral']);
  });

  it('filters by category', async () => {
    const { connect } = await serve();
    const alice = await connect();
    expect((await alice.client.list('software_update')).map((item) => item.id)).toEqual(['update']);
    expect(await alice.client.list('no-such-tab')).toEqual([]);
  });

  it('shows last_run per user: the runner sees it, another user does not', async () => {
    const { connect } = await serve();
    const alice = await connect('alice');
    const bob = await connect('bob');
    const before = (await alice.client.list()).find((item) => item.id === 'hello');
    expect(before?.last_run).toBeUndefined();

    const runId = await alice.client.execute('hello');
    await untilEnded(alice, runId);
    const hello = (await alice.client.list()).find((item) => item.id === 'hello');
    expect(hello?.last_run).toMatchObject({ run_id: runId, status: 'completed', exit_code: 0 });
    expect(hello?.last_run?.finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    expect((await bob.client.list()).find((item) => item.id === 'hello')?.last_run).toBeUndefined();
  });

  it('keeps last_run in a host-supplied store, written in order per run even when the store is slow', async () => {
    const writes: string[] = [];
    const saved = new Map<string, JobRun>();
    const store: LastRunStore = {
      get: async (user, id) => {
        await new Promise((resolve) => setImmediate(resolve));
        return saved.get(`${user}/${id}`);
      },
      set: async (user, id, run) => {
        await new Promise((resolve) => setImmediate(resolve));
        writes.push(`${user}/${id}:${run.status}`);
        saved.set(`${user}/${id}`, run);
      },
    };
    const { connect } = await serve({ catalog: { lastRuns: store } });
    const alice = await connect();
    const runId = await alice.client.execute('hello');
    await untilEnded(alice, runId);
    // the store finishes its last write on its own time; no message announces it
    await until(() => writes.length === 3, 20_000, 'the last write');
    expect(writes).toEqual(['alice/hello:queued', 'alice/hello:running', 'alice/hello:completed']);
    expect((await alice.client.list()).find((item) => item.id === 'hello')?.last_run).toMatchObject({ run_id: runId, status: 'completed' });
  });

  it('answers InternalError naming every problem when the manifest provider returns invalid manifests', async () => {
    const errors: unknown[] = [];
    const { connect } = await serve({ manifests: () => [{ id: 'x' }], catalog: { onError: (error) => errors.push(error) } });
    const alice = await connect();
    const failure = await alice.client.list().catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.InternalError, kind: 'InternalError' });
    expect((failure as Error).message).toMatch(/jobs\[0\] \(id "x"\) at display_name/);
    expect(errors).toHaveLength(1);
  });
});
