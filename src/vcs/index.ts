/**
 * `jobhost/vcs`: the VCS adapter client side — call external adapters (git,
 * Perforce, SVN, …) that speak TA's JSON-over-stdio protocol, through a
 * JobHost.
 */
export { VcsAdapterClient } from './client.js';
export type { VcsAdapterClientOptions } from './client-options.js';
export type { VcsCallOptions } from './call.js';
export { VCS_OPTIONAL_METHODS, isVcsMethodAvailable } from './capabilities.js';
export { VcsAdapterError, VCS_ADAPTER_ERROR_CODES } from './errors.js';
export type { VcsAdapterErrorCode, VcsAdapterErrorContext } from './errors.js';
export { discoverVcsAdapters } from './discovery.js';
export type { DiscoverVcsAdaptersOptions, VcsAdapterDiscovery } from './discovery.js';
export { VcsAdapterManifest, VCS_ADAPTER_MANIFEST, VCS_ADAPTER_PREFIX } from './manifest.js';
export type { VcsAdapterSpec } from './manifest.js';
