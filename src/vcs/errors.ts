/**
 * The one error type of the VCS adapter client and discovery.
 *
 * A VCS call has many ways to go wrong, and a host reacts differently to
 * them: an adapter that said "no" (a protected branch, nothing to commit) is
 * a decision to show the user; a timeout may be retried; garbage on stdout is
 * a broken adapter to report to its author. So every failure kind gets its
 * own stable `code`, and the adapter's own words, when it sent any, are kept
 * apart in `adapterMessage`.
 */

/** Every stable VCS error code, with the situation it names. */
export const VCS_ADAPTER_ERROR_CODES = {
  ERR_VCS_ADAPTER_ERROR: 'the adapter answered {"ok":false,"error":…} and exited 0; the message is the adapter\'s',
  ERR_VCS_ADAPTER_EXIT: 'the adapter exited non-zero and its first stdout line was an error envelope; the message is the adapter\'s',
  ERR_VCS_EXIT: 'the adapter exited non-zero without an error envelope on stdout; the message ends with the tail of its stderr',
  ERR_VCS_NO_OUTPUT: 'the adapter exited 0 but its first stdout line was missing or empty',
  ERR_VCS_MALFORMED_RESPONSE: 'the first stdout line is not JSON, or not a {"ok":…} response envelope',
  ERR_VCS_INVALID_RESULT: 'the adapter answered ok:true but the result does not match the method\'s schema (issue paths in the message)',
  ERR_VCS_RESPONSE_TOO_LARGE: 'the first stdout line grew past maxResponseBytes; the adapter was killed',
  ERR_VCS_PROTOCOL_VERSION: 'the handshake reported a protocol version other than the one this host speaks',
  ERR_VCS_UNSUPPORTED: 'the method is optional and the adapter did not list it in its handshake capabilities; nothing was spawned',
  ERR_VCS_INVALID_PARAMS: 'the params given to the client do not match the method\'s schema; nothing was spawned',
  ERR_VCS_TIMEOUT: 'the call did not finish within its timeout; the adapter\'s process group was killed',
  ERR_VCS_ABORTED: 'the caller\'s AbortSignal fired; the adapter\'s process group was killed (or it never started)',
  ERR_VCS_CANCELLED: 'the job was cancelled by someone else (host disposed, cancelAll); the reason is in the message',
  ERR_VCS_CRASHED: 'the adapter was killed by a signal',
  ERR_VCS_SPAWN_FAILED: 'the adapter could not be started (missing file, not executable, ETXTBSY after retries)',
  ERR_VCS_POLICY: 'the JobHost refused the request (not allow-listed, cwd, env, queue full, disposed); `cause` is the JobHostError',
  ERR_VCS_INVALID_OPTIONS: 'client or discovery options are invalid',
  ERR_VCS_MANIFEST: 'an adapter manifest file is unreadable or invalid, or two adapters claim the same name',
} as const;

/** A stable VCS error code. */
export type VcsAdapterErrorCode = keyof typeof VCS_ADAPTER_ERROR_CODES;

/** Context a {@link VcsAdapterError} carries besides its code and message. */
export interface VcsAdapterErrorContext {
  /** Allow-list name of the adapter binary (or the manifest file for `ERR_VCS_MANIFEST`). */
  readonly adapter: string;
  /** Wire method name, or `null` when the failure is not about a call. */
  readonly method: string | null;
  readonly cause?: unknown;
  readonly jobId?: string | null;
  readonly exitCode?: number | null;
  readonly stderr?: string;
  readonly adapterMessage?: string | null;
  readonly details?: Record<string, unknown>;
}

const BRAND = Symbol.for('jobhost.VcsAdapterError');

/** A failed VCS adapter call (or discovery); branch on `code`, show `message`. */
export class VcsAdapterError extends Error {
  override readonly name = 'VcsAdapterError';
  readonly code: VcsAdapterErrorCode;
  /** Allow-list name of the adapter binary. */
  readonly adapter: string;
  /** Wire method name (`commit`, `handshake`, …), or `null`. */
  readonly method: string | null;
  /** The JobHost job that ran the call, when one was started: its events are in the owner's stream. */
  readonly jobId: string | null;
  /** The process's exit code when it exited on its own; `null` otherwise. */
  readonly exitCode: number | null;
  /** The last few KiB of the adapter's stderr (empty when it wrote none or never ran). */
  readonly stderr: string;
  /** The adapter's own error text from its `{"ok":false,"error":…}` envelope, when it sent one. */
  readonly adapterMessage: string | null;
  /** Machine-readable extras: protocol versions, zod issues, the cancel reason, … */
  readonly details: Readonly<Record<string, unknown>>;
  readonly [BRAND] = true;

  constructor(code: VcsAdapterErrorCode, message: string, context: VcsAdapterErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.adapter = context.adapter;
    this.method = context.method;
    this.jobId = context.jobId ?? null;
    this.exitCode = context.exitCode ?? null;
    this.stderr = context.stderr ?? '';
    this.adapterMessage = context.adapterMessage ?? null;
    this.details = Object.freeze({ ...context.details });
  }
}

/** An abort or cancel reason as text: an Error's message, a string as is, anything else as JSON. */
export function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  try {
    return JSON.stringify(reason) ?? 'no reason given';
  } catch {
    return 'an unprintable reason';
  }
}

/** True for a `VcsAdapterError`, even one thrown by another installed copy of jobhost. */
export function isVcsAdapterError(error: unknown): error is VcsAdapterError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
