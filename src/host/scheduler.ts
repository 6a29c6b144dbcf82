/**
 * The host's FIFO scheduler: jobs wait in arrival order and at most
 * `maxConcurrent` run at once; a job that ends makes room for the next.
 * Cancelling a waiting job takes it out of the line without running it.
 */
import type { Job } from './job.js';

/** The line of waiting jobs and the set of running ones. */
export class Scheduler {
  readonly #waiting: Job[] = [];
  readonly #running = new Map<Job, Promise<void>>();

  constructor(
    private readonly maxConcurrent: number,
    /** Runs one job to its end; never rejects. */
    private readonly run: (job: Job) => Promise<void>,
  ) {}

  /** Puts `job` in line and starts what may start. */
  enqueue(job: Job): void {
    this.#waiting.push(job);
    this.#pump();
  }

  /** Takes a waiting job out of line; false when it is not waiting (already started, or being cancelled right now). */
  withdraw(job: Job): boolean {
    const index = this.#waiting.indexOf(job);
    if (index === -1) return false;
    this.#waiting.splice(index, 1);
    return true;
  }

  /** Takes every waiting job out of line (disposal), in arrival order. */
  withdrawAll(): Job[] {
    return this.#waiting.splice(0);
  }

  /** The running jobs. */
  running(): Iterable<Job> {
    return this.#running.keys();
  }

  /** Resolves once every job running now has ended. */
  settled(): Promise<void> {
    return Promise.all(this.#running.values()).then(() => undefined);
  }

  #pump(): void {
    while (this.#running.size < this.maxConcurrent && this.#waiting.length > 0) {
      const job = this.#waiting.shift() as Job;
      this.#running.set(
        job,
        this.run(job).then(() => {
          this.#running.delete(job);
          this.#pump();
        }),
      );
    }
  }
}
