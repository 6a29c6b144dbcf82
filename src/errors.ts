/**
 * One error model for all of jobhost.
 *
 * Every error jobhost throws or rejects with is a {@link JobhostError}: an
 * `Error` with a stable `code` from one union ({@link JobhostErrorCode}, the
 * tables in `error-codes.ts`), a `cause` for the underlying error, and
 * `details` for machine-readable context. Each area has its own subclass
 * (`JobHostError` for the host and its policy, `RpcPluginError`,
 * `VcsAdapterError`, `CatalogError`, `WireDecodeError`,
 * `TaskNotificationError`), so a caller can branch on the class, the code, or
 * both, with one function: `isJobhostError(error, code?)`.
 *
 * Two installed copies of jobhost (a plugin bundling its own) must agree on
 * what their errors are, so `instanceof` does not rely on prototypes: every
 * instance carries a registry-wide brand and the names of its classes, and
 * each class's `Symbol.hasInstance` reads those.
 *
 * Expected outcomes of a job (timeout, cancel, non-zero exit) are events,
 * not exceptions.
 */
import type { JobHostErrorCode, JobhostErrorCode } from './error-codes.js';

export { JOBHOST_ERROR_CODES } from './error-codes.js';
export type { JobHostErrorCode, JobhostErrorCode } from './error-codes.js';

const BRAND = Symbol.for('jobhost.error');
const KINDS = Symbol.for('jobhost.error.kinds');

/** Options every jobhost error takes. */
export interface JobhostErrorOptions {
  readonly cause?: unknown;
  readonly details?: Record<string, unknown>;
}

/** The base of every jobhost error; see the module comment. */
export class JobhostError<C extends JobhostErrorCode = JobhostErrorCode> extends Error {
  /** The name `instanceof` checks across copies; each subclass sets its own. */
  static readonly kind: string = 'JobhostError';
  override name = 'JobhostError';
  readonly code: C;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: C, message: string, options: JobhostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = Object.freeze({ ...options.details });
    const kinds: string[] = [];
    for (let type: unknown = new.target; typeof type === 'function' && type !== Error; type = Object.getPrototypeOf(type)) {
      const kind = (type as { kind?: unknown }).kind;
      if (typeof kind === 'string' && !kinds.includes(kind)) kinds.push(kind);
    }
    this.name = kinds[0] ?? 'JobhostError';
    Object.defineProperty(this, BRAND, { value: true });
    Object.defineProperty(this, KINDS, { value: Object.freeze(kinds) });
  }

  /** `error instanceof VcsAdapterError` holds for an error of another installed copy of jobhost too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) return false;
    const kinds = (value as Record<symbol, unknown>)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }
}

/**
 * True for any jobhost error (of any installed copy), or, with `code`, for
 * one with that code: `isJobhostError(error, 'ERR_QUEUE_FULL')`.
 */
export function isJobhostError<C extends JobhostErrorCode>(error: unknown, code?: C): error is JobhostError<C> {
  return error instanceof JobhostError && (code === undefined || error.code === code);
}

/** A refusal or misuse of the JobHost: nothing started, no id was minted. */
export class JobHostError extends JobhostError<JobHostErrorCode> {
  static override readonly kind: string = 'JobHostError';
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
