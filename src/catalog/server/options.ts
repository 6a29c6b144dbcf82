/**
 * Options of the catalog service, their defaults, and the checks that make a
 * bad option fail at construction with its name and value.
 */
import { hostname } from 'node:os';
import type { JobHost } from '../../host/job-host.js';
import { readOptions } from '../../options/reader.js';
import { catalogOptionsError } from '../errors.js';
import type { ManifestSource } from '../manifests/manifest-load.js';
import type { CatalogSettings } from './core.js';
import type { LastRunStore } from './last-run.js';

/** Options of `new JobCatalog(options)`. */
export interface JobCatalogOptions {
  /** Runs every job: its allow-list, cwd/env policy, timeouts and process-group kills all apply. */
  readonly host: JobHost;
  /** Manifests, or a function (e.g. {@link manifestFile}) called again on every `jobs.list` and `jobs.execute`. */
  readonly manifests: ManifestSource;
  /**
   * The JobHost owner all catalog runs are spawned under, as a listen-only
   * owner (`bufferEvents: false`). Use one the host gives no plugin: its
   * `maxJobsPerOwner` caps the catalog's unfinished runs. @default 'catalog'
   */
  readonly owner?: string;
  /** Where each user's `last_run` is kept. @default a new MemoryLastRunStore */
  readonly lastRuns?: LastRunStore;
  /** Kill deadline of manifests without `timeout_secs`, in seconds. @default 600 */
  readonly defaultTimeoutSecs?: number;
  /** How long output is gathered before it is pushed (a full frame is pushed at once). @default 400 */
  readonly batchMs?: number;
  /** Frame cap, in and out, for every framing. @default 1_048_576 (kanade's) */
  readonly maxFrameBytes?: number;
  /**
   * Outgoing bytes one connection may have waiting. A connection that keeps
   * reading never gets near it: while its socket asks for a drain, the runs
   * it follows are held (their jobs block on their pipes). Past it, the
   * oldest output pushes are dropped, with a marker. @default 8 MiB
   */
  readonly maxQueuedBytes?: number;
  /**
   * How long a connection's socket may go without draining while it holds
   * runs back. Past it the connection is behind: it stops holding them (the
   * jobs and the other clients go on) and its output pushes become lossy, the
   * loss marked, until it catches up. Every push after that is still sent
   * when it reads again, and the terminal push always is. @default 5000
   */
  readonly slowReaderMs?: number;
  /** Subscriptions one connection may hold. @default 16 */
  readonly maxSubscriptions?: number;
  /** `agent_version` the handshake reports (kanade's agent reports its crate version). @default 'jobhost' */
  readonly agentVersion?: string;
  /** `session.pc_id` the handshake reports: the machine's name, as kanade's agent reports it. @default os.hostname() */
  readonly pcId?: string;
  /** `client_display_name` the handshake reports, a title for the Client App. @default none (the key is absent) */
  readonly clientDisplayName?: string;
  /** Failures no client is told about in detail: a last-run store error, an invalid manifest set. @default process.emitWarning */
  readonly onError?: (error: unknown) => void;
}

/** The options after defaults and checks. */
export interface ResolvedCatalogOptions {
  readonly host: JobHost;
  readonly manifests: ManifestSource;
  readonly owner: string;
  readonly lastRuns: LastRunStore | undefined;
  readonly onError: ((error: unknown) => void) | undefined;
  readonly settings: CatalogSettings;
}

/** Duck-typed, so a host from another installed copy of jobhost is accepted like one of this copy. */
function isJobHost(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as JobHost).forOwner === 'function' && typeof (value as JobHost).attach === 'function';
}

function isManifestSource(value: unknown): boolean {
  return typeof value === 'function' || Array.isArray(value) || (typeof value === 'object' && value !== null);
}

function isLastRunStore(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as LastRunStore).get === 'function' && typeof (value as LastRunStore).set === 'function';
}

/** Applies defaults and checks every option; throws `ERR_INVALID_OPTIONS` naming the option. */
export function resolveCatalogOptions(options: JobCatalogOptions): ResolvedCatalogOptions {
  return readOptions(options, { what: 'JobCatalog options', error: catalogOptionsError }, (read) => {
    const maxFrameBytes = read.integer('maxFrameBytes', 1_048_576, { min: 4096, max: 2 ** 31 - 1 });
    return {
      host: read.custom<JobHost>('host', 'a JobHost', isJobHost) ?? read.fail('host', 'a JobHost', undefined),
      manifests: read.custom<ManifestSource>('manifests', 'an array of manifests or a function returning them', isManifestSource) ?? read.fail('manifests', 'an array of manifests or a function returning them', undefined),
      owner: read.string('owner', 'catalog'),
      lastRuns: read.custom<LastRunStore>('lastRuns', 'a LastRunStore (with get and set)', isLastRunStore),
      onError: read.callback<(error: unknown) => void>('onError'),
      settings: {
        defaultTimeoutSecs: read.integer('defaultTimeoutSecs', 600, { min: 1 }),
        batchMs: read.duration('batchMs', 400),
        maxFrameBytes,
        // at least two frames, so a full push can always wait behind another
        maxQueuedBytes: read.bytes('maxQueuedBytes', 8 * 1_048_576, 2 * maxFrameBytes),
        maxSubscriptions: read.integer('maxSubscriptions', 16, { min: 1 }),
        slowReaderMs: read.duration('slowReaderMs', 5000),
        agentVersion: read.string('agentVersion', 'jobhost'),
        pcId: read.string('pcId', undefined) ?? hostname(),
        clientDisplayName: read.string('clientDisplayName', undefined),
      },
    };
  });
}

/** Default `onError`: a process warning, so a failing store is visible without crashing the host. */
export function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error), { code: 'JOBHOST_CATALOG' });
}
