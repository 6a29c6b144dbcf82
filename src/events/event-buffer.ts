/**
 * A bounded, per-owner queue of job events that a plugin drains at its own
 * pace, without ever blocking the host or growing without bound.
 *
 * Every event is charged what it holds — a fixed 64 bytes for the object plus
 * the length of each string it carries (a log line, a progress step, an
 * error, a cancel reason, an output tail) and 8 bytes per chunk byte — so the
 * byte cap holds whatever mix of events arrives. (Strings count one byte per
 * UTF-16 unit; a non-Latin-1 string really takes up to two.)
 *
 * At the cap, the oldest *output* events (log lines, chunks, progress) are
 * dropped first and replaced, at the position of the first one dropped, by a
 * single `job_log_line` on stream `system` per job saying how many went
 * missing. Lifecycle events (`job_started` and the terminal events) are never
 * dropped. When lifecycle events alone reach a cap, the buffer reports
 * {@link EventBuffer.lifecycleFull} and the host refuses the owner's next
 * spawn (`ERR_EVENTS_UNDRAINED`) until it drains: the jobs already admitted
 * can add at most two lifecycle events each, so the buffer never holds more
 * than its caps plus those. A job's events always come out in the order they
 * went in.
 *
 * Layout: `ring` is the FIFO; `head` holds what must be kept from the front
 * of the FIFO when output is shed (lifecycle events and drop markers), in
 * order. Every event moves at most once, so pushing is amortised O(1) and
 * draining is O(events returned).
 */
import type { JobEvent } from '../contracts/jobs.js';

/** Caps of one owner's buffer. */
export interface EventBufferLimits {
  /** Most events held. @default 10_000 */
  readonly maxEvents: number;
  /** Most payload bytes held (line text, chunk bytes). @default 8 MiB */
  readonly maxBytes: number;
}

interface DropMarker {
  readonly marker: true;
  readonly jobId: string;
  lines: number;
  chunks: number;
  progress: number;
}

type Kept = JobEvent | DropMarker;

function isMarker(item: Kept): item is DropMarker {
  return 'marker' in item;
}

/** What an event holds, against `maxBytes`: the object, its strings, and 8 per element of a `number[]` of bytes (as V8 stores it). */
export function eventCost(event: JobEvent): number {
  switch (event.type) {
    case 'job_log_line':
      return 64 + event.line.length;
    case 'job_output_chunk':
      return 64 + event.bytes.length * 8;
    case 'job_progress':
      return 64 + (event.step?.length ?? 0);
    case 'job_started':
      return 64 + event.started_at.length;
    case 'job_completed':
      return 64 + event.completed_at.length + (event.output_tail?.length ?? 0);
    case 'job_failed':
      return 64 + event.failed_at.length + event.error.length;
    case 'job_cancelled':
      return 64 + event.cancelled_at.length + event.reason.length;
  }
}
const cost = eventCost;

function droppable(event: JobEvent): boolean {
  return event.type === 'job_log_line' || event.type === 'job_output_chunk' || event.type === 'job_progress';
}

/** The `job_log_line` that stands in for dropped output. */
export function dropNotice(jobId: string, lines: number, chunks: number, progress: number): JobEvent {
  const parts: string[] = [];
  if (lines > 0) parts.push(`${lines} log line${lines === 1 ? '' : 's'}`);
  if (chunks > 0) parts.push(`${chunks} output chunk${chunks === 1 ? '' : 's'}`);
  if (progress > 0) parts.push(`${progress} progress update${progress === 1 ? '' : 's'}`);
  return {
    type: 'job_log_line',
    job_id: jobId,
    line: `[jobhost] dropped ${parts.join(', ')}: the event buffer was full because events were not drained fast enough`,
    stream: 'system',
  };
}

function materialize(item: Kept): JobEvent {
  return isMarker(item) ? dropNotice(item.jobId, item.lines, item.chunks, item.progress) : item;
}

/** One owner's bounded event queue. */
export class EventBuffer {
  private head: Kept[] = [];
  private ring: (JobEvent | undefined)[] = [];
  private start = 0;
  private bytes = 0;
  /** Bytes and count of the lifecycle events held (never shed). */
  private lifecycleBytes = 0;
  private lifecycleCount = 0;
  private readonly markers = new Map<string, DropMarker>();
  /** Output events dropped since the buffer was created. */
  droppedTotal = 0;

