import { describe, expect, it } from 'vitest';
import { fixture } from '../helpers/host.js';
import { ending, MANIFESTS, output, serve, untilEnded } from './helpers.js';

const MIB = 1024 * 1024;
const FLOOD_LINE = 'flood line of about forty bytes........\n';
/** Characters that cost 2, 2, 6, 2, 3 and 4 bytes once JSON-escaped: the worst mix for a naive splitter. */
const HEAVY = '"\\\u0001é€😀';

describe('output chunks at the frame cap', () => {
  it('splits more than 1 MiB of fast output into frames of at most 1 MiB, losing and reordering nothing', async () => {
    const { connect } = await serve({
      manifests: [...MANIFESTS, { id: 'flood', display_name: 'Flood', category: 'c', version: '1', binary: 'flood', args: ['3'], user_invokable: true }],
      // batches only by size and at the end, so frames fill up to the cap
      catalog: { batchMs: 60_000 },
    });
    const alice = await connect();
    const runId = await alice.client.execute('flood');
    const pushes = await untilEnded(alice, runId);
    const text = output(pushes);
    expect(text.length).toBeGreaterThanOrEqual(3 * MIB);
    expect(text).toBe(FLOOD_LINE.repeat(text.length / FLOOD_LINE.length));
    expect(ending(pushes.at(-1))).toEqual({ run_id: runId, status: 'completed', exit_code: 0 });
    // the client's decoder has a 1 MiB cap and would have dropped the connection on a bigger frame
    expect(Math.max(...alice.frameBytes)).toBeLessThanOrEqual(MIB);
    // and frames are filled: a piece stops only where the next character would not fit
    expect(Math.max(...alice.frameBytes)).toBeGreaterThan(MIB - 16);
    expect(pushes.filter((push) => push.stdout_chunk !== undefined).length).toBeGreaterThanOrEqual(3);
  });

  it('counts JSON escaping and UTF-8 when it splits, and never cuts a character in two', async () => {
    const repeats = 200_000;
    const { connect } = await serve({
      manifests: [{ id: 'heavy', display_name: 'Heavy', category: 'c', version: '1', binary: 'repeat', args: [HEAVY, String(repeats)], user_invokable: true }],
      catalog: { batchMs: 60_000 },
      // one 2.4 MB line: the host does not split it, so the output comes back exactly
      host: { maxLineBytes: 8 * MIB },
    });
    const alice = await connect();
    const runId = await alice.client.execute('heavy');
    const pushes = await untilEnded(alice, runId);
    // the final line had no newline; the catalog ends every line it re-joins with one
    expect(output(pushes)).toBe(`${HEAVY.repeat(repeats)}\n`);
    expect(Math.max(...alice.frameBytes)).toBeLessThanOrEqual(MIB);
    expect(Math.max(...alice.frameBytes)).toBeGreaterThan(MIB - 16);
    for (const push of pushes) expect(push.stdout_chunk?.isWellFormed() ?? true).toBe(true);
    expect(pushes.filter((push) => push.stdout_chunk !== undefined).length).toBeGreaterThanOrEqual(4);
  });

  it("passes a binary's raw output chunks through exactly, with tolerant UTF-8", async () => {
    const { connect } = await serve({
      manifests: [
        { id: 'text', display_name: 'Text', category: 'c', version: '1', binary: 'raw', args: [JSON.stringify('héllo\nwörld 😀'), 'utf8'], user_invokable: true },
        { id: 'bytes', display_name: 'Bytes', category: 'c', version: '1', binary: 'raw', args: [JSON.stringify('ok \u00ff\u00fe end'), 'bytes'], user_invokable: true },
      ],
      host: { binaries: { raw: { path: fixture('write.mjs'), output: 'chunks' } } },
    });
    const alice = await connect();
    const text = await alice.client.execute('text');
    expect(output(await untilEnded(alice, text))).toBe('héllo\nwörld 😀'); // no newline added
    const bytes = await alice.client.execute('bytes');
    expect(output(await untilEnded(alice, bytes))).toBe('ok \ufffd\ufffd end');
  });
});
