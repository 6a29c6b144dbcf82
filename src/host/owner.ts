/**
 * What the host keeps per owner (plugin): its jobs, its bounded event buffer,
 * the finished jobs whose status it may still ask for, and the wake-ups of
 * its async iterators.
 */
import type { JobEvent } from '../contracts/jobs.js';
import { EventBuffer, type EventBufferLimits } from '../events/event-buffer.js';
import type { Job } from './job.js';
import type { JobHandle } from './job-handle.js';
import { Listeners } from './listeners.js';
import { OwnerFlow, type OverflowPolicy } from './output-flow.js';
import type { OwnerBinaries } from './owner-binaries.js';


/** How many finished jobs an owner keeps for `status`: by count, by estimated bytes, and by age. */
export interface Retention {
  readonly count: number;
  readonly bytes: number;
  readonly ms: number;
}

/** Per-owner bookkeeping. */
export class OwnerState {
  readonly buffer: EventBuffer;
  /** Unfinished and retained finished jobs, by id. */
  readonly jobs = new Map<string, Job>();
  /** Finished jobs in the order they finished, for retention by count and age. */
  private readonly finished = new Map<string, Job>();
  private readonly waiters = new Set<() => void>();
  /** The plugin's push listeners (`handle.onEvent`). */
  readonly listeners = new Listeners<JobEvent>();
  /** Whether a listener error of this owner was already reported as a process warning. */
  warnedListenerError = false;
  /** Reports an exception of one of this owner's listeners (set by the host; one function per owner, not per event). */
  listenerFailed: (error: unknown) => void = () => undefined;
  unfinished = 0;
  /** Backpressure from the buffer to the owner's running jobs. */
  readonly flow = new OwnerFlow();
  /** The owner's handle, set right after construction (the handle needs this state's port first). */
  handle!: JobHandle;
  private counter = 0;

  /** Bytes (estimated) the finished set holds, against `retention.bytes`. */
  private finishedBytes = 0;

  constructor(
    readonly id: string,
    limits: EventBufferLimits,
    private readonly retention: Retention,
    /** False for owners that only listen: events skip the buffer. */
    readonly buffered: boolean,
    /** The allow-listed names this owner may run; `null` for all of them. */
    readonly binaries: OwnerBinaries = null,
    /** What a full buffer does. */
    readonly overflow: OverflowPolicy = 'auto',
  ) {
    this.buffer = new EventBuffer(limits, overflow !== 'pause');
  }

  /** Takes up to `max` buffered events; the first drain of an `'auto'` owner turns on backpressure, and room resumes paused jobs. */
  drain(max?: number): JobEvent[] {
    const events = this.buffer.drain(max);
    if (this.overflow === 'auto') this.buffer.dropOldest = false;
    if (this.flow.paused && this.buffer.roomy) this.flow.room();
    return events;
  }

  /** Puts events of an interrupted batch back (they count toward the caps again). */
  requeue(events: readonly JobEvent[]): void {
    this.buffer.requeue(events);
  }

  /** The next job id, `<owner>:<n>` as progit mints them. */
  nextId(): string {
    this.counter += 1;
    return `${this.id}:${this.counter}`;
  }

  /** Moves a job to the finished set and trims that set to its bounds. */
  retire(job: Job): void {
    this.unfinished -= 1;
    this.finished.set(job.id, job);
    this.finishedBytes += job.retainedBytes();
    this.purge();
  }

  /** Drops the oldest finished jobs beyond the count, byte and age bounds. */
  purge(): void {
    const { count, bytes, ms } = this.retention;
    const oldest = Date.now() - ms;
    for (const [id, job] of this.finished) {
      if (this.finished.size <= count && this.finishedBytes <= bytes && job.finishedAtMs >= oldest) break;
      this.finished.delete(id);
      this.jobs.delete(id);
      this.finishedBytes -= job.retainedBytes();
    }
  }

  /** A job visible to this owner, after expiring old finished ones. */
  visible(id: string): Job | undefined {
    this.purge();
    return this.jobs.get(id);
  }

  /** Resolves on the next event for this owner (or `wakeAll`). */
  nextWake(): Promise<void> {
    return new Promise((resolve) => this.waiters.add(resolve));
  }

  /** Wakes every waiting async iterator. */
  wakeAll(): void {
    if (this.waiters.size === 0) return; // hot path: called per event
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }
}
