import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Outgoing } from '../../src/catalog/outgoing.js';

/** A stream that takes one chunk and then nothing until `open()`: a client that stopped reading. */
function stalledStream(): { stream: Writable; written: string[]; open: () => Promise<void> } {
  const written: string[] = [];
  let flowing = false;
  let held: (() => void) | null = null;
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString().slice(0, 12));
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

const frame = (tag: string): Buffer => Buffer.from(tag.padEnd(1000, '.'));

function queue(stream: Writable, overflows: string[]): Outgoing {
  return new Outgoing(stream, {
    maxQueuedBytes: 3500,
    marker: (runId, dropped) => Buffer.from(`M:${runId}:${dropped}`),
    onOverflow: () => overflows.push('overflow'),
    onDrained: () => undefined,
  });
}

describe('Outgoing', () => {
  it('drops the oldest output frames first, one marker per run in place of the first, keeping everything else in order', async () => {
    const { stream, written, open } = stalledStream();
    const overflows: string[] = [];
    const outgoing = queue(stream, overflows);
    outgoing.send(frame('answer'));
    outgoing.send(frame('A1'), 'r1', true, 1000);
    outgoing.send(frame('A2'), 'r1', true, 1000);
    outgoing.send(frame('status'));
    outgoing.send(frame('A3'), 'r1', true, 1000);
    expect(outgoing.backlogged).toBe(true);
    outgoing.send(frame('B1'), 'r2', true, 1000);
    expect(outgoing.queuedBytes).toBeLessThanOrEqual(3500);
    await open();
    expect(written.map((text) => text.replace(/\.+$/, ''))).toEqual(['answer', 'M:r1:2000', 'status', 'A3', 'B1']);
    expect(overflows).toEqual([]);
  });

  it('calls onOverflow when frames it may not drop exceed the cap, and drops nothing', async () => {
    const { stream, written, open } = stalledStream();
    const overflows: string[] = [];
    const outgoing = queue(stream, overflows);
    for (let i = 0; i < 5; i++) outgoing.send(frame(`s${i}`));
    expect(overflows.length).toBeGreaterThan(0);
    await open();
    expect(written).toHaveLength(5);
  });

  it('ends the stream only after everything queued was written', async () => {
    const { stream, written, open } = stalledStream();
    const outgoing = queue(stream, []);
    outgoing.send(frame('one'));
    outgoing.send(frame('two'));
    outgoing.end();
    outgoing.send(frame('late'));
    const finished = new Promise((resolve) => stream.once('finish', resolve));
    await open();
    await finished;
    expect(written.map((text) => text.replace(/\.+$/, ''))).toEqual(['one', 'two']);
  });
});
