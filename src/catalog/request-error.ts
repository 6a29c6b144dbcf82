/**
 * The catalog's error answers as the client sees them: kanade's
 * `{code, message, data: {kind, detail}}` checked against the contract and
 * turned into an error a UI can branch on.
 */
import { CatalogRpcError } from '../contracts/catalog-rpc.js';
import { safeParseWire } from '../contracts/parse-wire.js';
import type { JsonRpcErrorObject } from '../rpc/messages.js';

/** A JSON-RPC error answer from the service; branch on `kind` (`'Unauthorized'`, `'NotFound'`, …). */
export class CatalogRequestError extends Error {
  override readonly name = 'CatalogRequestError';

  constructor(
    readonly code: number,
    readonly kind: string,
    readonly detail: string,
    message: string,
  ) {
    super(`${message === kind ? kind : `${message} (${kind})`}: ${detail}`);
  }
}

/** The error answer as a {@link CatalogRequestError}, or `undefined` when it is not in the catalog's shape. */
export function requestError(error: unknown): CatalogRequestError | undefined {
  const parsed = safeParseWire(CatalogRpcError, error);
  if (!parsed.success) return undefined;
  const { code, message, data } = parsed.data;
  return new CatalogRequestError(code, data?.kind ?? 'unknown', data?.detail ?? '', message);
}

/** What a request rejects with when the service answers with an error: see `OutgoingRequestsOptions.remoteError`. */
export function remoteError(method: string, error: JsonRpcErrorObject): Error {
  return requestError(error) ?? new Error(`invalid ${method} error answer: ${JSON.stringify(error)}`);
}
