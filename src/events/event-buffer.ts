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
 * What happens at a cap depends on {@link EventBuffer.dropOldest}:
 * - `false` (backpressure, the host's default once an owner drains): nothing
 *   is dropped. {@link EventBuffer.push} says the buffer is full and the host
 *   stops reading the owner's running jobs until a drain makes room, so the
 *   caps hold up to what was already read. What cannot wait may go past them
 *   — the rest of an ending job's output (its processes are being killed or
 *   are gone, so it is finite), progress an integration reports — up to twice
 *   the caps; beyond that the newest output is dropped and announced, so an
 *   owner that stopped draining neither grows memory nor keeps a job from
 *   ending.
 * - `true`: the oldest *output* events (log lines, chunks, progress) are
 *   dropped first and replaced, at the position of the first one dropped, by
 *   a single `job_log_line` on stream `system` per job saying how many went
 *   missing.
 *
 * Lifecycle events (`job_started` and the terminal events) are never
 * dropped. When lifecycle events alone reach a cap, the buffer reports
 * {@link EventBuffer.lifecycleFull} and the host refuses the owner's next
 * spawn (`ERR_EVENTS_UNDRAINED`) until it drains: the jobs already admitted
 * can add at most two lifecycle events each, so the buffer never holds more
 * than its caps plus those. A job's events always come out in the order they
 * went in.
 *
 * Layout: `ring` is the FIFO (with the markers of refused newest output in
 * place); `head` holds what must be kept from the front of the FIFO
 * when output is shed (lifecycle events and drop markers), in order. Every
 * event moves at most once, so pushing is amortised O(1) and draining is
 * O(events returned).
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
  /** Why: shed as the oldest (`drop-oldest`), or refused as the newest output over twice the caps. */
  readonly why: DropReason;
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

/** Why output was dropped; each has its own, true, wording. */
export type DropReason = 'shed' | 'over';

const DROP_WHY: Record<DropReason, string> = {
  shed: 'the event buffer was full because events were not drained fast enough (overflow: drop-oldest)',
  over: 'the event buffer was over twice its caps and this output could not wait (the job was ending, or a host integration reported it)',
};

/** The `job_log_line` that stands in for dropped output. */
export function dropNotice(jobId: string, lines: number, chunks: number, progress: number, why: DropReason = 'shed'): JobEvent {
  const parts: string[] = [];
  if (lines > 0) parts.push(`${lines} log line${lines === 1 ? '' : 's'}`);
  if (chunks > 0) parts.push(`${chunks} output chunk${chunks === 1 ? '' : 's'}`);
  if (progress > 0) parts.push(`${progress} progress update${progress === 1 ? '' : 's'}`);
  return {
    type: 'job_log_line',
    job_id: jobId,
    line: `[jobhost] dropped ${parts.join(', ')}: ${DROP_WHY[why]}`,
    stream: 'system',
  };
}

function materialize(item: Kept): JobEvent {
  return isMarker(item) ? dropNotice(item.jobId, item.lines, item.chunks, item.progress, item.why) : item;
}

/** One owner's bounded event queue. */
export class EventBuffer {
  private head: Kept[] = [];
  private ring: (Kept | undefined)[] = [];
  private start = 0;
  private bytes = 0;
  /** Bytes and count of the lifecycle events held (never shed). */
  private lifecycleBytes = 0;
  private lifecycleCount = 0;
  /** Markers in `head` of output shed as the oldest, by job. */
  private readonly markers = new Map<string, DropMarker>();
  /** Markers in `ring` of refused newest output, while nothing of that job follows them. */
  private readonly trailing = new Map<string, DropMarker>();
  /** Markers currently in `ring` (the fast drain path hands the ring over only when there are none). */
  private ringMarkers = 0;
  /** Output events dropped since the buffer was created. */
  droppedTotal = 0;
  /** Shed the oldest output at a cap (true) or report it full and keep everything (false). */
  dropOldest: boolean;

  private readonly maxEvents: number;
  private readonly maxBytes: number;

