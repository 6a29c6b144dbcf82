/**
 * What one connection knows about itself, as kanade's agent keeps it per
 * pipe: the handshake (no request but `system.handshake` is served before
 * one succeeded), the session the handshake reports, and the run ids this
 * connection started — the only ones it may kill, running or ended, so a
 * kill answers the same for an id that does not exist and for another
 * connection's run.
 */
import type { CatalogSessionInfo } from '../../contracts/catalog-handshake.js';

/** Run ids remembered per connection; past it the oldest are forgotten (a kill of one then answers `Unauthorized`). */
export const MAX_REMEMBERED_RUNS = 10_000;

/** One connection's handshake state and its own runs. */
export class ConnectionSession {
  /** The protocol version the last successful handshake agreed on; `null` until one did. */
  agreedProtocol: number | null = null;
  readonly #runs = new Set<string>();

  constructor(readonly info: CatalogSessionInfo) {}

  /** Records a run this connection started. */
  started(runId: string): void {
    this.#runs.add(runId);
    if (this.#runs.size > MAX_REMEMBERED_RUNS) this.#runs.delete(this.#runs.values().next().value as string);
  }

  /** True for a run this connection started (still remembered), whether or not it has ended. */
  owns(runId: string): boolean {
    return this.#runs.has(runId);
  }
}
