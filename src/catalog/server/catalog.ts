/**
 * JobCatalog: kanade's `jobs.*` service over any duplex byte stream. It reads
 * like a table of contents: a connection is `connection.ts` (a `jsonrpc`
 * Endpoint), the methods are `methods/`, runs and their pushes
 * `registry.ts` and `run.ts`.
 */
import type { Duplex } from 'node:stream';
import type { JobHandle } from '../../host/job-handle.js';
import { FRAMINGS, type Framing } from '../../jsonrpc/framing/types.js';
import { readOptions } from '../../options/reader.js';
import { CatalogError, catalogOptionsError } from '../errors.js';
import type { CatalogManifest } from '../manifests/manifest.js';
import { loadManifests } from '../manifests/manifest-load.js';
import { CatalogConnection } from './connection.js';
import type { CatalogCore } from './core.js';
import { MemoryLastRunStore } from './last-run.js';
import { resolveCatalogOptions, warn, type JobCatalogOptions } from './options.js';
import { RunRegistry } from './registry.js';

/** Options of {@link JobCatalog.connect}. */
export interface ConnectOptions {
  /**
   * Who this connection acts for: scopes `last_run` and subscriptions, and is
   * the handshake's `session.user`. Supplied by the host, never by the client.
   */
  readonly user: string;
  /**
   * The handshake's `session.session_id` (a `u32`). kanade's agent reports
   * the peer's OS session (its UID on Unix); a host that knows it passes it.
   * @default the connection's number within its catalog (1, 2, …)
   */
  readonly sessionId?: number;
  /** @default 'length-prefix' (kanade's 4-byte little-endian length) */
  readonly framing?: Framing;
}

function manifestReader(source: JobCatalogOptions['manifests']): () => Promise<readonly CatalogManifest[]> {
  if (typeof source === 'function') return async () => loadManifests(await source(), 'the manifest provider');
  // a fixed set is checked once, now, so a bad one fails the host's start-up rather than a client's call
  const fixed = loadManifests(source);
  return () => Promise.resolve(fixed);
}

/** Serves the job catalog to client connections; see docs/catalog.md. */
export class JobCatalog {
  readonly #core: CatalogCore;
  readonly #handle: JobHandle;
  readonly #connections = new Set<CatalogConnection>();
  #counter = 0;
  #closing: Promise<void> | null = null;

  /** Throws `ERR_INVALID_OPTIONS` for a bad option and `ERR_CATALOG_MANIFEST` for an invalid fixed manifest set. */
  constructor(options: JobCatalogOptions) {
    const resolved = resolveCatalogOptions(options);
    const { settings } = resolved;
    const report = resolved.onError ?? warn;
    const { host, owner } = resolved;
    this.#handle = host.forOwner(owner, { bufferEvents: false });
    const manifests = manifestReader(resolved.manifests);
    const lastRuns = resolved.lastRuns ?? new MemoryLastRunStore();
    const registry = new RunRegistry(lastRuns, report);
    this.#core = {
      settings,
      handle: this.#handle,
      // attached: the job's events come on a host-side channel no plugin can forge or silence, and a client can hold it
      spawn: (request) => host.attach(owner, request, { onEvent: (event) => registry.onJobEvent(event) }),
      registry,
      lastRuns,
      manifests: () => manifests(),
      report,
    };
  }

  /**
   * Serves one client over `stream` (a socket, a pipe pair, a WebSocket
   * stream): one connection is one client identity. Closing the stream
   * ends the connection; its runs keep going.
   */
  connect(stream: Duplex, options: ConnectOptions): CatalogConnection {
    if (this.#closing !== null) throw new CatalogError('ERR_CATALOG_CLOSED', 'The job catalog is closed; no new connections are accepted');
    const { user, framing, sessionId } = readOptions(options, { what: 'connect options', error: catalogOptionsError }, (read) => ({
      user: read.string('user', undefined, true) ?? read.fail('user', 'a string', undefined),
      framing: read.oneOf('framing', FRAMINGS, 'length-prefix'),
      sessionId: read.integer('sessionId', undefined, { min: 0, max: 4_294_967_295 }),
    }));
    this.#counter += 1;
    const { maxFrameBytes, maxQueuedBytes, slowReaderMs, pcId } = this.#core.settings;
    const session = { user, session_id: sessionId ?? this.#counter % 2 ** 32, pc_id: pcId };
    const settings = { id: `c${this.#counter}`, user, framing, maxFrameBytes, maxQueuedBytes, slowReaderMs, session };
    const connection = new CatalogConnection(stream, settings, this.#core, (closed) => {
      this.#connections.delete(closed);
      this.#core.registry.detach(closed);
    });
    this.#connections.add(connection);
    return connection;
  }

  /** Open connections. */
  get connections(): number {
    return this.#connections.size;
  }

  /** Runs in flight. */
  get activeRuns(): number {
    return this.#core.registry.size;
  }

  /**
   * Closes every connection gracefully and accepts no more. Runs in flight
   * are not stopped (only `jobs.kill`, their timeout or the host's disposal
   * end a run); their `last_run` is still recorded when they end. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    const connections = [...this.#connections];
    for (const connection of connections) connection.close();
    this.#closing = Promise.all(connections.map((connection) => connection.closed)).then(() => undefined);
    return this.#closing;
  }

  /** `await using catalog = new JobCatalog(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
