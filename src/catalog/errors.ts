/**
 * Host-side errors of the catalog: a bad manifest set, a socket path that is
 * in use or is not a socket. They are thrown to the host application (never
 * sent to a client, which gets a JSON-RPC error instead) and carry a stable
 * `code` to branch on, like `JobHostError`.
 */

/** Every stable code a {@link CatalogError} can carry, with what it means. */
export const CATALOG_HOST_ERROR_CODES = {
  ERR_CATALOG_MANIFEST: 'one or more job manifests are invalid (every problem is listed in `problems`)',
  ERR_SOCKET_IN_USE: 'another process is listening on the socket path',
  ERR_SOCKET_PATH: 'the socket path exists and is not a socket, so it is left alone',
  ERR_CATALOG_CLOSED: 'the catalog or its server is closed and accepts no new connections',
} as const;

/** A stable catalog error code. */
export type CatalogErrorCode = keyof typeof CATALOG_HOST_ERROR_CODES;

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

const BRAND = Symbol.for('jobhost.CatalogError');

/** A catalog refusal with a stable {@link CatalogErrorCode}. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly code: CatalogErrorCode;
  /** For `ERR_CATALOG_MANIFEST`: every problem, not only the first. */
  readonly problems: readonly ManifestProblem[];
  readonly [BRAND] = true;

  constructor(code: CatalogErrorCode, message: string, options: { cause?: unknown; problems?: readonly ManifestProblem[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.problems = Object.freeze([...(options.problems ?? [])]);
  }
}

/** True for a `CatalogError`, even one thrown by another installed copy of jobhost. */
export function isCatalogError(error: unknown): error is CatalogError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
