import { describe, expect, it } from 'vitest';
import { MANIFESTS, output, serve, untilEnded } from './helpers.js';

const MIB = 1024 * 1024;
const FLOOD_LINE = 'flood line of about forty bytes........\n';

describe('a client that does not read', () => {
  it('loses its oldest output pushes, marked in place, but keeps status and terminal pushes and its connection', async () => {
    const { connect } = await serve({
      manifests: [...MANIFESTS, { id: 'flood', display_name: 'Flood', category: 'c', version: '1', binary: 'flood', args: ['16'], user_invokable: true }],
      catalog: { maxQueuedBytes: 2 * MIB, batchMs: 60_000 },
    });
    const alice = await connect();
    const slow = await connect();
    await slow.client.subscribe();
    slow.socket.pause();
    const runId = await alice.client.execute('flood');
    await untilEnded(alice, runId);

    slow.socket.resume();
    const pushes = await untilEnded(slow, runId);
    expect(pushes[0]).toEqual({ run_id: runId, status: 'running' });
    expect(pushes.at(-1)).toEqual({ run_id: runId, status: 'completed', exit_code: 0 });
    const markers = pushes.filter((push) => push.stderr_chunk?.includes('characters of output dropped here') === true);
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(markers[0]?.stderr_chunk).toMatch(/^\[jobhost\] \d+ characters of output dropped here: this connection did not read fast enough\n$/);
    // far less than 16 MiB was kept for it: the server never held more than the cap for this client
    const kept = output(pushes);
    expect(kept.length).toBeLessThan(8 * MIB);
    // each kept chunk is an intact stretch of the output: whole lines between its two cut ends
    for (const push of pushes) expect((push.stdout_chunk ?? '').replaceAll(FLOOD_LINE, '').length).toBeLessThan(2 * FLOOD_LINE.length);
    // and kept + dropped is all of it (flood.mjs writes whole 65 520-byte blocks)
    const dropped = markers.reduce((sum, marker) => sum + Number(/\] (\d+) /.exec(marker.stderr_chunk ?? '')?.[1]), 0);
    expect(kept.length + dropped).toBe(Math.ceil((16 * MIB) / 65_520) * 65_520);
    // still connected and answering
    expect((await slow.client.list()).length).toBeGreaterThan(0);
  }, 60_000);
});
