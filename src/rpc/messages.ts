/**
 * JSON-RPC 2.0 message shapes, and the check every received message passes
 * before anything acts on it. The check is hand-written rather than a zod
 * schema so it keeps the parsed object as is (no copy of a 4 MiB `params`)
 * and can say precisely what is wrong, for the `invalid` report.
 *
 * Lenient where real plugins are sloppy and the meaning is clear: `"params":
 * null` reads as no params, unknown members are ignored.
 */

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

/**
 * Numeric JSON-RPC error codes jobhost sends or recognises, in one table
 * (the spec's, LSP's `RequestCancelled`, and kanade's `RateLimit`).
 */
export const JSONRPC_ERROR_CODES = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** kanade's code; jobhost answers it when a plugin has too many requests in flight. */
  RateLimit: -32003,
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

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function isId(value: unknown): value is JsonRpcId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Checks that parsed JSON is a JSON-RPC 2.0 request, notification or response. */
export function checkMessage(value: unknown): CheckedMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `a JSON-RPC message must be a JSON object, got ${typeName(value)}`, id: null };
  }
  const message = value as Record<string, unknown>;
  const id = Object.hasOwn(message, 'id') && isId(message.id) ? message.id : null;
  const fail = (reason: string): CheckedMessage => ({ ok: false, reason, id });
  if (message.jsonrpc !== '2.0') return fail(`"jsonrpc" must be "2.0", got ${JSON.stringify(message.jsonrpc) ?? 'nothing'}`);
  if (Object.hasOwn(message, 'method')) {
    if (typeof message.method !== 'string') return fail(`"method" must be a string, got ${typeName(message.method)}`);
    const params = message.params;
    if (params !== undefined && typeof params !== 'object') {
      return fail(`"params" must be an object or an array, got ${typeName(params)}`);
    }
    if (Object.hasOwn(message, 'id') && !isId(message.id)) return fail(`a request "id" must be a string or a number, got ${typeName(message.id)}`);
    return { ok: true, message: message as unknown as JsonRpcRequest | JsonRpcNotification };
  }
  if (!Object.hasOwn(message, 'id') || (message.id !== null && !isId(message.id))) {
    return fail(`a response "id" must be a string, a number or null, got ${Object.hasOwn(message, 'id') ? typeName(message.id) : 'nothing'} (and there is no "method")`);
  }
  const hasResult = Object.hasOwn(message, 'result');
  const hasError = Object.hasOwn(message, 'error');
  if (hasResult === hasError) return fail(`a response must have exactly one of "result" and "error", got ${hasResult ? 'both' : 'neither'}`);
  if (hasError) {
    const error = message.error as Record<string, unknown> | null;
    if (typeof error !== 'object' || error === null || !Number.isInteger(error.code) || typeof error.message !== 'string') {
      return fail('"error" must be an object with an integer "code" and a string "message"');
    }
  }
  return { ok: true, message: message as unknown as JsonRpcResponse };
}
