/**
 * The writer's lossy frames (the catalog's output pushes) and its flushing
 * overflow (a catalog connection closes gracefully): against a stream that
 * stopped reading, the oldest lossy frames go first, one gap marker per key
 * stands in place of the first dropped frame, and nothing else is dropped or
 * reordered.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FrameWriter, type WriterOverflow } from '../../src/jsonrpc/framing/writer.js';

/** A stream that takes one chunk and then nothing until `open()`: a client that stopped reading. */
function stalledStream(): { stream: Writable; written: string[]; open: () => Promise<void> } {
  const written: string[] = [];
  let flowing = false;
  let held: (() => void) | null = null;
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString().slice(0, 12).replace(/[.\n]+$/, ''));
      if (flowing) callback();
      else held = callback;
    },
  });
  const open = (): Promise<void> => {
    flowing = true;
    held?.();
    return new Promise((resolve) => {
      const check = (): void => {
        if (stream.writableLength === 0 && !stream.writableNeedDrain) resolve();
        else setImmediate(check);
      };
      check();
    });
  };
  return { stream, written, open };
}

/** 1000 characters of text: a 1001-byte ndjson frame. */
const text = (tag: string): string => tag.padEnd(1000, '.');

function writer(stream: Writable, maxQueuedBytes: number, overflows: WriterOverflow[]): FrameWriter {
  const w = new FrameWriter({
    framing: 'ndjson',
    maxQueuedBytes,
    afterOverflow: 'flush',
    gapMarker: (key, dropped) => `M:${key}:${dropped}`,
    onOverflow: (overflow) => overflows.push(overflow),
  });
  w.attach(stream);
  return w;
}

describe('FrameWriter: lossy frames and a flushing overflow', () => {
  it('drops the oldest lossy frames first, one marker per key in place of the first, keeping everything else in order', async () => {
    const { stream, written, open } = stalledStream();
    const overflows: WriterOverflow[] = [];
    // the first frame sits in the stream's buffer (counted), the rest wait in the writer
    const w = writer(stream, 4600, overflows);
    w.write(text('answer'));
    w.write(text('A1'), { key: 'r1', units: 1000 });
    w.write(text('A2'), { key: 'r1', units: 1000 });
    w.write(text('status'));
    w.write(text('A3'), { key: 'r1', units: 1000 });
    expect(w.backlogged).toBe(true);
    w.write(text('B1'), { key: 'r2', units: 1000 });
    expect(w.queuedBytes).toBeLessThanOrEqual(4600);
    await open();
    expect(written).toEqual(['answer', 'M:r1:2000', 'status', 'A3', 'B1']);
    expect(overflows).toEqual([]);
  });

  it('overflows once when frames it may not drop pass the bound: what it accepted is still written, later frames are refused', async () => {
    const { stream, written, open } = stalledStream();
    const overflows: WriterOverflow[] = [];
    const w = writer(stream, 3500, overflows);
    const accepted = ['s0', 's1', 's2', 's3', 's4'].map((tag) => w.write(text(tag)));
    expect(accepted).toEqual([true, true, true, true, false]);
    expect(overflows).toEqual([{ queuedBytes: 3003, frameBytes: 1001, started: true }]);
    const finished = new Promise((resolve) => stream.once('finish', resolve));
    await open();
    await finished;
    expect(written).toEqual(['s0', 's1', 's2', 's3']);
  });

  it('ends the stream only after everything queued was written', async () => {
    const { stream, written, open } = stalledStream();
    const w = writer(stream, 100_000, []);
    w.write(text('one'));
    w.write(text('two'));
    w.end();
    expect(w.write(text('late'))).toBe(false);
    const finished = new Promise((resolve) => stream.once('finish', resolve));
    await open();
    await finished;
    expect(written).toEqual(['one', 'two']);
  });
});
