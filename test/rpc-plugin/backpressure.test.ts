/**
 * A plugin that does not read its stdin cannot grow the host's memory: what
 * waits for it is bounded by `maxQueuedBytes`, and a plugin that lets more
 * pile up is stopped. A slow reader that keeps reading is never stopped.
 * Real processes and real pipes; the writer alone against a paused stream.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent, type JobEvent } from '../../src/contracts/jobs.js';
import type { JobHost } from '../../src/host/job-host.js';
import { encodeMessage, notificationMessage } from '../../src/jsonrpc/envelopes.js';
import { encodeFrame } from '../../src/jsonrpc/framing/encode.js';
import { FrameWriter, type WriterOverflow } from '../../src/jsonrpc/framing/writer.js';
import { createFrameDecoder } from '../../src/jsonrpc/index.js';
import type { RpcPluginOptions } from '../../src/rpc-plugin/options.js';
import { startRpcPlugin, type RpcPlugin } from '../../src/rpc-plugin/rpc-plugin.js';
import { collect, fixture, linesOf, nextEvent } from '../helpers/host.js';
import { containing, failure, nextNotification, rpcHost } from './plugin-helpers.js';

const MiB = 1024 * 1024;
const STOPPED = 'the plugin did not read its stdin: more than 8388608 bytes of host → plugin messages were waiting';

/** A host with the two fixtures of this file allow-listed (and `forever`, for a blocker). */
function host(options: Parameters<typeof rpcHost>[0] = {}): JobHost {
  return rpcHost({ ...options, binaries: { 'no-read': { path: fixture('rpc/no-read.mjs') }, 'slow-read': { path: fixture('rpc/slow-read.mjs') } } });
}

function start(on: JobHost, binary: string, args: string[] = [], options: Partial<RpcPluginOptions> = {}): RpcPlugin {
  return startRpcPlugin(on, { owner: 'ext', request: { label: binary, binary, args }, shutdownGraceMs: 15_000, ...options });
}

/**
 * Heap plus Buffer memory in use after a full collection: frames are Buffers,
 * outside the V8 heap. `gc` is not exposed in vitest's workers; V8 hands it
 * out when the flag is set at run time and a new context is made.
 */
function memoryAfterGc(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** The terminal events of `jobId` among `events`. */
function terminals(events: readonly JobEvent[], jobId: string): JobEvent[] {
  return events.filter((event) => event.job_id === jobId && isTerminalEvent(event));
}

describe('FrameWriter against a stream whose reader is paused', () => {
  /** A notification whose frame has the same size for every `seq` below 10 000. */
  const note = (seq: number, pad = 1000): string => JSON.stringify(notificationMessage('n', { seq, pad: 'p'.repeat(pad - String(seq).length) }));
  const frameBytes = encodeFrame('content-length', note(0)).length;

  function writer(maxQueuedBytes: number): { writer: FrameWriter; overflows: WriterOverflow[] } {
    const overflows: WriterOverflow[] = [];
    return { writer: new FrameWriter({ framing: 'content-length', maxQueuedBytes, onOverflow: (overflow) => overflows.push(overflow) }), overflows };
  }

  it('stops at the bound, once: nothing more is written, what Node held is released, and later writes are false', () => {
    const { writer: w, overflows } = writer(8 * 1024);
    const stream = new PassThrough({ highWaterMark: 1024 });
    w.attach(stream);
    let accepted = 0;
    let peak = 0;
    while (accepted < 10_000 && w.write(note(accepted))) {
      accepted += 1;
      peak = Math.max(peak, w.queuedBytes);
    }
    expect(overflows).toEqual([{ queuedBytes: expect.any(Number) as number, frameBytes, started: true }]);
    expect(peak).toBeLessThanOrEqual(8 * 1024);
    expect(overflows[0]!.queuedBytes + frameBytes).toBeGreaterThan(8 * 1024);
    // accepted past the point where write() asked for a drain (the rest waited in the writer), as long as the bound held
    expect(accepted * frameBytes).toBeGreaterThan(stream.writableHighWaterMark + stream.readableHighWaterMark);
    expect(w.open).toBe(false);
    expect(stream.destroyed).toBe(true);
    expect(w.write(note(0))).toBe(false);
    expect(overflows).toHaveLength(1);
  });

  it('a slow reader is never stopped while the bound holds; every frame arrives, whole and in order', async () => {
    const max = 8 * 1024;
    const { writer: w, overflows } = writer(max);
    const stream = new PassThrough({ highWaterMark: 1024 });
    w.attach(stream);
    const decoder = createFrameDecoder('content-length');
    const seen: number[] = [];
    stream.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) if (event.kind === 'message') seen.push((JSON.parse(event.text) as { params: { seq: number } }).params.seq);
      // slow: one chunk per turn of the event loop
      stream.pause();
      setImmediate(() => stream.resume());
    });
    let afterFalse = 0;
    for (let seq = 0; seq < 200; seq++) {
      while (w.queuedBytes + frameBytes > max) await once(stream, 'drain');
      if (stream.writableNeedDrain) afterFalse += 1;
      expect(w.write(note(seq))).toBe(true);
    }
    // frames still wait in the writer: EOF comes after the last of them
    w.end();
    await once(stream, 'end');
    expect(overflows).toEqual([]);
    expect(afterFalse).toBeGreaterThan(0);
    expect(seen).toEqual(Array.from({ length: 200 }, (_, seq) => seq));
    expect(200 * frameBytes).toBeGreaterThan(10 * max);
  });

  it('before stdin arrives, what waits is bounded by the same count; under it, everything goes out in order', () => {
    const { writer: w, overflows } = writer(10 * frameBytes);
    for (let seq = 0; seq < 10; seq++) expect(w.write(note(seq))).toBe(true);
    expect(w.queuedBytes).toBe(10 * frameBytes);
    expect(w.write(note(10))).toBe(false);
    expect(overflows).toEqual([{ queuedBytes: 10 * frameBytes, frameBytes, started: false }]);
    expect(w.queuedBytes).toBe(0);

    const second = writer(10 * frameBytes);
    for (let seq = 0; seq < 10; seq++) second.writer.write(note(seq));
    const stream = new PassThrough({ highWaterMark: 64 * 1024 });
    second.writer.attach(stream);
    const decoder = createFrameDecoder('content-length');
    const seqs = decoder.push(stream.read() as Buffer).map((event) => (event.kind === 'message' ? (JSON.parse(event.text) as { params: { seq: number } }).params.seq : -1));
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second.overflows).toEqual([]);
  });

  it('one frame larger than the bound goes out when nothing waits; a dead pipe is false, never an exception', () => {
    const { writer: w, overflows } = writer(64);
    const stream = new PassThrough({ highWaterMark: 1024 });
    w.attach(stream);
    expect(w.write(note(0, 4096))).toBe(true);
    expect(overflows).toEqual([]);

    const dead = writer(8 * 1024);
    const gone = new PassThrough();
    dead.writer.attach(gone);
    gone.destroy();
    expect(dead.writer.write(note(0))).toBe(false);
    expect(dead.writer.write(note(1))).toBe(false);
    expect(dead.overflows).toEqual([]);
  });
});

