/**
 * `jobhost/catalog`: the `jobs.*` catalog service (kanade's client-UI RPC) on
 * top of a JobHost — manifests (`manifests/`), the service over any duplex
 * stream and a Unix-socket server (`server/`), and a client (`client/`).
 */
export { JobCatalog } from './server/catalog.js';
export type { ConnectOptions } from './server/catalog.js';
export type { JobCatalogOptions } from './server/options.js';
export type { CatalogConnection } from './server/connection.js';
export { MemoryLastRunStore } from './server/last-run.js';
export type { LastRunStore } from './server/last-run.js';
export { serveCatalog } from './server/socket.js';
export type { CatalogServer, Identity, ServeCatalogOptions } from './server/socket.js';
export { removeStaleSocket } from './server/stale-socket.js';
export { CatalogManifest } from './manifests/manifest.js';
export type { CatalogManifestInput } from './manifests/manifest.js';
export { loadManifests, manifestFile, readManifestFile } from './manifests/manifest-load.js';
export type { ManifestSource } from './manifests/manifest-load.js';
export { CatalogClient } from './client/client.js';
export type { CatalogClientEvents, CatalogClientOptions } from './client/client.js';
export { CatalogRequestError } from './client/request-error.js';
export { CatalogError, CATALOG_HOST_ERROR_CODES } from './errors.js';
export type { CatalogErrorCode, ManifestProblem } from './errors.js';
export { RpcError, RPC_ERROR_CODES } from '../jsonrpc/errors.js';
export type { RpcErrorCode } from '../jsonrpc/errors.js';
export type { Framing } from '../jsonrpc/framing/types.js';
