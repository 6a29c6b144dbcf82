/**
 * How a method answers with one of kanade's errors: it throws
 * {@link catalogFailure}, which the endpoint sends as is. Anything else a
 * method throws is a bug, reported to the host and answered with a generic
 * `InternalError`.
 */
import type { CatalogErrorKind } from '../../../contracts/catalog-rpc.js';
import { JobHostError } from '../../../errors.js';
import { RpcError } from '../../../jsonrpc/errors.js';
import { CatalogError } from '../../errors.js';
import type { CatalogManifest } from '../../manifests/manifest.js';
import { catalogErrorObject } from '../../protocol.js';
import type { CatalogCore } from '../core.js';

/** The error a method throws to answer with `kind` and `detail` in kanade's shape. */
export function catalogFailure(kind: CatalogErrorKind, detail: string): RpcError {
  const { code, message, data } = catalogErrorObject(kind, detail);
  return RpcError.remote(code, message, data);
}

/**
 * The answer to a `jobs.execute` the JobHost refused. A full queue is
 * `RateLimit` (the client may retry later); every other refusal
 * (`ERR_BINARY_NOT_ALLOWED`, `ERR_ARGS_REFUSED`, `ERR_CWD_*`, `ERR_ENV_REFUSED`,
 * `ERR_HOST_DISPOSED`) is `InternalError`: the client only sent a manifest id,
 * so the fault is in the host's manifests or state, and the detail starts with
 * the stable JobHost code so an operator can tell which (after `jobs.execute: `,
 * as kanade's internal errors start).
 */
export function failureFromSpawn(error: unknown): RpcError {
  if (!(error instanceof JobHostError)) return catalogFailure('InternalError', `jobs.execute: could not start the job: ${String(error)}`);
  return catalogFailure(error.code === 'ERR_QUEUE_FULL' ? 'RateLimit' : 'InternalError', `jobs.execute: ${error.code}: ${error.message}`);
}

/**
 * The current manifests. An invalid set is the host's misconfiguration: it is
 * reported to the host, and the client is told the problems (they name
 * manifests, not host internals).
 */
export async function currentManifests(core: CatalogCore, method: 'jobs.list' | 'jobs.execute'): Promise<readonly CatalogManifest[]> {
  try {
    return await core.manifests();
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    core.report(error);
    throw catalogFailure('InternalError', `${method}: the job catalog is misconfigured: ${error.message}`);
  }
}
