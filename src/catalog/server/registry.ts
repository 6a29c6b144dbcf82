/**
 * The runs in flight and who follows them. A push of a run goes to its
 * executing connection (while connected) and to every connection of the
 * same user that holds a subscription, once per connection however many
 * subscriptions it holds. A run outlives its connection: on disconnect it
 * only loses its owner (so nobody can kill it any more) and keeps going.
 */
import { randomUUID } from 'node:crypto';
import { JobProgress, type JobRun } from '../../contracts/catalog-types.js';
import type { JobEvent } from '../../contracts/jobs.js';
import { progressText } from '../protocol.js';
import type { LastRunStore } from './last-run.js';
import { CatalogRun, type RunInit, type RunRecipient, type RunSink } from './run.js';

/** Runs, subscriptions, and the fan-out between them; also the run's {@link RunSink}. */
export class RunRegistry implements RunSink {
  readonly #runs = new Map<string, CatalogRun>();
  readonly #byJob = new Map<string, CatalogRun>();
  /** subscription id → its connection */
  readonly #subscriptions = new Map<string, RunRecipient>();
  /** user → connection → how many subscriptions it holds */
  readonly #followers = new Map<string, Map<RunRecipient, number>>();
  /** Pending last-run writes per run, so one run's writes reach the store in order. */
  readonly #writes = new Map<CatalogRun, Promise<void>>();

  constructor(
    private readonly store: LastRunStore,
    private readonly report: (error: unknown) => void,
  ) {}

  /** Runs in flight. */
  get size(): number {
    return this.#runs.size;
  }

  /** Registers a run just spawned; its events are routed to it from now on. */
  start(init: RunInit): CatalogRun {
    const run = new CatalogRun(init, this);
    this.#runs.set(init.runId, run);
    this.#byJob.set(init.jobId, run);
    return run;
  }

  /** A run in flight, by `run_id`. */
  get(runId: string): CatalogRun | undefined {
    return this.#runs.get(runId);
  }

  /** Routes a JobHost event of the catalog's owner to its run; events of other jobs are ignored. */
  onJobEvent(event: JobEvent): void {
    this.#byJob.get(event.job_id)?.onEvent(event);
  }

  /** The runs in flight started by `user`, from any connection. */
  runsOf(user: string): CatalogRun[] {
    return [...this.#runs.values()].filter((run) => run.init.user === user);
  }

  /** Adds a subscription for `connection` to its user's runs; returns its id. */
  subscribe(connection: RunRecipient): string {
    const id = randomUUID();
    this.#subscriptions.set(id, connection);
    let counts = this.#followers.get(connection.user);
    if (counts === undefined) {
      counts = new Map();
      this.#followers.set(connection.user, counts);
    }
    counts.set(connection, (counts.get(connection) ?? 0) + 1);
    return id;
  }

  /** Removes a subscription of `connection`; false if it has no such subscription (another's counts as none). */
  unsubscribe(connection: RunRecipient, id: string): boolean {
    if (this.#subscriptions.get(id) !== connection) return false;
    this.#subscriptions.delete(id);
    const counts = this.#followers.get(connection.user);
    const left = (counts?.get(connection) ?? 1) - 1;
    if (left > 0) counts?.set(connection, left);
    else counts?.delete(connection);
    if (counts?.size === 0) this.#followers.delete(connection.user);
    return true;
  }

  /** How many subscriptions `connection` holds. */
  subscriptionCount(connection: RunRecipient): number {
    return this.#followers.get(connection.user)?.get(connection) ?? 0;
  }

  /** Forgets a closed connection: its subscriptions go, its runs carry on without an owner. */
  detach(connection: RunRecipient): void {
    for (const [id, holder] of this.#subscriptions) if (holder === connection) this.#subscriptions.delete(id);
    const counts = this.#followers.get(connection.user);
    counts?.delete(connection);
    if (counts?.size === 0) this.#followers.delete(connection.user);
    for (const run of this.#runs.values()) if (run.owner === connection) run.owner = null;
  }

  /** Sends `progress` to one connection only (a new subscriber's snapshot of a run). */
  pushTo(connection: RunRecipient, progress: JobProgress): void {
    connection.push(progressText(JobProgress.parse(progress)), progress.run_id, false, 0);
  }

  push(run: CatalogRun, progress: JobProgress, droppable: boolean): void {
    // parsed, so the wire form is the contract's: absent fields absent, keys in Rust order
    const text = progressText(JobProgress.parse(progress));
    const chars = (progress.stdout_chunk ?? progress.stderr_chunk ?? '').length;
    const recipients = new Set(this.#followers.get(run.init.user)?.keys());
    if (run.owner !== null) recipients.add(run.owner);
    for (const connection of recipients) if (connection.open) connection.push(text, run.runId, droppable, chars, run.init.hold);
  }

  record(run: CatalogRun, summary: JobRun): void {
    const { user, manifestId } = run.init;
    const write = (): void | Promise<void> => this.store.set(user, manifestId, summary);
    const pending = this.#writes.get(run);
    let next: Promise<void> | undefined;
    if (pending !== undefined) {
      next = pending.then(write).catch(this.report);
    } else {
      // a synchronous store is written at once, so a `jobs.list` right after a push already sees it
      try {
        const result = write();
        if (result !== undefined) next = Promise.resolve(result).catch(this.report);
      } catch (error) {
        this.report(error);
      }
    }
    if (next === undefined) return;
    const written = next;
    this.#writes.set(run, written);
    void written.then(() => {
      if (this.#writes.get(run) === written) this.#writes.delete(run);
    });
  }

  ended(run: CatalogRun): void {
    this.#runs.delete(run.runId);
    this.#byJob.delete(run.init.jobId);
  }
}
