import { describe, it, expect } from 'vitest';
import * as fc from 'fast-check';
import type { JobEvent, JobEventOf } from '../../src/contracts/jobs.js';
import { EventBuffer, dropNotice } from '../../src/events/event-buffer.js';

const PROPERTY = { seed: 42, numRuns: 200 } as const;
const ROOMY = { maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 } as const;

const started = (job: string, pid = 1): JobEventOf<'job_started'> => ({
  type: 'job_started',
  job_id: job,
  pid,
  started_at: `2024-01-01T00:00:0${pid % 10}Z`,
});
const log = (job: string, line: string, stream = 'stdout'): JobEventOf<'job_log_line'> => ({ type: 'job_log_line', job_id: job, line, stream });
const progress = (job: string, percent: number | null, step: string | null = null): JobEventOf<'job_progress'> => ({
  type: 'job_progress',
  job_id: job,
  percent,
  step,
});
const chunk = (job: string, bytes: number[]): JobEventOf<'job_output_chunk'> => ({ type: 'job_output_chunk', job_id: job, bytes, stream: 'stdout' });
const completed = (job: string, code = 0): JobEventOf<'job_completed'> => ({
  type: 'job_completed',
  job_id: job,
  exit_code: code,
  completed_at: '2024-01-01T00:01:00Z',
  output_tail: null,
});
const failed = (job: string): JobEventOf<'job_failed'> => ({ type: 'job_failed', job_id: job, exit_code: null, error: 'spawn failed', failed_at: '2024-01-01T00:01:00Z' });
const cancelled = (job: string): JobEventOf<'job_cancelled'> => ({ type: 'job_cancelled', job_id: job, reason: 'user', cancelled_at: '2024-01-01T00:01:00Z' });

const LIFECYCLE = new Set(['job_started', 'job_completed', 'job_failed', 'job_cancelled']);
const isLifecycle = (event: JobEvent): boolean => LIFECYCLE.has(event.type);
const isNotice = (event: JobEvent): boolean => event.type === 'job_log_line' && event.stream === 'system';

/** Counts a drop notice reports, read back from its text. */
function noticeCounts(event: JobEvent): { lines: number; chunks: number; progress: number } {
  if (event.type !== 'job_log_line' || event.stream !== 'system') throw new Error(`not a drop notice: ${JSON.stringify(event)}`);
  const count = (pattern: RegExp): number => Number(pattern.exec(event.line)?.[1] ?? 0);
  return {
    lines: count(/(\d+) log lines?\b/),
    chunks: count(/(\d+) output chunks?\b/),
    progress: count(/(\d+) progress updates?\b/),
  };
}

function pushAll(buffer: EventBuffer, events: readonly JobEvent[]): void {
  for (const event of events) buffer.push(event);
}

describe('EventBuffer FIFO and drain', () => {
  it('returns events in the order they were pushed', () => {
    const buffer = new EventBuffer(ROOMY);
    const events = [started('a'), log('a', 'one'), progress('a', 10), chunk('a', [1, 2]), log('a', 'two'), completed('a')];
    pushAll(buffer, events);
    expect(buffer.size).toBe(events.length);
    expect(buffer.drain()).toEqual(events);
  });

  it('empties on drain', () => {
    const buffer = new EventBuffer(ROOMY);
    pushAll(buffer, [log('a', 'x'), log('a', 'y')]);
    expect(buffer.drain()).toHaveLength(2);
    expect(buffer.size).toBe(0);
    expect(buffer.drain()).toEqual([]);
  });

  it('keeps the order across partial drains', () => {
    const buffer = new EventBuffer(ROOMY);
    const events = Array.from({ length: 10 }, (_, i) => log('a', `line ${i}`));
    pushAll(buffer, events);
    const first = buffer.drain(3);
    expect(first).toEqual(events.slice(0, 3));
    expect(buffer.size).toBe(7);
    buffer.push(log('a', 'late'));
    const second = buffer.drain(4);
    expect(second).toEqual(events.slice(3, 7));
    expect(buffer.drain()).toEqual([...events.slice(7), log('a', 'late')]);
    expect(buffer.size).toBe(0);
  });

  it('returns nothing and keeps everything for drain(0)', () => {
    const buffer = new EventBuffer(ROOMY);
    pushAll(buffer, [log('a', 'x'), log('a', 'y')]);
    expect(buffer.drain(0)).toEqual([]);
    expect(buffer.size).toBe(2);
  });
});

