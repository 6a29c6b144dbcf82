/**
 * Why a call to a JSON-RPC plugin did not produce a result. Unlike a
 * `JobHostError` (a refusal: nothing started), an `RpcPluginError` is the
 * outcome of one request; callers branch on `code`, which never changes
 * between releases.
 */
import type { JsonRpcErrorObject } from './messages.js';
import { JSONRPC_ERROR_CODES } from './messages.js';

/** Every stable code of an {@link RpcPluginError}, with the situation it names. */
export const RPC_PLUGIN_ERROR_CODES = {
  ERR_RPC_EXITED: 'the plugin process ended (exit, crash, kill, timeout, cancel) before it answered',
  ERR_RPC_TIMEOUT: 'no answer within the request timeout; `$/cancelRequest` was sent',
  ERR_RPC_ABORTED: "the caller's AbortSignal aborted the request; `$/cancelRequest` was sent if it had gone out",
  ERR_RPC_REMOTE: 'the plugin answered with a JSON-RPC error object (in `data`)',
  ERR_RPC_CLOSED: 'nothing was sent: the plugin has ended, is shutting down, or its stdin is closed',
  ERR_RPC_PROTOCOL: 'the plugin answered with a message that breaks JSON-RPC 2.0',
  ERR_RPC_BACKPRESSURE: 'the plugin stopped reading its stdin; more than `maxQueuedBytes` waited, and the plugin was stopped (pending and later requests fail with it)',
} as const;

/** A stable RPC error code. */
export type RpcPluginErrorCode = keyof typeof RPC_PLUGIN_ERROR_CODES;

const BRAND = Symbol.for('jobhost.RpcPluginError');

/** Options of {@link RpcPluginError}. */
export interface RpcPluginErrorOptions {
  readonly method?: string;
  readonly data?: JsonRpcErrorObject;
  readonly cause?: unknown;
}

/** A failed JSON-RPC request to (or from) a plugin; see {@link RPC_PLUGIN_ERROR_CODES}. */
export class RpcPluginError extends Error {
  override readonly name = 'RpcPluginError';
  readonly code: RpcPluginErrorCode;
  /** The request's method, when the error belongs to one. */
  readonly method: string | null;
  /** For `ERR_RPC_REMOTE`: the JSON-RPC error object as the plugin sent it. */
  readonly data: JsonRpcErrorObject | null;

  constructor(code: RpcPluginErrorCode, message: string, options: RpcPluginErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.method = options.method ?? null;
    this.data = options.data ?? null;
    Object.defineProperty(this, BRAND, { value: true });
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

/** True for an {@link RpcPluginError}, also one thrown by another installed copy of jobhost. */
export function isRpcPluginError(error: unknown): error is RpcPluginError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
