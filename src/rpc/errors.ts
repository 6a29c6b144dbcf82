/**
 * Why a call to a JSON-RPC plugin did not produce a result. Unlike a
 * `JobHostError` (a refusal: nothing started), an `RpcPluginError` is the
 * outcome of one request; callers branch on `code`, which never changes
 * between releases.
 */
import type { RpcPluginErrorCode } from '../error-codes.js';
import { JobhostError } from '../errors.js';
import type { JsonRpcErrorObject } from './messages.js';
import { JSONRPC_ERROR_CODES } from './messages.js';

export { RPC_PLUGIN_ERROR_CODES } from '../error-codes.js';
export type { RpcPluginErrorCode } from '../error-codes.js';

/** Options of {@link RpcPluginError}. */
export interface RpcPluginErrorOptions {
  readonly method?: string;
  readonly data?: JsonRpcErrorObject;
  readonly cause?: unknown;
}

/** A failed JSON-RPC request to (or from) a plugin; see {@link RPC_PLUGIN_ERROR_CODES}. */
export class RpcPluginError extends JobhostError<RpcPluginErrorCode> {
  static override readonly kind: string = 'RpcPluginError';
  /** The request's method, when the error belongs to one. */
  readonly method: string | null;
  /** For `ERR_RPC_REMOTE`: the JSON-RPC error object as the plugin sent it. */
  readonly data: JsonRpcErrorObject | null;

  constructor(code: RpcPluginErrorCode, message: string, options: RpcPluginErrorOptions = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.method = options.method ?? null;
    this.data = options.data ?? null;
  }

  /**
   * An error a request handler throws to answer the plugin with this exact
   * JSON-RPC error object. Any other exception is answered with a generic
   * `InternalError`, so host internals never reach an untrusted plugin.
   */
  static remote(code: number, message: string, data?: unknown): RpcPluginError {
    const object: JsonRpcErrorObject = data === undefined ? { code, message } : { code, message, data };
    return new RpcPluginError('ERR_RPC_REMOTE', message, { data: object });
  }

  /** `InvalidParams`, the answer for a request whose params a handler rejects. */
  static invalidParams(message: string, data?: unknown): RpcPluginError {
    return RpcPluginError.remote(JSONRPC_ERROR_CODES.InvalidParams, message, data);
  }
}

