/**
 * One protocol call, start to finish: validate the params, refuse early when
 * the caller already gave up, run the adapter, judge what it did.
 */
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { VCS_METHODS, type VcsMethod, type VcsResult } from '../contracts/vcs-methods.js';
import { describeReason, VcsAdapterError } from './errors.js';
import { interpretOutcome } from './interpret.js';
import { assertAbsolutePaths } from './paths.js';
import { runAdapter, type CallConfig } from './run-adapter.js';

export type { CallConfig } from './run-adapter.js';

/** Per-call options of every client method. */
export interface VcsCallOptions {
  /** Milliseconds this call's adapter process may take; then its process group is killed. @default the client's `timeoutMs` */
  readonly timeoutMs?: number;
  /** Aborts the call: a running adapter is killed, a pending one never starts. */
  readonly signal?: AbortSignal;
  /** Working directory of this call's process (inside the host root). @default the client's `cwd` */
  readonly cwd?: string;
}

/** The error for a call whose signal fired before or while it waited. */
export function abortedError(config: CallConfig, method: string, signal: AbortSignal): VcsAdapterError {
  return new VcsAdapterError('ERR_VCS_ABORTED', `VCS adapter "${config.binary}" (${method}) was aborted before its process started: ${describeReason(signal.reason)}`, {
    adapter: config.binary,
    method,
    cause: signal.reason,
  });
}

/** Runs `method` once (no handshake) and returns its validated result; path params must be absolute. */
export async function callAdapter<M extends VcsMethod>(config: CallConfig, method: M, params: unknown, options: VcsCallOptions = {}): Promise<VcsResult<M>> {
  const schema = VCS_METHODS[method].params;
  const checked = schema === null ? { success: true as const, data: {} } : safeParseWire(schema, params);
  if (!checked.success) {
    throw new VcsAdapterError('ERR_VCS_INVALID_PARAMS', `invalid params for ${method}: ${describeIssues(checked.error)}`, {
      adapter: config.binary,
      method,
      cause: checked.error,
    });
  }
  assertAbsolutePaths(config, method, checked.data, options.cwd);
  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  if (options.signal?.aborted === true) throw abortedError(config, method, options.signal);
  const outcome = await runAdapter({
    ...config,
    cwd: options.cwd ?? config.cwd,
    timeoutMs,
    method,
    requestLine: JSON.stringify({ method, params: checked.data }),
    signal: options.signal,
  });
  return interpretOutcome(method, config.binary, outcome, { timeoutMs, maxResponseBytes: config.maxResponseBytes });
}
