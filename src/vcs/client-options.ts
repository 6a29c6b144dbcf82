/**
 * Options of `new VcsAdapterClient(…)`, their defaults, and the checks that
 * make a bad option fail at construction with its name and value.
 */
import { describeValue, JobHostError } from '../errors.js';
import type { JobHost } from '../host/job-host.js';
import type { CallConfig } from './call.js';
import { VcsAdapterError } from './errors.js';

/** Options of {@link VcsAdapterClient}. A discovered `VcsAdapterSpec` can be spread in: `{ host, owner, ...spec }`. */
export interface VcsAdapterClientOptions {
  /** The host whose allow-list, policy and scheduler every adapter process goes through. */
  readonly host: JobHost;
  /**
   * Owner the adapter jobs are filed under (they appear in its job list and
   * events). Created push-only (`bufferEvents: false`) unless the host
   * application created it first, so a client nobody drains holds no events.
   */
  readonly owner: string;
  /** Allow-list name of the adapter, e.g. `jobhost-vcs-git`. Must already be in the host's `binaries`. */
  readonly binary: string;
  /** Fixed arguments of every adapter process (a manifest's `args`). @default [] */
  readonly args?: readonly string[];
  /** Working directory of the adapter processes, inside the host root: the workspace. @default the host root */
  readonly cwd?: string;
  /** Extra environment of every call (the adapter's config); the host's env policy applies. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Per-call timeout in milliseconds (TA: 30 s, 60 s for Perforce). @default 30_000 */
  readonly timeoutMs?: number;
  /** Sent as `ta_version` in the handshake: the host application's own version. @default "0.0.0" */
  readonly hostVersion?: string;
  /** Longest first stdout line accepted; a longer one kills the adapter. @default 4 MiB */
  readonly maxResponseBytes?: number;
  /** How much of the end of stderr errors keep, in UTF-16 units. @default 4096 */
  readonly stderrTailChars?: number;
  /**
   * TA's leniency: `excludePatterns()` and `protectedTargets()` resolve to an
   * empty list instead of throwing (an abort still throws). Note that an empty
   * protected list protects nothing. @default false
   */
  readonly lenientLists?: boolean;
  /** Told about every error that `lenientLists` turned into an empty list. */
  readonly onLenientFailure?: (error: VcsAdapterError) => void;
}

/** Options after defaults and checks. */
export interface ResolvedClientOptions extends CallConfig {
  readonly hostVersion: string;
  readonly lenientLists: boolean;
  readonly onLenientFailure: ((error: VcsAdapterError) => void) | undefined;
}

/** Largest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2_147_483_647;

function invalid(binary: string, message: string, cause?: unknown): VcsAdapterError {
  return new VcsAdapterError('ERR_INVALID_OPTIONS', message, { adapter: binary, method: null, cause });
}

/** Throws `ERR_INVALID_OPTIONS` unless `value` is an integer in `[min, max]`. */
export function checkInteger(binary: string, name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(binary, `Expected \`${name}\` to be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}

/** The timeout check shared by the client and each call. */
export function checkTimeout(binary: string, name: string, value: number | undefined, fallback: number): number {
  return checkInteger(binary, name, value, fallback, 1, MAX_TIMER_MS);
}

/** Applies defaults and validates; throws `ERR_INVALID_OPTIONS` or `ERR_VCS_POLICY`. */
export function resolveClientOptions(options: VcsAdapterClientOptions): ResolvedClientOptions {
  const { host, owner, binary } = options;
  if (typeof binary !== 'string') throw invalid(String(binary), `Expected \`binary\` to be an allow-list name, got ${describeValue(binary)}`);
  if (typeof host !== 'object' || host === null || typeof host.attach !== 'function') {
    throw invalid(binary, `Expected \`host\` to be a JobHost, got ${describeValue(host)}`);
  }
  try {
    host.forOwner(owner, { bufferEvents: false });
  } catch (error) {
    if (!(error instanceof JobHostError)) throw error;
    throw invalid(binary, `Expected \`owner\` to be a valid owner id: ${error.message}`, error);
  }
  if (!host.binaries.has(binary)) {
    const allowed = [...host.binaries.keys()].join(', ') || 'none';
    throw new VcsAdapterError('ERR_VCS_POLICY', `VCS adapter "${binary}" is not in the host's allow-list (allowed: ${allowed}); the host application must add it to \`binaries\``, {
      adapter: binary,
      method: null,
    });
  }
  const args = options.args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    throw invalid(binary, `Expected \`args\` to be an array of strings, got ${describeValue(args)}`);
  }
  if (options.hostVersion !== undefined && typeof options.hostVersion !== 'string') {
    throw invalid(binary, `Expected \`hostVersion\` to be a string, got ${describeValue(options.hostVersion)}`);
  }
  return {
    host,
    owner,
    binary,
    args: [...args],
    cwd: options.cwd,
    env: options.env === undefined ? undefined : { ...options.env },
    timeoutMs: checkTimeout(binary, 'timeoutMs', options.timeoutMs, 30_000),
    maxResponseBytes: checkInteger(binary, 'maxResponseBytes', options.maxResponseBytes, 4 * 1024 * 1024, 1),
    stderrTailChars: checkInteger(binary, 'stderrTailChars', options.stderrTailChars, 4096, 0),
    hostVersion: options.hostVersion ?? '0.0.0',
    lenientLists: options.lenientLists ?? false,
    onLenientFailure: options.onLenientFailure,
  };
}
