/**
 * The scoped capability a host hands one plugin: progit's four verbs
 * (`spawn`, `cancel`, `status`, `drainEvents`) plus what a TypeScript user
 * expects — push events, an async iterator, a promise for a job's end, an
 * AbortSignal per spawn.
 *
 * The handle is deliberately not an event emitter: a plugin holding it can
 * subscribe its own listeners and remove them again, and nothing else — it
 * cannot emit forged events to other listeners or remove theirs. Host-side
 * integrations never listen here at all (they use `host.attach`'s `onEvent`
 * or the host's own `on('event')`). The handle holds no reference a plugin
 * could follow back to the host or to another owner's jobs (its only link is
 * a private field), and it is frozen.
 */
import type { JobEvent, JobId, JobSpawnRequestInput, JobStatus, TerminalJobEvent } from '../contracts/jobs.js';
import { JobHostError, describeValue } from '../errors.js';
import type { Job } from './job.js';
import { integerArgument } from '../options/reader.js';

/** Options of `spawn`. */
export interface SpawnOptions {
  /** Aborting cancels the job with reason `aborted: <reason>`; already aborted refuses the spawn (`ERR_ABORTED`). */
  readonly signal?: AbortSignal;
}

/** One row of {@link JobHandle.list}. */
export interface JobSummary {
  readonly id: JobId;
  readonly label: string;
  readonly status: JobStatus;
}

/** A listener of {@link JobHandle.onEvent}. */
export type JobEventListener = (event: JobEvent) => void;

/** @internal The narrow interface between a handle and its host. */
export interface OwnerPort {
  spawn(request: unknown, options: unknown): JobId;
  cancel(id: JobId, reason: unknown): boolean;
  status(id: JobId): JobStatus | undefined;
  done(id: JobId): Promise<TerminalJobEvent> | undefined;
  list(): Job[];
  drain(max?: number): JobEvent[];
  requeue(events: readonly JobEvent[]): void;
  wake(): Promise<void>;
  finished(): boolean;
  droppedEvents(): number;
  binaries(): readonly string[];
  subscribe(listener: JobEventListener): () => void;
}

function unknownJob(id: unknown): JobHostError {
  // quoted only when it is a string: JSON.stringify throws on a BigInt or a cyclic object, and `wait` must reject, not throw
  const shown = typeof id === 'string' ? describeValue(id) : `(a ${typeof id}, not a job id)`;
  return new JobHostError('ERR_UNKNOWN_JOB', `No job ${shown} is visible to this owner`, { details: { id: typeof id === 'string' ? id.slice(0, 200) : null } });
}

function checkMax(max: unknown): number | undefined {
  // the common call, drainEvents() on every frame: no options reading at all
  if (max === undefined || max === Number.POSITIVE_INFINITY) return undefined;
  return integerArgument('max', max, { min: 1 });
}

/** A plugin's view of the host: only its own jobs. Obtain one with `host.forOwner(id)`. */
export class JobHandle {
  readonly #port: OwnerPort;

  /** @internal Use `host.forOwner(owner)`. */
  constructor(
    /** The owner (plugin) id this handle acts for. */
    readonly owner: string,
    port: OwnerPort,
  ) {
    this.#port = port;
    Object.freeze(this);
  }

  /**
   * Validates `request` against the policy and queues it. Returns the new job's
   * id at once; throws a `JobHostError` (nothing starts, no id is minted) on refusal.
   */
  spawn(request: JobSpawnRequestInput, options?: SpawnOptions): JobId {
    return this.#port.spawn(request, options);
  }

  /** Events since the last call, oldest first, each job's in order; never blocks. `max` bounds the batch. */
  drainEvents(max?: number): JobEvent[] {
    return this.#port.drain(checkMax(max));
  }

  /** The job's wire status, or `undefined` for an unknown job, another owner's job, or one no longer retained. */
  status(id: JobId): JobStatus | undefined {
    return this.#port.status(id);
  }

  /** Requests cancellation; true if it was sent, false if the job already finished or is not this owner's. Reasons longer than `MAX_REASON_CHARS` are cut. */
  cancel(id: JobId, reason?: string): boolean {
    return this.#port.cancel(id, reason);
  }

  /** Resolves with the job's terminal event (after every other event of the job and after its processes are gone). */
  wait(id: JobId): Promise<TerminalJobEvent> {
    return this.#port.done(id) ?? Promise.reject(unknownJob(id));
  }

  /** `spawn` then `wait`. */
  run(request: JobSpawnRequestInput, options?: SpawnOptions): Promise<TerminalJobEvent> {
    return this.wait(this.spawn(request, options));
  }

  /** This owner's unfinished and retained finished jobs. */
  list(): JobSummary[] {
    return this.#port.list().map((job) => ({ id: job.id, label: job.label, status: job.status() }));
  }

  /** Cancels every unfinished job of this owner; returns how many cancellations were sent. */
  cancelAll(reason?: string): number {
    let sent = 0;
    for (const job of this.#port.list()) if (this.#port.cancel(job.id, reason)) sent += 1;
    return sent;
  }

  /** Output events this owner lost to the buffer cap so far (each loss is also announced by a `system` log line). */
  get droppedEvents(): number {
    return this.#port.droppedEvents();
  }

  /**
   * The allow-listed binary names this handle may run, in allow-list order
   * (a subset when the host limited the owner). Names only, never paths: a
   * plugin can offer exactly these, e.g. as an agent's tools.
   */
  get binaries(): readonly string[] {
    return this.#port.binaries();
  }

  /**
   * Push delivery: `listener` gets each event of this owner's jobs as it
   * happens (terminal events included; see `isTerminalEvent`). Returns the
   * function that removes it. A listener that throws does not stop the job,
   * the other listeners or the host: the host reports it (`listenerError`).
   * Independent of the buffer that `drainEvents` reads.
   */
  onEvent(listener: JobEventListener): () => void {
    return this.#port.subscribe(listener);
  }

  /**
   * Drains events as they arrive. Ends when `signal` aborts, or once the host
   * is disposed and all this owner's jobs have ended. It consumes the same
   * buffer as `drainEvents`, so use one or the other.
   */
  async *events(options: { readonly signal?: AbortSignal } = {}): AsyncGenerator<JobEvent, void, undefined> {
    const { signal } = options;
    const aborted = signal === undefined ? undefined : new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    while (signal?.aborted !== true) {
      const batch = this.#port.drain(256);
      if (batch.length === 0) {
        if (this.#port.finished()) return;
        await (aborted === undefined ? this.#port.wake() : Promise.race([this.#port.wake(), aborted]));
        continue;
      }
      let given = 0;
      try {
        for (const event of batch) {
          yield event;
          given += 1;
        }
      } finally {
        // a consumer that stops mid-batch leaves the rest for the next reader
        if (given < batch.length) this.#port.requeue(batch.slice(given + 1));
      }
    }
  }

  /** `for await (const event of handle)`. */
  [Symbol.asyncIterator](): AsyncGenerator<JobEvent, void, undefined> {
    return this.events();
  }
}
