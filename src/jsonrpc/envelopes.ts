/**
 * Writing JSON-RPC 2.0 messages: the one spelling of each envelope, for every
 * sender (every endpoint: plugin hosts, catalog services and clients). Member
 * order is fixed (`jsonrpc`, `id`, then the rest), so a size measured on one
 * envelope — the catalog's chunk budget — holds for every message built here.
 */
import { encodeFrame } from './framing/encode.js';
import type { Framing } from './framing/types.js';
import type { JsonRpcErrorObject, JsonRpcId, JsonRpcMessage, JsonRpcNotification, JsonRpcParams, JsonRpcRequest, JsonRpcResponse } from './types.js';

/** A request; `params` is left out when `undefined`, as the spec lets it be (`null` is sent as `null`, as SynapseCLI does). */
export function requestMessage(id: JsonRpcId, method: string, params?: JsonRpcParams | null): JsonRpcRequest {
  return params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
}

/** A notification; `params` is left out when `undefined`. */
export function notificationMessage(method: string, params?: JsonRpcParams | null): JsonRpcNotification {
  return params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
}

/** A success response. `undefined` is sent as `null`: a response without `result` would break the spec. */
export function resultMessage(id: JsonRpcId | null, result: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', id, result: result ?? null };
}

/** An error response; `id` is `null` for a message whose id could not be read. */
export function errorMessage(id: JsonRpcId | null, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error };
}

/**
 * One message as a frame. Throws only if the message cannot be serialised (a
 * BigInt, a cycle): the sender's mistake, for the sender to report.
 */
export function encodeMessage(framing: Framing, message: JsonRpcMessage): Buffer {
  return encodeFrame(framing, JSON.stringify(message));
}