  constructor(limits: EventBufferLimits, dropOldest = true) {
    this.maxEvents = limits.maxEvents;
    this.maxBytes = limits.maxBytes;
    this.dropOldest = dropOldest;
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

  /** True at or over a cap: a producer under backpressure should stop. */
  get full(): boolean {
    return this.size >= this.maxEvents || this.bytes >= this.maxBytes;
  }

  /** True at or under half of both caps: producers stopped by {@link full} may go on (the gap keeps them from flapping). */
  get roomy(): boolean {
    return this.size * 2 <= this.maxEvents && this.bytes * 2 <= this.maxBytes;
  }

  /**
   * Appends an event. Returns true when the buffer is full and keeps
   * everything (`dropOldest` false): the caller should stop producing. Over
   * twice the caps, output is dropped instead (lifecycle events never are).
   * Hot path: one call per output line.
   */
  push(event: JobEvent): boolean {
    const ring = this.ring;
    // Progress is not coalesced: a reader would miss one task's 100% replaced by the next task's start.
    // At the cap it is shed oldest-first like output.
    if (event.type === 'job_log_line') this.bytes += 64 + event.line.length;
    else this.charge(event, 1);
    if (ring.push(event) + this.head.length - this.start < this.maxEvents && this.bytes < this.maxBytes) {
      if (this.trailing.size !== 0) this.trailing.delete(event.job_id);
      return false;
    }
    return this.overflow(event);
  }

  private overflow(event: JobEvent): boolean {
    if (this.dropOldest) {
      if (this.size > this.maxEvents || this.bytes > this.maxBytes) this.shed();
      return false;
    }
    if (!droppable(event) || (this.size <= 2 * this.maxEvents && this.bytes <= 2 * this.maxBytes)) {
      if (this.trailing.size !== 0) this.trailing.delete(event.job_id);
      return true;
    }
    // over twice the caps: the newest output goes, announced once per run of drops
    this.ring.pop();
    this.charge(event, -1);
    this.droppedTotal++;
    let marker = this.trailing.get(event.job_id);
    if (marker === undefined) {
      marker = { marker: true, jobId: event.job_id, why: 'over', lines: 0, chunks: 0, progress: 0 };
      this.ring.push(marker);
      this.ringMarkers++;
      this.trailing.set(event.job_id, marker);
    }
    count(marker, event);
    return true;
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
    if (this.head.length === 0 && this.start === 0 && this.ringMarkers === 0 && this.ring.length <= max) {
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
      const item = this.ring[this.start] as Kept;
      this.ring[this.start++] = undefined;
      if (isMarker(item)) this.forgetRingMarker(item);
      else this.charge(item, -1);
      out.push(materialize(item));
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
    if (this.dropOldest && (this.size > this.maxEvents || this.bytes > this.maxBytes)) this.shed();
  }

  private forgetRingMarker(marker: DropMarker): void {
    this.ringMarkers--;
    if (this.trailing.get(marker.jobId) === marker) this.trailing.delete(marker.jobId);
  }

  private shed(): void {
    while ((this.size > this.maxEvents || this.bytes > this.maxBytes) && this.start < this.ring.length) {
      const item = this.ring[this.start] as Kept;
      this.ring[this.start++] = undefined;
      if (isMarker(item) || !droppable(item)) {
        if (isMarker(item)) this.forgetRingMarker(item);
        this.head.push(item);
        continue;
      }
      this.bytes -= cost(item);
      this.droppedTotal++;
      let marker = this.markers.get(item.job_id);
      if (marker === undefined) {
        marker = { marker: true, jobId: item.job_id, why: 'shed', lines: 0, chunks: 0, progress: 0 };
        this.markers.set(item.job_id, marker);
        this.head.push(marker);
      }
      count(marker, item);
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

function count(marker: DropMarker, event: JobEvent): void {
  if (event.type === 'job_log_line') marker.lines++;
  else if (event.type === 'job_output_chunk') marker.chunks++;
  else marker.progress++;
}