describe('EventBuffer at maxEvents', () => {
  it('drops the oldest log lines first behind one notice, and the counts add up', () => {
    const buffer = new EventBuffer({ maxEvents: 5, maxBytes: ROOMY.maxBytes });
    const lines = Array.from({ length: 10 }, (_, i) => log('a', `line ${i}`));
    buffer.push(started('a'));
    for (const line of lines) {
      buffer.push(line);
      expect(buffer.size).toBeLessThanOrEqual(5);
    }
    const out = buffer.drain();
    const kept = out.filter((event) => event.type === 'job_log_line' && event.stream === 'stdout');
    // the newest lines survive, in order
    expect(kept).toEqual(lines.slice(lines.length - kept.length));
    const notices = out.filter(isNotice);
    expect(notices).toHaveLength(1);
    expect(noticeCounts(notices[0] as JobEvent).lines + kept.length).toBe(lines.length);
    expect(buffer.droppedTotal).toBe(lines.length - kept.length);
    expect(out).toEqual([started('a'), dropNotice('a', 7, 0, 0), ...lines.slice(7)]);
  });

  it('places one notice per job at the position of that job’s first dropped line', () => {
    const buffer = new EventBuffer({ maxEvents: 4, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [log('a', 'a1'), log('b', 'b1'), log('a', 'a2'), log('b', 'b2'), log('a', 'a3'), log('b', 'b3')]);
    expect(buffer.drain()).toEqual([dropNotice('a', 2, 0, 0), dropNotice('b', 2, 0, 0), log('a', 'a3'), log('b', 'b3')]);
    expect(buffer.droppedTotal).toBe(4);
  });

  it('writes a notice that names lines, chunks and progress updates', () => {
    const notice = dropNotice('j', 2, 1, 3);
    expect(notice).toMatchObject({ type: 'job_log_line', job_id: 'j', stream: 'system' });
    expect(noticeCounts(notice)).toEqual({ lines: 2, chunks: 1, progress: 3 });
    const single = dropNotice('j', 1, 0, 0) as JobEventOf<'job_log_line'>;
    expect(single.line).toContain('dropped 1 log line:');
    expect(noticeCounts(single)).toEqual({ lines: 1, chunks: 0, progress: 0 });
  });

  it('counts dropped chunks and progress in the notice', () => {
    const buffer = new EventBuffer({ maxEvents: 3, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [chunk('a', [1]), progress('a', 1), log('a', 'x'), chunk('a', [2]), log('a', 'y')]);
    const out = buffer.drain();
    const notice = out.find(isNotice);
    expect(notice).toBeDefined();
    expect(noticeCounts(notice as JobEvent)).toEqual({ lines: 1, chunks: 1, progress: 1 });
    expect(out).toEqual([dropNotice('a', 1, 1, 1), chunk('a', [2]), log('a', 'y')]);
  });

  it('starts a new notice after the previous one was drained', () => {
    const buffer = new EventBuffer({ maxEvents: 2, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [log('a', '1'), log('a', '2'), log('a', '3')]);
    expect(buffer.drain()).toEqual([dropNotice('a', 2, 0, 0), log('a', '3')]);
    pushAll(buffer, [log('a', '4'), log('a', '5'), log('a', '6')]);
    expect(buffer.drain()).toEqual([dropNotice('a', 2, 0, 0), log('a', '6')]);
    expect(buffer.droppedTotal).toBe(4);
  });

  it('never drops lifecycle events, even beyond the cap', () => {
    const buffer = new EventBuffer({ maxEvents: 2, maxBytes: ROOMY.maxBytes });
    const lifecycle = [started('a'), started('b'), started('c'), completed('a'), failed('b'), cancelled('c')];
    pushAll(buffer, lifecycle);
    expect(buffer.size).toBe(lifecycle.length);
    expect(buffer.drain()).toEqual(lifecycle);
    expect(buffer.droppedTotal).toBe(0);
  });

  it('drops output around lifecycle events but keeps every lifecycle event in place', () => {
    const buffer = new EventBuffer({ maxEvents: 3, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [started('a'), log('a', '1'), log('a', '2'), log('a', '3'), log('a', '4'), completed('a'), started('b'), log('b', '1')]);
    const out = buffer.drain();
    expect(out.filter(isLifecycle)).toEqual([started('a'), completed('a'), started('b')]);
    const aEvents = out.filter((event) => event.job_id === 'a');
    expect(aEvents[0]).toEqual(started('a'));
    expect(aEvents.at(-1)).toEqual(completed('a'));
    const aNotices = aEvents.filter(isNotice).map(noticeCounts);
    const aLines = aEvents.filter((event) => event.type === 'job_log_line' && event.stream === 'stdout');
    expect(aNotices.reduce((sum, counts) => sum + counts.lines, 0) + aLines.length).toBe(4);
  });

  it('keeps lifecycle events under a tiny byte cap too', () => {
    const buffer = new EventBuffer({ maxEvents: 1, maxBytes: 10 });
    pushAll(buffer, [started('a'), log('a', 'x'), completed('a')]);
    expect(buffer.drain()).toEqual([started('a'), dropNotice('a', 1, 0, 0), completed('a')]);
  });
});

describe('EventBuffer keeps every progress event until the cap', () => {
  it('keeps consecutive progress events of one job (a drain reader sees each task reach 100%)', () => {
    const buffer = new EventBuffer(ROOMY);
    const events = [progress('a', 100, 'task one done'), progress('a', null, 'task two')];
    pushAll(buffer, events);
    expect(buffer.size).toBe(2);
    expect(buffer.drain()).toEqual(events);
  });

  it('sheds progress oldest-first at the cap, like output, and counts it in the notice', () => {
    const buffer = new EventBuffer({ maxEvents: 16, maxBytes: 1 << 20 });
    const events = Array.from({ length: 20 }, (_, n) => progress('a', n));
    pushAll(buffer, events);
    const drained = buffer.drain();
    expect(drained[0]).toEqual(dropNotice('a', 0, 0, 5));
    expect(drained.slice(1)).toEqual(events.slice(5));
  });
});

describe('EventBuffer at maxBytes', () => {
  it('drops the oldest long lines once their payload exceeds maxBytes', () => {
    // a log line costs 64 + its length
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 1000 });
    const lines = ['a', 'b', 'c'].map((letter) => log('j', letter.repeat(400)));
    pushAll(buffer, lines);
    expect(buffer.drain()).toEqual([dropNotice('j', 1, 0, 0), lines[1], lines[2]]);
    expect(buffer.droppedTotal).toBe(1);
  });

  it('drops a single line larger than maxBytes and leaves a notice', () => {
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 1000 });
    buffer.push(log('j', 'z'.repeat(5000)));
    buffer.push(log('j', 'short'));
    expect(buffer.drain()).toEqual([dropNotice('j', 1, 0, 0), log('j', 'short')]);
  });

  it('counts chunk bytes toward maxBytes', () => {
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 2000 });
    const big = Array.from({ length: 200 }, (_, i) => i % 256);
    pushAll(buffer, [chunk('j', big), chunk('j', big), log('j', 'after')]);
    const out = buffer.drain();
    expect(out[0]).toEqual(dropNotice('j', 0, 1, 0));
    expect(out.slice(1)).toEqual([chunk('j', big), log('j', 'after')]);
  });

  it('frees the bytes of drained events', () => {
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 1000 });
    for (let round = 0; round < 5; round++) {
      buffer.push(log('j', 'x'.repeat(800)));
      expect(buffer.drain()).toEqual([log('j', 'x'.repeat(800))]);
    }
    expect(buffer.droppedTotal).toBe(0);
  });

  it('frees the bytes of events taken by a partial drain', () => {
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 1000 });
    const lines = Array.from({ length: 8 }, (_, i) => log('j', String(i).repeat(400)));
    pushAll(buffer, lines.slice(0, 2));
    for (let i = 2; i < lines.length; i++) {
      expect(buffer.drain(1)).toEqual([lines[i - 2]]);
      buffer.push(lines[i] as JobEvent);
    }
    expect(buffer.drain()).toEqual(lines.slice(-2));
    expect(buffer.droppedTotal).toBe(0);
  });

  it('frees the bytes of requeued events once they are drained again', () => {
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 1000 });
    const first = log('j', 'a'.repeat(400));
    buffer.push(first);
    buffer.requeue(buffer.drain());
    expect(buffer.drain()).toEqual([first]);
    const next = [log('j', 'b'.repeat(400)), log('j', 'c'.repeat(400))];
    pushAll(buffer, next);
    expect(buffer.drain()).toEqual(next);
    expect(buffer.droppedTotal).toBe(0);
  });
});

