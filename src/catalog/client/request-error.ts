/**
 * The catalog's error answers as the client sees them: kanade's
 * `{code, message, data: {kind, detail}}` checked against the contract and
 * turned into an `RpcError` a UI can branch on by `kind`.
 */
import { CatalogRpcError } from '../../contracts/catalog-rpc.js';
import { safeParseWire } from '../../contracts/parse-wire.js';
import { RpcError } from '../../jsonrpc/errors.js';
import type { JsonRpcErrorObject } from '../../jsonrpc/types.js';

/**
 * A JSON-RPC error answer from the catalog service (`code` `ERR_RPC_REMOTE`);
 * branch on `kind` (`'Unauthorized'`, `'NotFound'`, …). `rpcCode` is the
 * numeric JSON-RPC code, `data` the error object as sent.
 */
export class CatalogRequestError extends RpcError {
  static override readonly kind: string = 'CatalogRequestError';
  /** kanade's error kind, `'unknown'` when the answer had no `data.kind`. */
  readonly kind: string;
  /** kanade's `data.detail`, the specific reason (`''` when the answer had none). */
  readonly detail: string;
  /** The numeric JSON-RPC error code (`-32001` for `NotFound`, …); `code` is always `'ERR_RPC_REMOTE'`. */
  readonly rpcCode: number;

  constructor(error: CatalogRpcError, method: string | null) {
    const kind = error.data?.kind ?? 'unknown';
    const detail = error.data?.detail ?? '';
    super('ERR_RPC_REMOTE', `${error.message === kind ? kind : `${error.message} (${kind})`}: ${detail}`, { ...(method === null ? {} : { method }), data: error });
    this.kind = kind;
    this.detail = detail;
    this.rpcCode = error.code;
  }
}

/** The error answer as a {@link CatalogRequestError}, or `undefined` when it is not in the catalog's shape. */
export function requestError(error: unknown, method: string | null = null): CatalogRequestError | undefined {
  const parsed = safeParseWire(CatalogRpcError, error);
  return parsed.success ? new CatalogRequestError(parsed.data, method) : undefined;
}

/** What a request rejects with when the service answers with an error. */
export function remoteError(method: string, error: JsonRpcErrorObject): RpcError {
  return requestError(error, method) ?? new RpcError('ERR_RPC_PROTOCOL', `invalid ${method} error answer: ${JSON.stringify(error)}`, { method });
}
