/**
 * The `jobs.*` catalog service (kanade's client-UI RPC) on top of JobHost:
 * manifests, the service over any duplex stream, a Unix-socket server, and a
 * client. src/index.ts re-exports these names.
 */
export { JobCatalog } from './catalog.js';
export type { ConnectOptions } from './catalog.js';
export type { JobCatalogOptions } from './options.js';
export type { CatalogConnection } from './connection.js';
export { CatalogManifest } from './manifest.js';
export type { CatalogManifestInput } from './manifest.js';
export { loadManifests, manifestFile, readManifestFile } from './manifest-load.js';
export type { ManifestSource } from './manifest-load.js';
export { MemoryLastRunStore } from './last-run.js';
export type { LastRunStore } from './last-run.js';
export { CatalogError, CATALOG_HOST_ERROR_CODES } from './errors.js';
export type { CatalogErrorCode, ManifestProblem } from './errors.js';
export { serveCatalog } from './server.js';
export type { CatalogServer, ServeCatalogOptions } from './server.js';
export { removeStaleSocket } from './stale-socket.js';
export { CatalogClient, CatalogRequestError } from './client.js';
export type { CatalogClientEvents, CatalogClientOptions } from './client.js';