describe('RPC plugin: a plugin that never reads its stdin is stopped at maxQueuedBytes', () => {
  it('`maxQueuedBytes` is checked up front like every option', () => {
    const on = host();
    for (const bad of [0, -1, 1.5, '8MiB']) {
      expect(() => start(on, 'no-read', [], { maxQueuedBytes: bad as number })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_OPTIONS', message: containing('Expected `maxQueuedBytes` to be an integer from 1 and up') }));
    }
    expect(on.forOwner('ext').list()).toEqual([]);
  });

  it('the host flooding it with requests: pending ones reject ERR_RPC_BACKPRESSURE, later sends fail, one job_cancelled', async () => {
    const on = host();
    const events = collect(on.forOwner('ext'));
    const plugin = start(on, 'no-read');
    await nextNotification(plugin, 'ready');
    const blob = 'b'.repeat(256 * 1024);
    const pending: Promise<unknown>[] = [];
    // 200 × 256 KiB would be 50 MiB; the writer gives up after about 8 MiB
    for (let n = 0; n < 200; n++) pending.push(plugin.sendRequest('work', { n, blob }));
    const errors = await Promise.all(pending.map(failure));
    expect(new Set(errors.map((error) => error.code))).toEqual(new Set(['ERR_RPC_BACKPRESSURE']));
    const answeredLate = errors.filter((error) => error.message.startsWith('`work` was not answered'));
    expect(answeredLate.length).toBeGreaterThan(16);
    expect(answeredLate[0]).toMatchObject({ method: 'work', message: `\`work\` was not answered: ${STOPPED}` });
    expect(errors.at(-1)).toMatchObject({ message: `Cannot send \`work\`: ${STOPPED}` });
    expect(plugin.pendingRequests).toBe(0);

    expect(await plugin.done).toMatchObject({ type: 'job_cancelled', reason: STOPPED });
    expect(terminals(events, plugin.id)).toHaveLength(1);
    expect(linesOf(events, plugin.id, 'system')).toContainEqual(containing(`[jobhost] ${STOPPED} (`));
    expect(linesOf(events, plugin.id, 'system').filter((line) => line.includes('writing to stdin failed'))).toEqual([]);
    // the root cause stays the answer, after the job's end too
    expect(await failure(plugin.sendRequest('again'))).toMatchObject({ code: 'ERR_RPC_BACKPRESSURE', message: `Cannot send \`again\`: ${STOPPED}` });
    expect(plugin.sendNotification('again')).toBe(false);
    await expect(plugin.shutdown()).resolves.toMatchObject({ type: 'job_cancelled', reason: STOPPED });
  });

  it("notifications the host sends in a loop: accepted bytes stay within the bound (plus the kernel's buffers)", async () => {
    const on = host();
    const events = collect(on.forOwner('ext'));
    const plugin = start(on, 'no-read', [], { maxQueuedBytes: MiB });
    await nextNotification(plugin, 'ready');
    const payload = { blob: 'n'.repeat(16 * 1024) };
    const frame = encodeMessage('content-length', notificationMessage('blob', payload)).length;
    let accepted = 0;
    while (accepted < 10_000 && plugin.sendNotification('blob', payload)) accepted += 1;
    // the kernel takes some before the host holds anything: libuv gives a child's stdio a socket pair, whose
    // buffers are a few hundred KiB on Linux (net.core.[rw]mem_default); 1 MiB of room covers them
    expect(accepted * frame).toBeGreaterThan(MiB - frame);
    expect(accepted * frame).toBeLessThan(2 * MiB);
    const terminal = await plugin.done;
    expect(terminal).toMatchObject({ type: 'job_cancelled', reason: containing('more than 1048576 bytes of host → plugin messages were waiting') });
    expect(terminals(events, plugin.id)).toHaveLength(1);
  });

  it('the plugin flooding requests with 1 MB ids, each answered with an error echoing it: the host stays bounded', async () => {
    const on = host();
    const events = collect(on.forOwner('ext'));
    const baseline = memoryAfterGc();
    let atStop = 0;
    // measured at the moment the writer gives up: stdin still holds what waited (it is released right after)
    on.forOwner('ext').onEvent((event) => {
      if (event.type === 'job_log_line' && event.line.includes('did not read its stdin')) atStop = memoryAfterGc();
    });
    // 64 answers of about 1 MB each: 64 MB without the bound
    const plugin = start(on, 'no-read', ['--flood=64', `--id-bytes=${MiB}`]);
    expect(await plugin.done).toMatchObject({ type: 'job_cancelled', reason: STOPPED });
    expect(terminals(events, plugin.id)).toHaveLength(1);
    const after = memoryAfterGc();
    expect(atStop).toBeGreaterThan(0);
    // the bound (8 MiB), one answer (1 MiB), the decoder's frame in progress (1 MiB) and the parsed request (1 MiB), with slack
    expect(atStop - baseline).toBeLessThan(24 * MiB);
    expect(after - baseline).toBeLessThan(16 * MiB);
  });

  it('before the plugin starts, what waits for it is bounded too: the queued job is cancelled', async () => {
    const on = host({ maxConcurrent: 1 });
    const jobs = on.forOwner('ext');
    const events = collect(jobs);
    const blocker = jobs.spawn({ label: 'blocker', binary: 'forever', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_started' && event.job_id === blocker);
    const plugin = start(on, 'no-read', [], { maxQueuedBytes: 64 * 1024 });
    const first = plugin.sendRequest('initialize', { blob: 'i'.repeat(32 * 1024) });
    let accepted = 0;
    while (accepted < 1000 && plugin.sendNotification('blob', { blob: 'n'.repeat(1024) })) accepted += 1;
    expect(accepted).toBeLessThan(32);
    const why = 'more than 65536 bytes of host → plugin messages were waiting for the plugin to start';
    expect(await failure(first)).toMatchObject({ code: 'ERR_RPC_BACKPRESSURE', message: `\`initialize\` was not answered: ${why}` });
    expect(await plugin.done).toMatchObject({ type: 'job_cancelled', reason: why });
    expect(plugin.pid).toBeNull();
    expect(terminals(events, plugin.id)).toHaveLength(1);
    jobs.cancel(blocker);
  });
});

describe('RPC plugin: a slow reader that keeps reading is never stopped', () => {
  it('four times the bound in total, never more than the bound outstanding: every request is answered, in order', async () => {
    const on = host();
    const events = collect(on.forOwner('ext'));
    const plugin = start(on, 'slow-read', ['--delay-ms=2'], { maxQueuedBytes: MiB });
    const blob = 's'.repeat(64 * 1024);
    const total = 64;
    // 12 requests of 64 KiB in flight (787 KiB < 1 MiB, with a frame to spare for a write whose completion is not
    // seen yet): the first burst is far more than the pipe takes, so write() asks for a drain and frames wait;
    // a new request goes only after an answer came back
    const lanes = 12;
    let next = 0;
    const answers: { seq: number; bytes: number; inOrder: boolean }[] = [];
    const lane = async (): Promise<void> => {
      while (next < total) {
        const seq = next++;
        answers.push((await plugin.sendRequest('take', { seq, blob })) as { seq: number; bytes: number; inOrder: boolean });
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    expect(answers).toHaveLength(total);
    expect(answers.every((answer) => answer.inOrder)).toBe(true);
    expect(answers.reduce((sum, answer) => sum + answer.bytes, 0)).toBeGreaterThan(4 * MiB);
    expect(await plugin.shutdown()).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(terminals(events, plugin.id)).toHaveLength(1);
    expect(linesOf(events, plugin.id, 'system')).toEqual([]);
  });
});
