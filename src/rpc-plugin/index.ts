/**
 * `jobhost/rpc-plugin`: long-lived plugin processes that speak JSON-RPC 2.0
 * over stdio, started through a JobHost like any job, with `task.*` progress
 * into a TaskTracker.
 */
export { RpcPlugin, startRpcPlugin } from './rpc-plugin.js';
export type { RpcPluginEvents } from './rpc-plugin.js';
export type { RpcPluginOptions, RpcPluginPreset, SynapseExtensionOptions } from './options.js';
export { SYNAPSE_COMMIT, SYNAPSE_EXTENSION_PROTOCOL_VERSION, SYNAPSE_METHOD_TIMEOUTS_MS, SYNAPSE_DEFAULT_TIMEOUT_MS, SynapseInitializeParams, SynapseInitializeResult, SynapsePluginInfo } from './synapse/protocol.js';
export type { SynapseHandshake } from './synapse/handshake.js';
export { RpcPluginError } from './errors.js';
export { RpcError, RPC_ERROR_CODES, defineRequest, defineNotification, JSONRPC_ERROR_CODES } from '../jsonrpc/index.js';
export type { RpcErrorCode, RpcRequestOptions, RpcRequestHandler, RpcNotificationHandler, RpcRequestContext, RequestDefinition, NotificationDefinition, Framing, RpcReadProblem, JsonRpcParams } from '../jsonrpc/index.js';
export { TaskTracker } from '../tasks/task-tracker.js';
export type { TaskTrackerEvents, TaskTrackerOptions, TaskOutcome, InvalidTaskNotification } from '../tasks/task-tracker.js';
export type { TaskSnapshot, TaskState } from '../tasks/task-record.js';
