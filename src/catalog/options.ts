/**
 * Options of the catalog service, their defaults, and the checks that make a
 * bad option fail at construction with its name and value.
 */
import { JobHostError, describeValue } from '../errors.js';
import type { JobHost } from '../host/job-host.js';
import type { CatalogSettings } from './core.js';
import type { LastRunStore } from './last-run.js';
import type { ManifestSource } from './manifest-load.js';

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
  /** Outgoing bytes one connection may have waiting before its oldest output pushes are dropped. @default 8 MiB */
  readonly maxQueuedBytes?: number;
  /** Subscriptions one connection may hold. @default 16 */
  readonly maxSubscriptions?: number;
  /** Failures no client is told about in detail: a last-run store error, an invalid manifest set. @default process.emitWarning */
  readonly onError?: (error: unknown) => void;
}

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`${name}\` to be an integer from ${min} and up, got ${describeValue(value)}`);
  }
  return value;
}

/** Applies defaults and checks every number; throws `ERR_INVALID_OPTIONS` naming the option. */
export function resolveCatalogSettings(options: JobCatalogOptions): CatalogSettings {
  const maxFrameBytes = integer('maxFrameBytes', options.maxFrameBytes, 1_048_576, 4096);
  return {
    defaultTimeoutSecs: integer('defaultTimeoutSecs', options.defaultTimeoutSecs, 600, 1),
    batchMs: integer('batchMs', options.batchMs, 400, 0),
    maxFrameBytes,
    // at least two frames, so a full push can always wait behind another
    maxQueuedBytes: integer('maxQueuedBytes', options.maxQueuedBytes, 8 * 1_048_576, 2 * maxFrameBytes),
    maxSubscriptions: integer('maxSubscriptions', options.maxSubscriptions, 16, 1),
  };
}

/** Default `onError`: a process warning, so a failing store is visible without crashing the host. */
export function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error : String(error), { code: 'JOBHOST_CATALOG' });
}
