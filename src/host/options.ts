/**
 * JobHost options: what a host application configures, with defaults, and the
 * validation that makes a bad option fail at construction with its name and value.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { JobHostError, describeValue } from '../errors.js';
import type { BinaryPolicy } from '../policy/binaries.js';
import { DENIED_ENV, HOST_ONLY_ENV, checkBaseEnv, compileDenyList, defaultBaseEnv, type EnvDenyList } from '../policy/env/index.js';

/** Options of `new JobHost(options)`. */
export interface JobHostOptions {
  /** Directory every job runs in or below; a request's `cwd` of `''` or `null` means this. */
  readonly root: string;
  /** The allow-list: bare binary names and how each may be used. */
  readonly binaries: Readonly<Record<string, BinaryPolicy>>;
  /** Timeout for requests with `timeout_secs: 0`. @default 600 */
  readonly defaultTimeoutSecs?: number;
  /** Time between SIGTERM and SIGKILL to a job's process group. @default 2000 */
  readonly killGraceMs?: number;
  /** Jobs running at once; the rest wait as Pending in FIFO order. @default 4 */
  readonly maxConcurrent?: number;
  /** Unfinished (pending or running) jobs one owner may have. @default 64 */
  readonly maxJobsPerOwner?: number;
  /** Unfinished jobs across all owners. @default 256 */
  readonly maxJobs?: number;
  /**
   * Base environment of every job. Checked against the deny list: a base that
   * sets `NODE_OPTIONS`, `LD_PRELOAD` or `GIT_CONFIG_*` is refused.
   * @default PATH, HOME, USER, LOGNAME, LANG, LANGUAGE, LC_ALL, LC_CTYPE, LC_MESSAGES, TZ, TMPDIR, TERM from process.env
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra names (or `PREFIX*`) a request may not set, on top of the built-in deny list. @default [] */
  readonly denyEnv?: readonly string[];
  /** PATH used once, at construction, to resolve binaries without a `path`. @default process.env.PATH */
  readonly searchPath?: string;
  /** @default 4096 */
  readonly maxArgs?: number;
  /** @default 1_048_576 */
  readonly maxArgsBytes?: number;
  /** Bytes of env a request may add. @default 65_536 */
  readonly maxEnvBytes?: number;
  /** Longer output lines are split into several `job_log_line` events. @default 65_536 */
  readonly maxLineBytes?: number;
  /** Size of `job_completed.output_tail`. @default 4096 */
  readonly outputTailBytes?: number;
  /** Per-owner event buffer caps. @default { maxEvents: 10_000, maxBytes: 8 MiB } */
  readonly buffer?: { readonly maxEvents?: number; readonly maxBytes?: number };
  /** Finished jobs whose status is kept, per owner. @default 1000 */
  readonly keepFinished?: number;
  /** How long a finished job's status is kept. @default 600_000 (10 minutes) */
  readonly keepFinishedMs?: number;
  /** Bytes (estimated: label, terminal event, record) of finished jobs kept per owner; the oldest go first. @default 1 MiB */
  readonly keepFinishedBytes?: number;
  /**
   * A directory where the host records its live process groups, so that the
   * next host started with the same directory kills what this one left
   * behind if it and its watchdog were both killed (reported in
   * `host.containment.swept`). Created if missing (mode 0700).
   * @default none: no records, no sweep
   */
  readonly stateDir?: string;
}

/** Options with every default applied and every value checked. */
export interface ResolvedOptions {
  readonly root: string;
  readonly defaultTimeoutSecs: number;
  readonly killGraceMs: number;
  readonly maxConcurrent: number;
  readonly maxJobsPerOwner: number;
  readonly maxJobs: number;
  readonly env: Readonly<Record<string, string>>;
  /** What a request may never set: the deny list, the host-only names, `denyEnv`. */
  readonly requestDeny: EnvDenyList;
  readonly searchPath: string;
  readonly maxArgs: number;
  readonly maxArgsBytes: number;
  readonly maxEnvBytes: number;
  readonly maxLineBytes: number;
  readonly outputTailBytes: number;
  readonly buffer: { readonly maxEvents: number; readonly maxBytes: number };
  readonly keepFinished: number;
  readonly keepFinishedMs: number;
  readonly keepFinishedBytes: number;
  readonly stateDir: string | null;
}

function integer(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`${name}\` to be an integer from ${min} and up, got ${describeValue(value)}`);
  }
  return value;
}

function realRoot(root: unknown): string {
  if (typeof root !== 'string' || !isAbsolute(root)) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`root\` to be an absolute path, got ${describeValue(root)}`);
  }
  try {
    const real = realpathSync(root);
    if (statSync(real).isDirectory()) return real;
  } catch (cause) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`root\` to be an existing directory, got ${describeValue(root)}`, { cause });
  }
  throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`root\` to be a directory, got ${describeValue(root)}`);
}

function stateDirOption(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !isAbsolute(value)) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`stateDir\` to be an absolute path, got ${describeValue(value)}`, { details: { option: 'stateDir' } });
  }
  return value;
}

function denyEnvOption(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((pattern) => typeof pattern === 'string' && /^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(pattern))) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`denyEnv\` to be an array of variable names or \`PREFIX*\` patterns, got ${describeValue(value)}`, { details: { option: 'denyEnv' } });
  }
  return value as string[];
}

/** Applies defaults and validates; throws `ERR_INVALID_OPTIONS` naming the option. */
export function resolveOptions(options: JobHostOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected JobHost options to be an object, got ${describeValue(options)}`);
  }
  if (typeof options.binaries !== 'object' || options.binaries === null) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries\` to be an object, got ${describeValue(options.binaries)}`);
  }
  return {
    root: realRoot(options.root),
    defaultTimeoutSecs: integer('defaultTimeoutSecs', options.defaultTimeoutSecs, 600, 1),
    killGraceMs: integer('killGraceMs', options.killGraceMs, 2000, 0),
    maxConcurrent: integer('maxConcurrent', options.maxConcurrent, 4, 1),
    maxJobsPerOwner: integer('maxJobsPerOwner', options.maxJobsPerOwner, 64, 1),
    maxJobs: integer('maxJobs', options.maxJobs, 256, 1),
    env: checkBaseEnv(options.env ?? defaultBaseEnv(process.env), compileDenyList(DENIED_ENV)),
    requestDeny: compileDenyList([...DENIED_ENV, ...HOST_ONLY_ENV, ...denyEnvOption(options.denyEnv)]),
    searchPath: options.searchPath ?? process.env.PATH ?? '',
    maxArgs: integer('maxArgs', options.maxArgs, 4096, 0),
    maxArgsBytes: integer('maxArgsBytes', options.maxArgsBytes, 1_048_576, 0),
    maxEnvBytes: integer('maxEnvBytes', options.maxEnvBytes, 65_536, 0),
    maxLineBytes: integer('maxLineBytes', options.maxLineBytes, 65_536, 16),
    outputTailBytes: integer('outputTailBytes', options.outputTailBytes, 4096, 0),
    buffer: {
      maxEvents: integer('buffer.maxEvents', options.buffer?.maxEvents, 10_000, 16),
      maxBytes: integer('buffer.maxBytes', options.buffer?.maxBytes, 8 * 1024 * 1024, 4096),
    },
    keepFinished: integer('keepFinished', options.keepFinished, 1000, 0),
    keepFinishedMs: integer('keepFinishedMs', options.keepFinishedMs, 600_000, 0),
    keepFinishedBytes: integer('keepFinishedBytes', options.keepFinishedBytes, 1024 * 1024, 0),
    stateDir: stateDirOption(options.stateDir),
  };
}