describe('EventBuffer requeue', () => {
  it('puts drained events back at the front in order', () => {
    const buffer = new EventBuffer(ROOMY);
    const events = [started('a'), log('a', '1'), log('a', '2'), log('a', '3'), completed('a')];
    pushAll(buffer, events);
    const batch = buffer.drain(3);
    buffer.requeue(batch.slice(1));
    expect(buffer.size).toBe(4);
    expect(buffer.drain()).toEqual(events.slice(1));
  });

  it('puts requeued events before a pending drop notice, keeping per-job order and the counts', () => {
    const buffer = new EventBuffer({ maxEvents: 3, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [started('a'), log('a', '1')]);
    const batch = buffer.drain();
    const later = [log('a', '2'), log('a', '3'), log('a', '4'), log('a', '5')];
    pushAll(buffer, later);
    buffer.requeue(batch);
    const out = buffer.drain();
    expect(out.slice(0, 2)).toEqual(batch);
    const rest = out.slice(2);
    // whatever of the later lines survived comes after the notice, oldest first, and nothing is lost silently
    expect(rest[0] !== undefined && isNotice(rest[0])).toBe(true);
    const survivors = rest.filter((event) => !isNotice(event));
    expect(survivors).toEqual(later.slice(later.length - survivors.length));
    const reported = rest.filter(isNotice).reduce((sum, event) => sum + noticeCounts(event).lines, 0);
    expect(reported + survivors.length).toBe(later.length);
  });

  it('does nothing for an empty batch', () => {
    const buffer = new EventBuffer(ROOMY);
    buffer.push(log('a', 'x'));
    buffer.requeue([]);
    expect(buffer.drain()).toEqual([log('a', 'x')]);
  });

  it('counts requeued events toward the caps again', () => {
    const buffer = new EventBuffer({ maxEvents: 3, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [log('a', '1'), log('a', '2'), log('a', '3')]);
    const batch = buffer.drain();
    pushAll(buffer, [log('a', '4'), log('a', '5')]);
    expect(buffer.droppedTotal).toBe(0);
    buffer.requeue(batch);
    // five events against a cap of three: output had to go
    expect(buffer.droppedTotal).toBeGreaterThan(0);
    const out = buffer.drain();
    expect(out.slice(0, 3)).toEqual(batch);
    const notices = out.filter(isNotice);
    const survivors = out.slice(3).filter((event) => !isNotice(event));
    const reported = notices.reduce((sum, event) => sum + noticeCounts(event).lines, 0);
    expect(reported).toBe(buffer.droppedTotal);
    expect(survivors.length + reported).toBe(2);
  });

  it('counts requeued bytes toward maxBytes again', () => {
    const buffer = new EventBuffer({ maxEvents: 1000, maxBytes: 1000 });
    const big = log('a', 'x'.repeat(600));
    buffer.push(big);
    const batch = buffer.drain();
    buffer.push(log('a', 'y'.repeat(300)));
    expect(buffer.droppedTotal).toBe(0);
    buffer.requeue(batch);
    expect(buffer.droppedTotal).toBe(1);
    expect(buffer.drain()).toEqual([big, dropNotice('a', 1, 0, 0)]);
  });
});

describe('EventBuffer droppedTotal', () => {
  it('accumulates across drains and jobs', () => {
    const buffer = new EventBuffer({ maxEvents: 2, maxBytes: ROOMY.maxBytes });
    pushAll(buffer, [log('a', '1'), log('a', '2'), log('a', '3')]);
    expect(buffer.droppedTotal).toBe(2);
    buffer.drain();
    pushAll(buffer, [log('b', '1'), log('b', '2'), log('b', '3'), log('b', '4')]);
    expect(buffer.droppedTotal).toBe(5);
  });
});

// ---------------------------------------------------------------------------
// Property: per-job order, lifecycle delivery and drop accounting for any interleaving

type BodyKind = 'log' | 'progress' | 'chunk';
type Terminal = 'completed' | 'failed' | 'cancelled';
type Op = { readonly op: 'push'; readonly job: number } | { readonly op: 'drain'; readonly max: number; readonly requeue: number };

const jobScript = fc.record({
  body: fc.array(fc.constantFrom<BodyKind>('log', 'log', 'progress', 'chunk'), { maxLength: 30 }),
  terminal: fc.constantFrom<Terminal>('completed', 'failed', 'cancelled'),
});

const scenario = fc
  .record({
    jobs: fc.array(jobScript, { minLength: 1, maxLength: 4 }),
    picks: fc.array(fc.nat(), { maxLength: 200 }),
    drains: fc.array(fc.record({ at: fc.nat(), max: fc.integer({ min: 0, max: 12 }), requeue: fc.nat({ max: 3 }) }), { maxLength: 12 }),
    maxEvents: fc.integer({ min: 1, max: 24 }),
    maxBytes: fc.oneof(fc.integer({ min: 64, max: 3000 }), fc.constant(ROOMY.maxBytes)),
  })
  .map(({ jobs, picks, drains, maxEvents, maxBytes }) => {
    // interleave: each pick chooses the next job (mod the ones with events left)
    const remaining = jobs.map((job) => job.body.length + 2);
    const order: number[] = [];
    let pick = 0;
    while (remaining.some((left) => left > 0)) {
      const open = remaining.flatMap((left, job) => (left > 0 ? [job] : []));
      const job = open[(picks[pick++] ?? 0) % open.length] as number;
      order.push(job);
      remaining[job] = (remaining[job] as number) - 1;
    }
    const ops: Op[] = order.map((job) => ({ op: 'push', job }));
    for (const drain of [...drains].sort((x, y) => y.at - x.at)) {
      ops.splice(drain.at % (ops.length + 1), 0, { op: 'drain', max: drain.max, requeue: drain.requeue });
    }
    return { jobs, ops, maxEvents, maxBytes };
  });

describe('EventBuffer properties', () => {
  it('delivers each job’s events in push order, every lifecycle event exactly once, and accounts for every drop', () => {
    fc.assert(
      fc.property(scenario, ({ jobs, ops, maxEvents, maxBytes }) => {
        const buffer = new EventBuffer({ maxEvents, maxBytes });
        const jobIds = jobs.map((_, i) => `job-${i}`);
        const cursor = jobs.map(() => 0);
        const pushed = new Map<string, JobEvent[]>(jobIds.map((id) => [id, []]));
        const indexOf = new Map<string, number>(); // event key -> push index within its job
        const delivered: JobEvent[] = [];
        let seq = 0;
        let requeuedHeld: JobEvent[] = [];

        const nextEvent = (job: number): JobEvent => {
          const id = jobIds[job] as string;
          const script = jobs[job] as { body: BodyKind[]; terminal: Terminal };
          const at = cursor[job] as number;
          cursor[job] = at + 1;
          const n = seq++;
          if (at === 0) return started(id, n);
          if (at === script.body.length + 1) {
            if (script.terminal === 'completed') return completed(id, n);
            if (script.terminal === 'failed') return { ...failed(id), error: `e${n}` };
            return { ...cancelled(id), reason: `r${n}` };
          }
          const kind = script.body[at - 1] as BodyKind;
          if (kind === 'log') return log(id, `${id}#${n}`, n % 2 === 0 ? 'stdout' : 'stderr');
          if (kind === 'progress') return progress(id, n % 101, `${id}#${n}`);
          return chunk(id, Array.from({ length: 1 + (n % 40) }, (_, i) => (n + i) % 256));
        };
        const key = (event: JobEvent): string => JSON.stringify(event);

        for (const op of ops) {
          if (op.op === 'push') {
            const event = nextEvent(op.job);
            indexOf.set(key(event), (pushed.get(event.job_id) as JobEvent[]).length);
            (pushed.get(event.job_id) as JobEvent[]).push(event);
            buffer.push(event);
          } else {
            const batch = buffer.drain(op.max);
            expect(batch.length).toBeLessThanOrEqual(op.max);
            const back = Math.min(op.requeue, batch.length);
            const kept = batch.slice(0, batch.length - back);
            const returned = batch.slice(batch.length - back);
            delivered.push(...kept);
            requeuedHeld = requeuedHeld.filter((event) => !kept.includes(event));
            buffer.requeue(returned);
            requeuedHeld.push(...returned);
          }
          const pushedLifecycle = [...pushed.values()].flat().filter(isLifecycle).length;
          const lifecycleHeld = pushedLifecycle - delivered.filter(isLifecycle).length;
          const bound = Math.max(maxEvents, lifecycleHeld + jobIds.length + requeuedHeld.length);
          expect(buffer.size).toBeLessThanOrEqual(bound);
        }
        delivered.push(...buffer.drain());
        expect(buffer.size).toBe(0);

        let droppedSeen = 0;
        for (const id of jobIds) {
          const all = pushed.get(id) as JobEvent[];
          const mine = delivered.filter((event) => event.job_id === id);
          // every lifecycle event exactly once, in order
          expect(mine.filter(isLifecycle)).toEqual(all.filter(isLifecycle));
          // the rest is a subsequence of what was pushed
          const indices = mine.filter((event) => !isNotice(event)).map((event) => indexOf.get(key(event)));
          expect(indices.every((index) => index !== undefined)).toBe(true);
          for (let i = 1; i < indices.length; i++) expect(indices[i] as number).toBeGreaterThan(indices[i - 1] as number);
          // the missing output is exactly what the notices report, by kind
          const deliveredKeys = new Set(mine.map(key));
          const missing = all.filter((event) => !deliveredKeys.has(key(event)));
          expect(missing.every((event) => !isLifecycle(event))).toBe(true);
          const notices = mine.filter(isNotice).map(noticeCounts);
          const sum = (pick: (c: { lines: number; chunks: number; progress: number }) => number): number =>
            notices.reduce((total, counts) => total + pick(counts), 0);
          expect(sum((c) => c.lines)).toBe(missing.filter((event) => event.type === 'job_log_line').length);
          expect(sum((c) => c.chunks)).toBe(missing.filter((event) => event.type === 'job_output_chunk').length);
          expect(sum((c) => c.progress)).toBe(missing.filter((event) => event.type === 'job_progress').length);
          droppedSeen += missing.length;
          // each notice stands where its first dropped event stood: the dropped events of a job,
          // in push order, fall between the delivered events around the notice that reports them
          const missingIndices = missing.map((event) => indexOf.get(key(event)) as number);
          let consumed = 0;
          let lastDeliveredIndex = -1;
          for (const event of mine) {
            if (isNotice(event)) {
              const counts = noticeCounts(event);
              const group = missingIndices.slice(consumed, consumed + counts.lines + counts.chunks + counts.progress);
              consumed += group.length;
              expect(group.length).toBeGreaterThan(0);
              expect(Math.min(...group)).toBeGreaterThan(lastDeliveredIndex);
              lastDeliveredIndex = Math.max(...group);
            } else {
              const index = indexOf.get(key(event)) as number;
              expect(index).toBeGreaterThan(lastDeliveredIndex);
              lastDeliveredIndex = index;
            }
          }
        }
        expect(buffer.droppedTotal).toBe(droppedSeen);
      }),
      PROPERTY,
    );
  });
});

describe('EventBuffer under backpressure (dropOldest false)', () => {
  it('keeps everything and says "full" from the cap on; "roomy" once drained to half', () => {
    const buffer = new EventBuffer({ maxEvents: 4, maxBytes: ROOMY.maxBytes }, false);
    expect(buffer.push(started('a'))).toBe(false);
    expect(buffer.push(log('a', '1'))).toBe(false);
    expect(buffer.push(log('a', '2'))).toBe(false);
    expect(buffer.push(log('a', '3'))).toBe(true);
    expect(buffer.full).toBe(true);
    expect(buffer.push(log('a', '4'))).toBe(true);
    expect(buffer.drain(2)).toEqual([started('a'), log('a', '1')]);
    expect(buffer.roomy).toBe(false);
    expect(buffer.drain(1)).toEqual([log('a', '2')]);
    expect(buffer.roomy).toBe(true);
    expect(buffer.drain()).toEqual([log('a', '3'), log('a', '4')]);
    expect(buffer.droppedTotal).toBe(0);
  });

  it('past twice the caps drops the newest output, one notice per run in place, and never a lifecycle event', () => {
    const buffer = new EventBuffer({ maxEvents: 16, maxBytes: ROOMY.maxBytes }, false);
    buffer.push(started('a'));
    for (let i = 1; i <= 40; i++) buffer.push(log('a', String(i)));
    buffer.push(log('b', 'b1'));
    buffer.push(completed('a'));
    const out = buffer.drain();
    const lines = out.filter((event) => event.type === 'job_log_line' && event.stream === 'stdout').map((event) => (event as { line: string }).line);
    expect(lines).toEqual([...Array.from({ length: 31 }, (_, i) => String(i + 1))]);
    const notices = out.filter(isNotice);
    expect(notices).toEqual([dropNotice('a', 9, 0, 0, 'over'), dropNotice('b', 1, 0, 0, 'over')]);
    expect(out.at(-1)).toEqual(completed('a'));
    expect(out.indexOf(notices[0] as JobEvent)).toBe(32);
    expect(buffer.droppedTotal).toBe(10);
    // after a drain the next drop gets a notice of its own
    for (let i = 0; i < 33; i++) buffer.push(log('a', 'x'));
    expect(buffer.drain().filter(isNotice)).toEqual([dropNotice('a', 1, 0, 0, 'over')]);
  });
});
