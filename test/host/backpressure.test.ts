/**
 * Backpressure from an owner's event buffer to its jobs' pipes, with real
 * processes: every consumer style that keeps reading gets every line, in
 * order, with the default buffer; one that stops reading holds its jobs
 * (bounded memory) until their timeout; `drop-oldest` keeps only a tail and
 * accounts for every line it dropped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../src/contracts/jobs.js';
import type { JobHandle } from '../../src/host/job-handle.js';
import { linesOf, makeHost, nextEvent } from '../helpers/host.js';

/** Drains `handle` on every event-loop turn until `end` settles, then once more. */
function drainEveryTurn(handle: JobHandle, end: Promise<unknown>, max?: number): Promise<JobEvent[]> {
  const got: JobEvent[] = [];
  let ended = false;
  void end.then(() => (ended = true));
  return new Promise((resolve) => {
    const turn = (): void => {
      const last = ended;
      for (const event of handle.drainEvents(max)) got.push(event);
      if (last) {
        for (const event of handle.drainEvents()) got.push(event);
        resolve(got);
      }
      else setImmediate(turn);
    };
    setImmediate(turn);
  });
}

/** Describes how `lines` differ from "1 …" to "n …" (empty when they are exactly those). */
function gaps(lines: readonly string[], from: number, to: number, step = 1): string {
  let expected = from;
  for (const line of lines) {
    const n = Number.parseInt(line, 10);
    if (n !== expected) return `expected line ${expected}, got "${line.slice(0, 40)}" (${lines.length} lines)`;
    expected += step;
  }
  return expected === to + step ? '' : `ended at line ${expected - step} of ${to} (${lines.length} lines)`;
}

/** Resolves once `handle` has heard `count` more events (the buffer of an owner that does not drain is then at its cap). */
function eventsHeard(handle: JobHandle, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = handle.onEvent(() => {
      if (++seen < count) return;
      stop();
      resolve();
    });
  });
}

const burners: ChildProcess[] = [];
afterEach(() => {
  for (const burner of burners.splice(0)) burner.kill('SIGKILL');
});

