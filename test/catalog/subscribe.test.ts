import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_ERROR_CODES } from '../../src/contracts/catalog-rpc.js';
import { tempDir } from '../helpers/host.js';
import { ending, MANIFESTS, output, pushesOf, serve, untilEnded, waitFor } from './helpers.js';

describe('jobs.subscribe / jobs.unsubscribe', () => {
  it('lets a second connection follow a run it did not start, push for push', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const watcher = await connect();
    const subscription = await watcher.client.subscribe();
    expect(subscription).toMatch(/^[0-9a-f-]{36}$/);
    const runId = await alice.client.execute('hello');
    const seen = await untilEnded(watcher, runId);
    expect(seen).toEqual(await untilEnded(alice, runId));
    expect(output(seen)).toBe('line 1\nline 2\nline 3\n');
  });

  it('covers only runs of the same user', async () => {
    const { connect } = await serve();
    const alice = await connect('alice');
    const bob = await connect('bob');
    await bob.client.subscribe();
    const runId = await alice.client.execute('hello');
    await untilEnded(alice, runId);
    await bob.client.list(); // a round trip: any push for bob would have come before this answer
    expect(bob.progress).toEqual([]);
  });

  it('stops after unsubscribe; a second unsubscribe or a foreign id is NotFound', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const watcher = await connect();
    const other = await connect();
    const subscription = await watcher.client.subscribe();
    await expect(other.client.unsubscribe(subscription)).rejects.toMatchObject({ kind: 'NotFound' });
    await watcher.client.unsubscribe(subscription);
    await expect(watcher.client.unsubscribe(subscription)).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.NotFound });
    const runId = await alice.client.execute('hello');
    await untilEnded(alice, runId);
    await watcher.client.list();
    expect(watcher.progress).toEqual([]);
  });

  it('delivers once per connection however many subscriptions it holds, and caps them', async () => {
    const { connect } = await serve({ catalog: { maxSubscriptions: 2 } });
    const alice = await connect();
    await alice.client.subscribe();
    await alice.client.subscribe();
    await expect(alice.client.subscribe()).rejects.toMatchObject({ code: 'ERR_RPC_REMOTE', rpcCode: CATALOG_ERROR_CODES.RateLimit });
    const runId = await alice.client.execute('hello');
    const pushes = await untilEnded(alice, runId);
    expect(pushes.filter((push) => push.status === 'running' && Object.keys(push).length === 2)).toHaveLength(1);
  });

  it('tells a new subscriber which runs are in flight, then follows them to the end', async () => {
    const { connect } = await serve();
    const alice = await connect();
    const runId = await alice.client.execute('forever');
    await waitFor(alice, () => pushesOf(alice, runId).find((push) => push.status === 'running'), 'running');
    const watcher = await connect();
    await watcher.client.subscribe();
    // the snapshot follows the answer, possibly in a later read
    await waitFor(watcher, () => pushesOf(watcher, runId)[0], 'the snapshot');
    expect(pushesOf(watcher, runId)).toEqual([{ run_id: runId, status: 'running' }]);
    await alice.client.kill(runId);
    expect(ending((await untilEnded(watcher, runId)).at(-1))).toEqual({ run_id: runId, status: 'killed', exit_code: -1 });
  });

  it('keeps a run going when its client disconnects; a later connection sees its end and its last_run', async () => {
    const flag = join(tempDir(), 'go');
    const { connect, catalog } = await serve({
      manifests: [...MANIFESTS, { id: 'wait', display_name: 'Wait', category: 'c', version: '1', binary: 'wait', args: [flag], user_invokable: true }],
    });
    const alice = await connect();
    const runId = await alice.client.execute('wait');
    await waitFor(alice, () => (output(pushesOf(alice, runId)) === 'waiting\n' ? true : undefined), 'waiting');
    alice.socket.destroy();
    await alice.client.closed;

    const again = await connect();
    await again.client.subscribe();
    await waitFor(again, () => pushesOf(again, runId)[0], 'the snapshot');
    expect(pushesOf(again, runId)).toEqual([{ run_id: runId, status: 'running' }]);
    expect(catalog.activeRuns).toBe(1);
    // the orphaned run can be watched but not killed: only its own (gone) connection could
    await expect(again.client.kill(runId)).rejects.toMatchObject({ kind: 'Unauthorized' });
    writeFileSync(flag, '');
    const pushes = await untilEnded(again, runId);
    expect(output(pushes)).toBe('released\n');
    expect(ending(pushes.at(-1))).toEqual({ run_id: runId, status: 'completed', exit_code: 0 });
    const wait = (await again.client.list()).find((item) => item.id === 'wait');
    expect(wait?.last_run).toMatchObject({ run_id: runId, status: 'completed', exit_code: 0 });
  });
});
