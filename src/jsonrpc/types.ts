/**
 * JSON-RPC 2.0 message shapes and the guards that tell them apart. A leaf
 * module: the reading rules (`rules.ts`), the envelopes and the endpoint all
 * read it, and it reads nothing.
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