describe('backpressure (the default once an owner drains)', () => {
  it('a consumer draining every turn gets every line of a chatty job with the default buffer', async () => {
    const host = makeHost();
    const jobs = host.forOwner('p');
    const total = 200_000;
    const id = jobs.spawn({ label: 'chatty', binary: 'numbered', args: [String(total)] });
    const events = await drainEveryTurn(jobs, jobs.wait(id));

    expect(gaps(linesOf(events, id), 1, total)).toBe('');
    expect(linesOf(events, id, 'system')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(jobs.droppedEvents).toBe(0);
  });

  it('a consumer slower than the job loses nothing, and the buffer never holds more than its cap', async () => {
    const host = makeHost({ buffer: { maxEvents: 500 } });
    const jobs = host.forOwner('p');
    const total = 60_000;
    const id = jobs.spawn({ label: 'chatty', binary: 'numbered', args: [String(total), 'both'] });
    let largest = 0;
    let ended = false;
    const done = jobs.wait(id).then(() => (ended = true));
    const events: JobEvent[] = [];
    // 7 events per turn, and every 50th turn all of them: far slower than the job writes
    for (let turn = 0; !ended || events.at(-1)?.type !== 'job_completed'; turn++) {
      const batch = turn % 50 === 0 ? jobs.drainEvents() : jobs.drainEvents(7);
      if (turn % 50 === 0) largest = Math.max(largest, batch.length);
      for (const event of batch) events.push(event);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;

    expect(linesOf(events, id, 'system')).toEqual([]);
    expect(gaps(linesOf(events, id, 'stderr'), 1, total - 1, 2)).toBe('');
    expect(gaps(linesOf(events, id, 'stdout'), 2, total, 2)).toBe('');
    expect(jobs.droppedEvents).toBe(0);
    // paused to the line: the cap, plus the job's lifecycle events
    expect(largest).toBeGreaterThan(400);
    expect(largest).toBeLessThanOrEqual(500 + 2);
  });

  it('a for-await consumer gets every line, and so does a listener-only owner', async () => {
    const host = makeHost();
    const iterating = host.forOwner('iterating');
    const listening = host.forOwner('listening', { bufferEvents: false });
    const total = 100_000;
    const a = iterating.spawn({ label: 'chatty', binary: 'numbered', args: [String(total)] });
    const heard: JobEvent[] = [];
    listening.onEvent((event) => heard.push(event));
    const b = listening.spawn({ label: 'chatty', binary: 'numbered', args: [String(total)] });
    const seen: JobEvent[] = [];
    for await (const event of iterating) {
      seen.push(event);
      if (event.type === 'job_completed' || event.type === 'job_failed') break;
    }
    await listening.wait(b);

    expect(gaps(linesOf(seen, a), 1, total)).toBe('');
    expect(gaps(linesOf(heard, b), 1, total)).toBe('');
  });

  it('on a host made busy on purpose (CPU burners), 12 chatty jobs lose no line and no job is cut short', async () => {
    for (let i = 0; i < 4; i++) burners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    const host = makeHost({ maxConcurrent: 6, killGraceMs: 200 });
    const jobs = host.forOwner('p');
    const total = 20_000;
    const ids = Array.from({ length: 12 }, () => jobs.spawn({ label: 'chatty', binary: 'numbered', args: [String(total), 'both'] }));
    const events = await drainEveryTurn(jobs, Promise.all(ids.map((id) => jobs.wait(id))));

    for (const id of ids) {
      expect(linesOf(events, id, 'system'), id).toEqual([]);
      expect(gaps(linesOf(events, id, 'stdout'), 2, total, 2), id).toBe('');
      expect(gaps(linesOf(events, id, 'stderr'), 1, total - 1, 2), id).toBe('');
      expect(linesOf(events, id, 'system'), id).toEqual([]);
    }
    expect(events.filter((event) => event.type === 'job_completed')).toHaveLength(12);
  }, 120_000);
});

describe("an owner that stops draining", () => {
  it("with overflow 'pause' holds its job (which blocks on its pipe) until the job's timeout, with memory at the caps", async () => {
    const host = makeHost({ buffer: { maxEvents: 1000 }, killGraceMs: 200 });
    const jobs = host.forOwner('p', { overflow: 'pause' });
    const id = jobs.spawn({ label: 'endless', binary: 'numbered', args: ['100000000'], timeout_secs: 1 });
    const end = await jobs.wait(id);
    const events = jobs.drainEvents();

    expect(end).toMatchObject({ type: 'job_cancelled', reason: 'timeout after 1s' });
    const lines = linesOf(events, id);
    // kept from the start, in order, with nothing skipped; held at the cap, plus what the pipes held when it ended (at most twice the cap)
    expect(gaps(lines, 1, lines.length)).toBe('');
    expect(lines.length).toBeGreaterThanOrEqual(1000 - 2);
    expect(events.length).toBeLessThanOrEqual(2 * 1000 + 3);
    expect(events.at(-1)).toBe(end);
  });

  it("with 'auto', an owner that never drained does not stall its jobs: the oldest output goes, announced", async () => {
    const host = makeHost({ buffer: { maxEvents: 1000 } });
    const jobs = host.forOwner('p');
    const total = 50_000;
    const id = jobs.spawn({ label: 'chatty', binary: 'numbered', args: [String(total)] });
    const end = await jobs.wait(id);
    const events = jobs.drainEvents();

    expect(end).toMatchObject({ type: 'job_completed' });
    const [notice] = linesOf(events, id, 'system');
    const dropped = Number(/dropped (\d+) log lines/.exec(notice ?? '')?.[1]);
    const lines = linesOf(events, id);
    expect(notice).toContain('overflow: drop-oldest');
    expect(dropped + lines.length).toBe(total);
    expect(gaps(lines, dropped + 1, total)).toBe('');
    expect(jobs.droppedEvents).toBe(dropped);
  });

  it("with 'drop-oldest', a consumer that falls behind keeps a tail and every drop is accounted for", async () => {
    const host = makeHost({ buffer: { maxEvents: 200 } });
    const jobs = host.forOwner('p', { overflow: 'drop-oldest' });
    const total = 50_000;
    const id = jobs.spawn({ label: 'chatty', binary: 'numbered', args: [String(total)] });
    const events = await drainEveryTurn(jobs, jobs.wait(id), 3);

    const lines = linesOf(events, id);
    const dropped = linesOf(events, id, 'system')
      .map((line) => Number(/dropped (\d+) log lines?/.exec(line)?.[1]))
      .reduce((sum, n) => sum + n, 0);
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + lines.length).toBe(total);
    expect(jobs.droppedEvents).toBe(dropped);
    expect(events.at(-1)).toMatchObject({ type: 'job_completed' });
  });

  it('a cancel does not wait for a drain: cancel then wait ends promptly though nobody drains any more', async () => {
    const host = makeHost({ buffer: { maxEvents: 200 }, killGraceMs: 200 });
    const jobs = host.forOwner('p');
    const id = jobs.spawn({ label: 'endless', binary: 'numbered', args: ['100000000'], timeout_secs: 3600 });
    // it drained once (so it is under backpressure now), then stopped: the job is held at the cap
    expect(await nextEvent(jobs, (event) => event.type === 'job_started')).toMatchObject({ job_id: id });
    jobs.drainEvents();
    await eventsHeard(jobs, 200);
    expect(jobs.cancel(id, 'enough')).toBe(true);
    expect(await jobs.wait(id)).toMatchObject({ type: 'job_cancelled', reason: 'enough' });
    // bounded all the same: twice the caps, plus notices and lifecycle events
    expect(jobs.drainEvents().length).toBeLessThanOrEqual(2 * 200 + 4);
  });

  it('dispose ends a job its owner stopped draining at once, with its terminal event', async () => {
    const host = makeHost({ buffer: { maxEvents: 100 }, killGraceMs: 200 });
    const jobs = host.forOwner('p', { overflow: 'pause' });
    const id = jobs.spawn({ label: 'endless', binary: 'numbered', args: ['100000000'], timeout_secs: 3600 });
    // wait until it is held: the buffer at its cap
    await eventsHeard(jobs, 100);
    await host.dispose();
    const end = await jobs.wait(id);
    expect(end).toMatchObject({ type: 'job_cancelled', reason: 'host disposed' });
  });
});
