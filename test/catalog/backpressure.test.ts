import { describe, expect, it } from 'vitest';
import { ending, MANIFESTS, output, serve, untilEnded } from './helpers.js';

const MIB = 1024 * 1024;
const FLOOD_LINE = 'flood line of about forty bytes........\n';

const FLOOD = { id: 'flood', display_name: 'Flood', category: 'c', version: '1', binary: 'flood', args: ['16'], user_invokable: true };
/** Bytes flood.mjs writes for 16 MiB: whole 65 520-byte blocks. */
const FLOODED = Math.ceil((16 * MIB) / 65_520) * 65_520;

describe('clients that keep reading', () => {
  it('get every character of a job far faster than the socket, the executing client and a subscriber alike', async () => {
    const { connect } = await serve({ manifests: [...MANIFESTS, FLOOD], catalog: { maxQueuedBytes: 2 * MIB } });
    const alice = await connect();
    const follower = await connect();
    await follower.client.subscribe();
    const runId = await alice.client.execute('flood');
    const [mine, followed] = await Promise.all([untilEnded(alice, runId), untilEnded(follower, runId)]);

    for (const pushes of [mine, followed]) {
      expect(pushes.filter((push) => push.stderr_chunk !== undefined).map((push) => push.stderr_chunk)).toEqual([]);
      expect(output(pushes).length).toBe(FLOODED);
      expect(output(pushes).replaceAll(FLOOD_LINE, '')).toBe('');
      expect(ending(pushes.at(-1))).toEqual({ run_id: runId, status: 'completed', exit_code: 0 });
    }
  }, 60_000);
});

describe('a client that does not read', () => {
  it('holds the run until slowReaderMs, then loses its oldest output pushes, marked in place and saying why, but keeps status and terminal pushes and its connection', async () => {
    const { connect } = await serve({ manifests: [...MANIFESTS, FLOOD], catalog: { maxQueuedBytes: 2 * MIB, batchMs: 60_000, slowReaderMs: 300 } });
    const alice = await connect();
    const slow = await connect();
    await slow.client.subscribe();
    slow.socket.pause();
    const runId = await alice.client.execute('flood');
    const alicePushes = untilEnded(alice, runId);
    await alicePushes;

    slow.socket.resume();
    const pushes = await untilEnded(slow, runId);
    expect(pushes[0]).toEqual({ run_id: runId, status: 'running' });
    expect(ending(pushes.at(-1))).toEqual({ run_id: runId, status: 'completed', exit_code: 0 });
    const markers = pushes.filter((push) => push.stderr_chunk?.includes('characters of output dropped here') === true);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(markers[0]?.stderr_chunk).toMatch(/^\[jobhost\] \d+ characters of output dropped here: this connection had not read what was sent for 300 ms, so the job went on without waiting for it\n$/);
    // the executing client, which kept reading, lost nothing while the other one was held and then let go
    expect(output(await alicePushes).length).toBe(FLOODED);
    // far less than 16 MiB was kept for it: the server never held more than the cap for this client
    const kept = output(pushes);
    expect(kept.length).toBeLessThan(8 * MIB);
    // each kept chunk is an intact stretch of the output: whole lines between its two cut ends
    for (const push of pushes) expect((push.stdout_chunk ?? '').replaceAll(FLOOD_LINE, '').length).toBeLessThan(2 * FLOOD_LINE.length);
    // and kept + dropped is all of it (flood.mjs writes whole 65 520-byte blocks)
    const dropped = markers.reduce((sum, marker) => sum + Number(/\] (\d+) /.exec(marker.stderr_chunk ?? '')?.[1]), 0);
    expect(kept.length + dropped).toBe(FLOODED);
    // still connected and answering
    expect((await slow.client.list()).length).toBeGreaterThan(0);
  }, 60_000);
});
