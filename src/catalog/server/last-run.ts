/**
 * Where `jobs.list` finds each user's last run of each job. In memory by
 * default; a host that wants it to survive a restart implements
 * {@link LastRunStore} over its own database (jobhost adds no dependency for
 * it, and Node 20 has no `node:sqlite`).
 */
import type { JobRun } from '../../contracts/catalog-types.js';

/**
 * Last-run persistence, keyed by user and manifest id. Methods may be
 * synchronous or return promises. `set` is called when a run is accepted
 * (`queued`), when it starts (`running`) and when it ends (with
 * `finished_at` and `exit_code`); calls for one run are made one after the
 * other, never concurrently, so a slow store cannot end on a stale state.
 * A failing store never fails a run: the error goes to the catalog's `onError`.
 */
export interface LastRunStore {
  get(user: string, manifestId: string): JobRun | undefined | Promise<JobRun | undefined>;
  set(user: string, manifestId: string, run: JobRun): void | Promise<void>;
}

/** The default store: a map per user, lost on restart. Grows with users × manifests, not with runs. */
export class MemoryLastRunStore implements LastRunStore {
  readonly #users = new Map<string, Map<string, JobRun>>();

  get(user: string, manifestId: string): JobRun | undefined {
    return this.#users.get(user)?.get(manifestId);
  }

  set(user: string, manifestId: string, run: JobRun): void {
    let runs = this.#users.get(user);
    if (runs === undefined) {
      runs = new Map();
      this.#users.set(user, runs);
    }
    runs.set(manifestId, run);
  }
}
