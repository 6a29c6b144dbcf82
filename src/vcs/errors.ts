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

import type { VcsAdapterErrorCode } from '../error-codes.js';
import { JobhostError } from '../errors.js';

export { VCS_ADAPTER_ERROR_CODES } from '../error-codes.js';
export type { VcsAdapterErrorCode } from '../error-codes.js';

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

/** A failed VCS adapter call (or discovery); branch on `code`, show `message`. */
export class VcsAdapterError extends JobhostError<VcsAdapterErrorCode> {
  static override readonly kind: string = 'VcsAdapterError';
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
  constructor(code: VcsAdapterErrorCode, message: string, context: VcsAdapterErrorContext) {
    // details: machine-readable extras (protocol versions, zod issues, the cancel reason, …)
    super(code, message, { ...(context.cause === undefined ? {} : { cause: context.cause }), ...(context.details === undefined ? {} : { details: context.details }) });
    this.adapter = context.adapter;
    this.method = context.method;
    this.jobId = context.jobId ?? null;
    this.exitCode = context.exitCode ?? null;
    this.stderr = context.stderr ?? '';
    this.adapterMessage = context.adapterMessage ?? null;
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

