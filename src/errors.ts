/**
 * The one error type jobhost throws for a refusal or misuse.
 *
 * Expected outcomes of a job (timeout, cancel, non-zero exit) are events, not
 * exceptions; a `JobHostError` means "this request was refused and nothing
 * started". Callers branch on `code`, which never changes between releases.
 */

/** Every stable error code jobhost uses, with the situation it names. */
export const JOBHOST_ERROR_CODES = {
  ERR_INVALID_OPTIONS: 'JobHost options (or forOwner or spawn options) are invalid',
  ERR_BINARY_NOT_FOUND: 'an allow-listed binary cannot be found or is not executable',
  ERR_BINARY_DISPATCHER: 'an allow-listed binary is a dispatcher (a version-manager shim) that picks what runs from the environment or the working directory',
  ERR_CONTAINMENT_UNAVAILABLE: 'a containment tier or resource limit a binary asks for is not available on this machine (bwrap, prlimit)',
  ERR_BINARY_UNSUPPORTED: "an allow-listed binary cannot serve its profile (git older than the profile's defences need)",
  ERR_BINARY_CHANGED: 'an allow-listed binary does not match its pinned sha256, or was replaced or modified on disk since construction',
  ERR_INVALID_REQUEST: 'the spawn request does not match the JobSpawnRequest contract',
  ERR_BINARY_NOT_ALLOWED: 'the binary is not a key of the allow-list',
  ERR_ARGS_REFUSED: 'the arguments break the argument policy',
  ERR_ENV_REFUSED: 'the environment breaks the env policy',
  ERR_CWD_OUTSIDE_ROOT: 'the working directory resolves outside the root',
  ERR_CWD_NOT_FOUND: 'the working directory does not exist or is not a directory',
  ERR_UNTRUSTED_REPOSITORY: 'the repository a profile would open leads outside the root, is a bare repository found by discovery, or reads config from outside the root',
  ERR_QUEUE_FULL: 'too many unfinished jobs for this owner or for the host',
  ERR_EVENTS_UNDRAINED: "the owner's event buffer is full of lifecycle events it has not drained",
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

/** Longest stretch of a caller's or plugin's text that an error message quotes. */
export const QUOTED_CHARS = 80;

/**
 * A plugin's string in double quotes, cut to `max` characters: a refusal must
 * not cost (or carry) as much as the hostile input it refuses.
 */
export function quote(text: string, max = QUOTED_CHARS): string {
  return text.length > max ? `${JSON.stringify(text.slice(0, max).toWellFormed()).slice(0, -1)}…"` : JSON.stringify(text);
}

/** Quotes a value for an error message the way p-queue does: `` `0` (number) ``. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? quote(value, 77) : String(value);
  } catch {
    // a Symbol converts, a null-prototype object or a throwing toString does not
    text = Object.prototype.toString.call(value);
  }
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${shown}\` (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}
