/**
 * What the method handlers share: the resolved settings, the JobHost handle
 * the runs are spawned through, the run registry, the last-run store, and
 * the manifests as they are *now* (re-read on every call).
 */
import type { JobSpawnRequestInput } from '../../contracts/jobs.js';
import type { AttachedJob } from '../../host/attach.js';
import type { JobHandle } from '../../host/job-handle.js';
import type { LastRunStore } from './last-run.js';
import type { CatalogManifest } from '../manifests/manifest.js';
import type { RunRegistry } from './registry.js';

/** The catalog's options after defaults and checks. */
export interface CatalogSettings {
  readonly defaultTimeoutSecs: number;
  readonly batchMs: number;
  readonly maxFrameBytes: number;
  readonly maxQueuedBytes: number;
  readonly maxSubscriptions: number;
  readonly slowReaderMs: number;
  /** `agent_version` of the handshake. */
  readonly agentVersion: string;
  /** `session.pc_id` of the handshake. */
  readonly pcId: string;
  /** `client_display_name` of the handshake; absent when undefined. */
  readonly clientDisplayName: string | undefined;
}

/** The state and services a method handler works with. */
export interface CatalogCore {
  readonly settings: CatalogSettings;
  readonly handle: JobHandle;
  /** Starts a run's job under the catalog's owner (host-side: its events reach the registry, and a client can hold it). */
  spawn(request: JobSpawnRequestInput): AttachedJob;
  readonly registry: RunRegistry;
  readonly lastRuns: LastRunStore;
  /** The current, validated manifests; rejects with a `CatalogError` when they are invalid. */
  manifests(): Promise<readonly CatalogManifest[]>;
  /** Reports a failure the client is not told about in detail (a store error, a bug). */
  report(error: unknown): void;
}

/** The kill deadline a manifest's runs get, as `jobs.list` reports it. */
export function effectiveTimeoutSecs(settings: CatalogSettings, manifest: CatalogManifest): number {
  return manifest.timeout_secs ?? settings.defaultTimeoutSecs;
}
