/**
 * jobhost: let plugins run background jobs without giving them processes.
 *
 * The host side: `JobHost`, the scoped `JobHandle`, the policy helpers and
 * errors. The wire contracts are re-exported from `jobhost/contracts`.
 */
export * from './contracts/index.js';

export { JobHost } from './host/job-host.js';
export type { JobHostEvents } from './host/job-host.js';
export type { AttachedJob, AttachOptions, OwnerOptions } from './host/attach.js';
export { JobHandle } from './host/job-handle.js';
export type { JobEventListener, JobSummary, SpawnOptions } from './host/job-handle.js';
export type { BinaryDetails } from './host/binary-details.js';
export type { BinaryContainment, ContainmentReport } from './host/containment-report.js';
export type { SweptGroup } from './process/sweep.js';
export type { ResourceLimits } from './policy/limits.js';
export type { ContainmentTier } from './policy/containment.js';
export type { JobHostOptions } from './host/options.js';

export { JobhostError, JobHostError, isJobhostError, JOBHOST_ERROR_CODES } from './errors.js';
export type { JobhostErrorCode, JobHostErrorCode, JobhostErrorOptions } from './errors.js';

export type { BinaryPolicy } from './policy/binaries.js';
export type { ArgsPolicy } from './policy/args.js';
export type { EnvRule } from './policy/env/env-rule.js';
export type { BinaryProfile, Preflight, PreflightResult, PreparedInvocation, Probe, ProfileInvocation, ProfileRequest } from './policy/profile.js';
export { DENIED_ENV, HOST_ONLY_ENV, DEFAULT_PASSTHROUGH_ENV } from './policy/env/index.js';
export { MAX_LABEL_CHARS, MAX_REASON_CHARS, MAX_STEP_CHARS } from './policy/string-caps.js';
export { gitPolicy, gitReadOnly, GIT_POLICED_SUBCOMMANDS, GIT_READ_ONLY_SUBCOMMANDS, GIT_PROTECTED_CONFIG } from './policy/git/index.js';
export type { ProgressParser, ProgressUpdate } from './output/progress.js';
export { groupMembers as processGroupMembers } from './process/group.js';

export {
  VcsAdapterClient,
  VcsAdapterError,
  VCS_ADAPTER_ERROR_CODES,
  VCS_OPTIONAL_METHODS,
  isVcsMethodAvailable,
  discoverVcsAdapters,
  VcsAdapterManifest,
  VCS_ADAPTER_MANIFEST,
  VCS_ADAPTER_PREFIX,
} from './vcs/index.js';
export type {
  VcsAdapterClientOptions,
  VcsCallOptions,
  VcsAdapterErrorCode,
  VcsAdapterErrorContext,
  DiscoverVcsAdaptersOptions,
  VcsAdapterDiscovery,
  VcsAdapterSpec,
} from './vcs/index.js';

export { TaskTracker } from './tasks/task-tracker.js';
export type { TaskTrackerEvents, TaskTrackerOptions, TaskOutcome, InvalidTaskNotification } from './tasks/task-tracker.js';
export type { TaskSnapshot, TaskState } from './tasks/task-record.js';
export { RpcPlugin, startRpcPlugin } from './rpc/rpc-plugin.js';
export type { RpcPluginEvents } from './rpc/rpc-plugin.js';
export type { RpcPluginOptions } from './rpc/options.js';
export type { RpcRequestOptions } from './rpc/outgoing.js';
export type { RpcRequestHandler, RpcNotificationHandler, RpcRequestContext } from './rpc/incoming.js';
export { RpcPluginError, RPC_PLUGIN_ERROR_CODES } from './rpc/errors.js';
export type { RpcPluginErrorCode, RpcPluginErrorOptions } from './rpc/errors.js';
export { readMessages } from './rpc/read-messages.js';
export { createMessageParser, describeReadProblem } from './rpc/message-parser.js';
export type { MessageParser, MessageReaderOptions, RpcReadEvent, RpcReadProblem, RpcMessageEvent, RpcInvalidEvent, RpcTruncatedEvent } from './rpc/message-parser.js';
export { JSONRPC_ERROR_CODES, RPC_METHODS, checkMessage, isRequest, isNotification, isResponse } from './rpc/messages.js';
export type { JsonRpcMessage, JsonRpcRequest, JsonRpcNotification, JsonRpcResponse, JsonRpcErrorObject, JsonRpcId, JsonRpcParams, CheckedMessage } from './rpc/messages.js';
export { createFrameDecoder, encodeFrame, DEFAULT_MAX_FRAME_BYTES } from './rpc/framing.js';
export type { Framing, FrameEvent, FramingOptions, FrameDecoder } from './rpc/framing.js';

export {
  JobCatalog,
  CatalogManifest,
  loadManifests,
  manifestFile,
  readManifestFile,
  MemoryLastRunStore,
  CatalogError,
  CATALOG_HOST_ERROR_CODES,
  serveCatalog,
  removeStaleSocket,
  CatalogClient,
  CatalogRequestError,
} from './catalog/index.js';
export type {
  ConnectOptions,
  JobCatalogOptions,
  CatalogConnection,
  CatalogManifestInput,
  ManifestSource,
  LastRunStore,
  CatalogErrorCode,
  ManifestProblem,
  CatalogServer,
  ServeCatalogOptions,
  CatalogClientEvents,
  CatalogClientOptions,
} from './catalog/index.js';
export { escapeTerminalControls, isTerminalControl, stripTerminalEscapes } from './output/sanitize.js';
