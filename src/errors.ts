/**
 * The one error type jobhost throws for a refusal or misuse.
 *
 * Expected outcomes of a job (timeout, cancel, non-zero exit) are events, not
 * exceptions; a `JobHostError` means "this request was refused and nothing
 * started". Callers branch on `code`, which never changes between releases.
 */

/** Every stable error code jobhost uses, with the situation it names. */
export const JOBHOST_ERROR_CODES = {
  ERR_INVALID_OPTIONS: 'JobHost options (or forOwner options) are invalid',
  ERR_BINARY_NOT_FOUND: 'an allow-listed binary cannot be found or is not executable',
  ERR_INVALID_REQUEST: 'the spawn request does not match the JobSpawnRequest contract',
  ERR_BINARY_NOT_ALLOWED: 'the binary is not a key of the allow-list',
  ERR_ARGS_REFUSED: 'the arguments break the argument policy',
  ERR_ENV_REFUSED: 'the environment breaks the env policy',
  ERR_CWD_OUTSIDE_ROOT: 'the working directory resolves outside the root',
  ERR_CWD_NOT_FOUND: 'the working directory does not exist or is not a directory',
  ERR_QUEUE_FULL: 'too many unfinished jobs for this owner or for the host',
  ERR_HOST_DISPOSED: 'the host has been disposed',
  ERR_ABORTED: 'the AbortSignal passed to spawn was already aborted',
  ERR_UNKNOWN_JOB: 'no job with this id is visible to this owner',
  ERR_INVALID_OWNER: 'the owner id is not a non-empty printable string',
} as const;

/** A stable jobhost error code. */
export type JobHostErrorCode = keyof typeof JOBHOST_ERROR_CODES;

const BRAND = Symbol.for('jobhost.JobHostError');

/** A refusal with a stable {@link JobHostErrorCode}; `details` carries machine-readable context. */
export class JobHostError extends Error {
  override readonly name = 'JobHostError';
  readonly code: JobHostErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly [BRAND] = true;

  constructor(code: JobHostErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...options.details });
  }
}

/** True for a `JobHostError`, even one thrown by another installed copy of jobhost. */
export function isJobHostError(error: unknown): error is JobHostError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** Quotes a value for an error message the way p-queue does: `` `0` (number) ``. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${shown}\` (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}
