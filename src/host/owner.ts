/**
 * What the host keeps per owner (plugin): its jobs, its bounded event buffer,
 * the finished jobs whose status it may still ask for, and the wake-ups of
 * its async iterators.
 */
import { EventBuffer, type EventBufferLimits } from '../events/event-buffer.js';
import type { Job } from './job.js';
import type { JobHandle } from './job-handle.js';
import type { OwnerBinaries } from './owner-binaries.js';

/** Per-owner bookkeeping. */
export class OwnerState {
  readonly buffer: EventBuffer;
  /** Unfinished and retained finished jobs, by id. */
  readonly jobs = new Map<string, Job>();
  /** Finished jobs in the order they finished, for retention by count and age. */
  private readonly finished = new Map<string, Job>();
  private readonly waiters = new Set<() => void>();
  unfinished = 0;
  /** The owner's handle, set right after construction (the handle needs this state's port first). */
  handle!: JobHandle;
  private counter = 0;

  constructor(
    readonly id: string,
    limits: EventBufferLimits,
    private readonly keepFinished: number,
    private readonly keepFinishedMs: number,
    /** False for owners that only listen: events skip the buffer. */
    readonly buffered: boolean,
    /** The allow-listed names this owner may run; `null` for all of them. */
    readonly binaries: OwnerBinaries = null,
  ) {
    this.buffer = new EventBuffer(limits);
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
    this.purge();
  }

  /** Drops finished jobs beyond the count bound or older than the age bound. */
  purge(): void {
    const oldest = Date.now() - this.keepFinishedMs;
    for (const [id, job] of this.finished) {
      if (this.finished.size <= this.keepFinished && job.finishedAtMs >= oldest) break;
      this.finished.delete(id);
      this.jobs.delete(id);
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
