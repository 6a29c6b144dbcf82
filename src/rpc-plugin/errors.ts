/**
 * Why a call to a JSON-RPC plugin process did not produce a result: an
 * {@link RpcError} of a plugin conversation, so `instanceof RpcError` holds
 * for plugin failures and catalog failures alike.
 */
import { RpcError } from '../jsonrpc/errors.js';

/** A failed JSON-RPC request to (or from) a plugin process; see `RPC_ERROR_CODES`. */
export class RpcPluginError extends RpcError {
  static override readonly kind: string = 'RpcPluginError';
}
