/**
 * Host-side errors of the catalog: a bad manifest set, a socket path that is
 * in use or is not a socket. They are thrown to the host application (never
 * sent to a client, which gets a JSON-RPC error instead) and carry a stable
 * `code` to branch on, like `JobHostError`.
 */

import type { CatalogErrorCode } from '../error-codes.js';
import { JobhostError } from '../errors.js';
import type { OptionsErrorFactory } from '../options/reader.js';

export { CATALOG_HOST_ERROR_CODES } from '../error-codes.js';
export type { CatalogErrorCode } from '../error-codes.js';

/** One problem found in a manifest set: which manifest, where in it, and what. */
export interface ManifestProblem {
  /** Position in the list, or `-1` when the whole document is wrong. */
  readonly index: number;
  /** The manifest's `id` when it had a string one, to find it in a large file. */
  readonly id?: string;
  /** Dotted path inside the manifest (`args.2`), `''` for the manifest itself. */
  readonly path: string;
  readonly message: string;
}

/** A catalog refusal with a stable {@link CatalogErrorCode}. */
export class CatalogError extends JobhostError<CatalogErrorCode> {
  static override readonly kind: string = 'CatalogError';
  /** For `ERR_CATALOG_MANIFEST`: every problem, not only the first. */
  readonly problems: readonly ManifestProblem[];

  constructor(code: CatalogErrorCode, message: string, options: { cause?: unknown; problems?: readonly ManifestProblem[]; details?: Record<string, unknown> } = {}) {
    super(code, message, { ...(options.cause === undefined ? {} : { cause: options.cause }), ...(options.details === undefined ? {} : { details: options.details }) });
    this.problems = Object.freeze([...(options.problems ?? [])]);
  }
}

/** Bad catalog, server or client options: a `CatalogError` with `ERR_INVALID_OPTIONS`. */
export const catalogOptionsError: OptionsErrorFactory = (message, option, cause) =>
  new CatalogError('ERR_INVALID_OPTIONS', message, { details: { option }, ...(cause === undefined ? {} : { cause }) });
