/**
 * The numbers and names with a fixed meaning on the wire, written once for
 * every peer. A leaf module, so the wire contracts can read it too.
 */

/**
 * Numeric JSON-RPC error codes jobhost sends or recognises: the spec's,
 * LSP's `RequestCancelled`, and kanade's `RateLimit`, which jobhost also
 * answers when a peer has too many requests in flight.
 */
export const JSONRPC_ERROR_CODES = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** kanade's code; jobhost answers it when a peer has too many requests in progress. */
  RateLimit: -32003,
  /** LSP's code for a request the caller cancelled with `$/cancelRequest`. */
  RequestCancelled: -32800,
} as const;

/** A kind of error answer the JSON-RPC layer itself sends. */
export type JsonRpcErrorKind = keyof typeof JSONRPC_ERROR_CODES;

/** Method names with a fixed meaning on the wire (LSP's). */
export const RPC_METHODS = {
  cancelRequest: '$/cancelRequest',
  shutdown: 'shutdown',
  exit: 'exit',
} as const;
