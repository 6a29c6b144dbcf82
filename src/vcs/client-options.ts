/**
 * Options of `new VcsAdapterClient(…)`, their defaults, and the checks that
 * make a bad option fail at construction with its name and value.
 */
import { describeValue, JobHostError } from '../errors.js';
import { readOptions, type OptionsErrorFactory, type OptionsReader } from '../options/reader.js';
import { compileDenyList, HOST_ONLY_ENV, isDeniedEnv } from '../policy/env/index.js';
import type { JobHost } from '../host/job-host.js';
import type { CallConfig, VcsCallOptions } from './call.js';
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
  /**
   * Extra environment of every call (the adapter's config), sent in each
   * spawn request: the adapter's `BinaryPolicy.env` must name these variables
   * (a discovered policy names its manifest's `env` and `required_env`).
   * Host-only names (`PATH`, `HOME`, …) are refused here: see docs/vcs.md.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Names whose values are copied from this process's environment (when set)
   * into every call's request env, e.g. `['P4PORT', 'P4USER', 'P4CLIENT']`:
   * a variable passed through to one adapter without rebuilding the host's
   * base environment. `env` wins over it. The same policy rule applies as for
   * `env`. A discovered TA adapter sets it to its `required_env`.
   * @default []
   */
  readonly passEnv?: readonly string[];
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

/** One call's options, checked (unknown ones refused); `timeoutMs` defaults to the client's. */
export function readCallOptions(binary: string, options: unknown, defaultTimeoutMs: number): VcsCallOptions & { readonly timeoutMs: number } {
  return readOptions(
    options,
    { what: 'call options', error: vcsOptionsError(binary), aliases: { timeout: 'timeoutMs' } },
    (read) => {
      const signal = read.custom<AbortSignal>('signal', 'an AbortSignal', (value) => value instanceof AbortSignal);
      const cwd = read.string('cwd', undefined, true);
      return { timeoutMs: read.duration('timeoutMs', defaultTimeoutMs, { min: 1 }), ...(signal === undefined ? {} : { signal }), ...(cwd === undefined ? {} : { cwd }) };
    },
    true,
  );
}

/** `ERR_INVALID_OPTIONS` as a `VcsAdapterError` of `binary`. */
function vcsOptionsError(binary: string): OptionsErrorFactory {
  return (message, option, cause) => new VcsAdapterError('ERR_INVALID_OPTIONS', message, { adapter: binary, method: null, cause, details: { option } });
}

function isJobHost(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as JobHost).attach === 'function' && typeof (value as JobHost).forOwner === 'function';
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((arg) => typeof arg === 'string');
}

const HOST_ONLY = compileDenyList(HOST_ONLY_ENV);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isEnvMap(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}

/**
 * `passEnv` (from this process's environment) under `env`, checked: a
 * host-only name would be refused by the JobHost on every call, so it is
 * refused here, once, with what to do instead.
 */
function requestEnv(read: OptionsReader): Readonly<Record<string, string>> | undefined {
  const env = read.custom<Readonly<Record<string, string>>>('env', 'an object of strings', isEnvMap);
  const names = read.custom<readonly string[]>('passEnv', 'an array of variable names', (value) => Array.isArray(value) && value.every((name) => typeof name === 'string' && ENV_NAME.test(name))) ?? [];
  for (const [option, list] of [['env', Object.keys(env ?? {})], ['passEnv', names]] as const) {
    const hostOnly = list.find((name) => isDeniedEnv(name, HOST_ONLY));
    if (hostOnly !== undefined) {
      read.refuse(
        option,
        `\`${option}\` names ${JSON.stringify(hostOnly)}, which the JobHost never takes from a request (HOST_ONLY_ENV); give it to the adapter with discoverVcsAdapters({ hostEnv: { <adapter>: { ${hostOnly}: '…' } } }) or the host's base \`env\``,
      );
    }
  }
  const passed: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined) passed[name] = value;
  }
  const merged = { ...passed, ...env };
  return env === undefined && names.length === 0 ? undefined : merged;
}

/** Applies defaults and validates; throws `ERR_INVALID_OPTIONS` (unknown options too) or `ERR_VCS_POLICY`. */
export function resolveClientOptions(options: VcsAdapterClientOptions): ResolvedClientOptions {
  const binary = (options as Partial<VcsAdapterClientOptions> | undefined)?.binary;
  if (typeof binary !== 'string') throw vcsOptionsError(String(binary))(`Expected \`binary\` to be an allow-list name, got ${describeValue(binary)}`, 'binary');
  return readOptions(options, { what: 'VcsAdapterClient options', error: vcsOptionsError(binary), aliases: { timeout: 'timeoutMs', version: 'hostVersion' } }, (read) => {
    // a discovered VcsAdapterSpec is spread in whole: its other fields are known, and unused
    read.allow('binary', 'name', 'file', 'source', 'policy', 'requiredEnv', 'manifest');
    const host = read.custom<JobHost>('host', 'a JobHost', isJobHost) ?? read.fail('host', 'a JobHost', undefined);
    const owner = read.raw('owner') as string;
    try {
      host.forOwner(owner, { bufferEvents: false });
    } catch (error) {
      if (!(error instanceof JobHostError)) throw error;
      read.refuse('owner', `Expected \`owner\` to be a valid owner id: ${error.message}`, error);
    }
    if (!host.binaries.has(binary)) {
      const allowed = [...host.binaries.keys()].join(', ') || 'none';
      throw new VcsAdapterError('ERR_VCS_POLICY', `VCS adapter "${binary}" is not in the host's allow-list (allowed: ${allowed}); the host application must add it to \`binaries\``, {
        adapter: binary,
        method: null,
      });
    }
    const args = read.custom<readonly string[]>('args', 'an array of strings', isStringArray) ?? [];
    const env = requestEnv(read);
    return {
      host,
      owner,
      binary,
      args: [...args],
      cwd: read.string('cwd', undefined, true),
      env,
      timeoutMs: read.duration('timeoutMs', 30_000, { min: 1 }),
      maxResponseBytes: read.bytes('maxResponseBytes', 4 * 1024 * 1024),
      stderrTailChars: read.integer('stderrTailChars', 4096, { min: 0 }),
      hostVersion: read.string('hostVersion', '0.0.0', true),
      lenientLists: read.boolean('lenientLists', false),
      onLenientFailure: read.callback<(error: VcsAdapterError) => void>('onLenientFailure'),
    };
  });
}
