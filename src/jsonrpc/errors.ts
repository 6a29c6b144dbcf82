/**
 * Why a JSON-RPC request did not produce a result, whichever the peer. Unlike
 * a `JobHostError` (a refusal: nothing started), an `RpcError` is the outcome
 * of one request; callers branch on `code`, which never changes between
 * releases. Plugin conversations reject with its subclass `RpcPluginError`,
 * the catalog client's error answers with `CatalogRequestError`.
 */
import type { RpcErrorCode } from '../error-codes.js';
import { JobhostError } from '../errors.js';
import { JSONRPC_ERROR_CODES } from './codes.js';
import type { JsonRpcErrorObject } from './types.js';

export { RPC_ERROR_CODES } from '../error-codes.js';
export type { RpcErrorCode } from '../error-codes.js';

/** Options of {@link RpcError}. */
export interface RpcErrorOptions {
  readonly method?: string;
  readonly data?: JsonRpcErrorObject;
  readonly cause?: unknown;
}

/** A failed JSON-RPC request to (or from) a peer; see {@link RPC_ERROR_CODES}. */
export class RpcError extends JobhostError<RpcErrorCode> {
  static override readonly kind: string = 'RpcError';
  /** The request's method, when the error belongs to one. */
  readonly method: string | null;
  /** For `ERR_RPC_REMOTE`: the JSON-RPC error object as the peer sent it. */
  readonly data: JsonRpcErrorObject | null;

  constructor(code: RpcErrorCode, message: string, options: RpcErrorOptions = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.method = options.method ?? null;
    this.data = options.data ?? null;
  }

  /**
   * An error a request handler throws to answer with this exact JSON-RPC
   * error object. Any other exception is answered with a generic
   * `InternalError`, so host internals never reach an untrusted peer.
   */
  static remote(code: number, message: string, data?: unknown): RpcError {
    const object: JsonRpcErrorObject = data === undefined ? { code, message } : { code, message, data };
    return new this('ERR_RPC_REMOTE', message, { data: object });
  }

  /** `InvalidParams`, the answer for a request whose params a handler rejects. */
  static invalidParams(message: string, data?: unknown): RpcError {
    return this.remote(JSONRPC_ERROR_CODES.InvalidParams, message, data);
  }
}

/** Makes the error of one area (`RpcPluginError`, `RpcError`) for an endpoint's failures. */
export type RpcErrorFactory = (code: RpcErrorCode, message: string, options: RpcErrorOptions) => RpcError;