  private readonly maxEvents: number;
  private readonly maxBytes: number;

  constructor(limits: EventBufferLimits) {
    this.maxEvents = limits.maxEvents;
    this.maxBytes = limits.maxBytes;
  }

  /** Events currently held (drop notices count as one each). */
  get size(): number {
    return this.head.length + this.ring.length - this.start;
  }

  /** Bytes of events held, as charged against `maxBytes`. */
  get heldBytes(): number {
    return this.bytes;
  }

  /** True while lifecycle events alone fill a cap: nothing more can be shed to make room. */
  get lifecycleFull(): boolean {
    return this.lifecycleBytes >= this.maxBytes || this.lifecycleCount >= this.maxEvents;
  }

  /** Appends an event, shedding the oldest output if a cap is exceeded. Hot path: one call per output line. */
  push(event: JobEvent): void {
    const ring = this.ring;
    // Progress is not coalesced: a reader would miss one task's 100% replaced by the next task's start.
    // At the cap it is shed oldest-first like output.
    if (event.type === 'job_log_line') this.bytes += 64 + event.line.length;
    else this.charge(event, 1);
    if (ring.push(event) + this.head.length - this.start > this.maxEvents || this.bytes > this.maxBytes) this.shed();
  }

  /** Adds (`sign` 1) or removes (-1) an event's cost. */
  private charge(event: JobEvent, sign: 1 | -1): void {
    const amount = cost(event) * sign;
    this.bytes += amount;
    if (!droppable(event)) {
      this.lifecycleBytes += amount;
      this.lifecycleCount += sign;
    }
  }

  /** Removes and returns up to `max` events, oldest first. */
  drain(max = Number.POSITIVE_INFINITY): JobEvent[] {
    if (this.head.length === 0 && this.start === 0 && this.ring.length <= max) {
      const all = this.ring as JobEvent[];
      this.ring = [];
      this.bytes = 0;
      this.lifecycleBytes = 0;
      this.lifecycleCount = 0;
      return all;
    }
    const out: JobEvent[] = [];
    let taken = 0;
    while (taken < this.head.length && out.length < max) {
      const item = this.head[taken++] as Kept;
      if (isMarker(item)) this.markers.delete(item.jobId);
      else this.charge(item, -1);
      out.push(materialize(item));
    }
    this.head = taken === this.head.length ? [] : this.head.slice(taken);
    while (this.start < this.ring.length && out.length < max) {
      const event = this.ring[this.start] as JobEvent;
      this.ring[this.start++] = undefined;
      this.charge(event, -1);
      out.push(event);
    }
    this.compactRing();
    return out;
  }

  /**
   * Puts events taken by `drain` back at the front, in order, e.g. when an
   * async iterator stops in the middle of a batch. They count again toward the caps.
   */
  requeue(events: readonly JobEvent[]): void {
    if (events.length === 0) return;
    for (const event of events) this.charge(event, 1);
    this.head = [...events, ...this.head];
    if (this.size > this.maxEvents || this.bytes > this.maxBytes) this.shed();
  }

  private shed(): void {
    while ((this.size > this.maxEvents || this.bytes > this.maxBytes) && this.start < this.ring.length) {
      const event = this.ring[this.start] as JobEvent;
      this.ring[this.start++] = undefined;
      if (!droppable(event)) {
        this.head.push(event);
        continue;
      }
      this.bytes -= cost(event);
      this.droppedTotal++;
      let marker = this.markers.get(event.job_id);
      if (marker === undefined) {
        marker = { marker: true, jobId: event.job_id, lines: 0, chunks: 0, progress: 0 };
        this.markers.set(event.job_id, marker);
        this.head.push(marker);
      }
      if (event.type === 'job_log_line') marker.lines++;
      else if (event.type === 'job_output_chunk') marker.chunks++;
      else marker.progress++;
    }
    this.compactRing();
  }

  private compactRing(): void {
    if (this.start === this.ring.length) {
      this.ring = [];
      this.start = 0;
    } else if (this.start > 1024 && this.start * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.start);
      this.start = 0;
    }
  }
}
