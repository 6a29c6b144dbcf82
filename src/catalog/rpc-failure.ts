/**
 * Wire errors of the catalog service: what a method handler throws to answer
 * with a JSON-RPC error, in kanade's shape `{code, message, data: {kind,
 * detail}}`, and how a JobHost refusal maps onto it.
 */
import { CATALOG_ERROR_CODES, CatalogRpcError, type CatalogErrorKind } from '../contracts/catalog-rpc.js';
import { JobHostError } from '../errors.js';

/** JSON-RPC 2.0's own messages for its codes; kanade's kinds get a readable form of their name. */
const MESSAGES: Readonly<Record<CatalogErrorKind, string>> = {
  ParseError: 'Parse error',
  InvalidRequest: 'Invalid Request',
  MethodNotFound: 'Method not found',
  InvalidParams: 'Invalid params',
  InternalError: 'Internal error',
  Unauthorized: 'Unauthorized',
  NotFound: 'Not found',
  RateLimit: 'Rate limit',
  StaleProtocol: 'Stale protocol',
  PayloadTooLarge: 'Payload too large',
};

/** Thrown by a method handler to answer with a catalog error; anything else thrown becomes `InternalError`. */
export class RpcFailure extends Error {
  override readonly name = 'RpcFailure';

  constructor(
    readonly kind: CatalogErrorKind,
    readonly detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** The `error` member of a response, checked against the contract. */
export function rpcError(kind: CatalogErrorKind, detail: string): CatalogRpcError {
  return CatalogRpcError.parse({ code: CATALOG_ERROR_CODES[kind], message: MESSAGES[kind], data: { kind, detail } });
}

/**
 * The answer to a `jobs.execute` the JobHost refused. A full queue is
 * `RateLimit` (the client may retry later); every other refusal
 * (`ERR_BINARY_NOT_ALLOWED`, `ERR_ARGS_REFUSED`, `ERR_CWD_*`, `ERR_ENV_REFUSED`,
 * `ERR_HOST_DISPOSED`) is `InternalError`: the client only sent a manifest id,
 * so the fault is in the host's manifests or state, and the detail starts with
 * the stable JobHost code so an operator can tell which.
 */
export function failureFromSpawn(error: unknown): RpcFailure {
  if (!(error instanceof JobHostError)) return new RpcFailure('InternalError', `could not start the job: ${String(error)}`);
  const kind = error.code === 'ERR_QUEUE_FULL' ? 'RateLimit' : 'InternalError';
  return new RpcFailure(kind, `${error.code}: ${error.message}`);
}
