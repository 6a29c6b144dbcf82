/**
 * JSON-RPC 2.0 message shapes, the error codes jobhost sends, and the check
 * every message from a plugin passes before anything acts on it. The reading
 * rules themselves live in `classify.ts`, shared with the catalog service;
 * `checkMessage` is those rules as plugins get them.
 *
 * Lenient where real plugins are sloppy and the meaning is clear: `"params":
 * null` reads as no params, unknown members are ignored.
 */
import { CATALOG_ERROR_CODES } from '../contracts/catalog-rpc.js';
import { classifyMessage, PLUGIN_MESSAGE_RULES, problemReason } from './classify.js';

/** A request id. `null` only appears in error responses to requests that could not be read. */
export type JsonRpcId = string | number;

/** Params by name or by position. */
export type JsonRpcParams = Readonly<Record<string, unknown>> | readonly unknown[];

/** A call that expects a response with the same `id`. */
export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params?: JsonRpcParams | null;
}

/** A one-way message. */
export interface JsonRpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: JsonRpcParams | null;
}

/** The `error` member of a failed response. */
export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** The answer to a request: exactly one of `result` and `error`. */
export type JsonRpcResponse =
  | { readonly jsonrpc: '2.0'; readonly id: JsonRpcId | null; readonly result: unknown }
  | { readonly jsonrpc: '2.0'; readonly id: JsonRpcId | null; readonly error: JsonRpcErrorObject };

/** Any JSON-RPC 2.0 message. Narrow with {@link isRequest}, {@link isNotification}, {@link isResponse}. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

const { ParseError, InvalidRequest, MethodNotFound, InvalidParams, InternalError, RateLimit } = CATALOG_ERROR_CODES;

/**
 * Numeric JSON-RPC error codes jobhost sends or recognises (the spec's, LSP's
 * `RequestCancelled`, and kanade's `RateLimit`). The spec's and kanade's are
 * taken from the wire contract's `CATALOG_ERROR_CODES`, so each code is
 * written once whichever peer it is sent to.
 */
export const JSONRPC_ERROR_CODES = {
  ParseError,
  InvalidRequest,
  MethodNotFound,
  InvalidParams,
  InternalError,
  /** kanade's code; jobhost answers it when a plugin has too many requests in flight. */
  RateLimit,
  /** LSP's code for a request the caller cancelled with `$/cancelRequest`. */
  RequestCancelled: -32800,
} as const;

/** Method names with a fixed meaning on the wire (LSP's). */
export const RPC_METHODS = {
  cancelRequest: '$/cancelRequest',
  shutdown: 'shutdown',
  exit: 'exit',
} as const;

/** True for a request (has `method` and `id`). */
export function isRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return 'method' in message && 'id' in message;
}

/** True for a notification (has `method`, no `id`). */
export function isNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return 'method' in message && !('id' in message);
}

/** True for a response (no `method`). */
export function isResponse(message: JsonRpcMessage): message is JsonRpcResponse {
  return !('method' in message);
}

/** The outcome of {@link checkMessage}: the message, or why it is not one (with its id, if it had a usable one). */
export type CheckedMessage = { readonly ok: true; readonly message: JsonRpcMessage } | { readonly ok: false; readonly reason: string; readonly id: JsonRpcId | null };

/** Checks that parsed JSON is a JSON-RPC 2.0 request, notification or response, by the rules for plugins. */
export function checkMessage(value: unknown): CheckedMessage {
  const classified = classifyMessage(value, PLUGIN_MESSAGE_RULES);
  if (classified.kind === 'invalid') return { ok: false, reason: problemReason(classified.problem), id: classified.id };
  // the plugin rules refuse a null request id: a request here is a JsonRpcRequest
  return { ok: true, message: classified.message };
}
