/**
 * `jobhost/vcs`: the VCS adapter client side — call external adapters (git,
 * Perforce, SVN, …) that speak TA's JSON-over-stdio protocol, through a
 * JobHost — and discovery, in jobhost's layout and in TrustedAutonomy's.
 */
export { VcsAdapterClient } from './client.js';
export type { VcsAdapterClientOptions } from './client-options.js';
export type { VcsCallOptions } from './call.js';
export { VCS_OPTIONAL_METHODS, TA_GATED_METHODS, isVcsMethodAnnounced, isVcsMethodAvailable } from './capabilities.js';
export { VCS_ABSOLUTE_PATH_PARAMS } from './paths.js';
export { VcsAdapterError, VCS_ADAPTER_ERROR_CODES } from './errors.js';
export type { VcsAdapterErrorCode, VcsAdapterErrorContext } from './errors.js';
export { discoverVcsAdapters } from './discovery.js';
export type { DiscoverVcsAdaptersOptions, TaDiscoveryOptions, VcsAdapterDiscovery, VcsDiscoveryProblem } from './discovery.js';
export { VcsAdapterManifest, VCS_ADAPTER_MANIFEST, VCS_ADAPTER_PREFIX } from './manifest.js';
export type { VcsAdapterSpec } from './manifest.js';
export { TaPluginManifest, TA_PLUGIN_MANIFEST, TA_ADAPTER_PREFIX } from './ta-manifest.js';
