/**
 * JobHost options: what a host application configures, with defaults, and the
 * validation that makes a bad option fail at construction with its name and value.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { readOptions, type OptionsReader } from '../options/reader.js';
import type { BinaryPolicy } from '../policy/binaries.js';
import { DENIED_ENV, HOST_ONLY_ENV, checkBaseEnv, compileDenyList, defaultBaseEnv, type EnvDenyList } from '../policy/env/index.js';
import { OVERFLOW_POLICIES, type OverflowPolicy } from './output-flow.js';

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
   * sets `NODE_OPTIONS`, `LD_PRELOAD`, `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_*`/
   * `GIT_CONFIG_PARAMETERS` or `BASH_ENV` is refused (`GIT_CONFIG_GLOBAL` and
   * `GIT_CONFIG_SYSTEM` are host-only names, allowed here).
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
  /** What a full owner buffer does, for owners that do not choose (`forOwner`'s `overflow`). @default 'auto' */
  readonly overflow?: OverflowPolicy;
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
  readonly overflow: OverflowPolicy;
  readonly keepFinished: number;
  readonly keepFinishedMs: number;
  readonly keepFinishedBytes: number;
  readonly stateDir: string | null;
}

function realRoot(read: OptionsReader): string {
  const root = read.raw('root');
  if (typeof root !== 'string' || !isAbsolute(root)) read.fail('root', 'an absolute path', root);
  try {
    const real = realpathSync(root);
    if (statSync(real).isDirectory()) return real;
  } catch (cause) {
    read.fail('root', 'an existing directory', root, cause);
  }
  return read.fail('root', 'a directory', root);
}

function isAbsolutePath(value: unknown): boolean {
  return typeof value === 'string' && isAbsolute(value);
}

function isDenyList(value: unknown): boolean {
  return Array.isArray(value) && value.every((pattern) => typeof pattern === 'string' && /^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(pattern));
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Misnamed options that are not misspellings. */
const ALIASES: Readonly<Record<string, string>> = {
  timeout: 'defaultTimeoutSecs',
  timeoutSecs: 'defaultTimeoutSecs',
  concurrency: 'maxConcurrent',
  cwd: 'root',
  allow: 'binaries',
  allowList: 'binaries',
};

/** Applies defaults and validates; throws `ERR_INVALID_OPTIONS` naming the option (unknown ones included). */
export function resolveOptions(options: JobHostOptions): ResolvedOptions {
  return readOptions(options, { what: 'JobHost options', aliases: ALIASES }, (read) => {
    // checked here for its shape; each policy is compiled (and checked field by field) by resolveBinaries
    if (read.custom('binaries', 'an object of binary policies', isObject) === undefined) read.fail('binaries', 'an object of binary policies', undefined);
    const buffer = read.nested('buffer');
    const resolved: ResolvedOptions = {
      root: realRoot(read),
      defaultTimeoutSecs: read.integer('defaultTimeoutSecs', 600, { min: 1 }),
      killGraceMs: read.duration('killGraceMs', 2000),
      maxConcurrent: read.integer('maxConcurrent', 4, { min: 1 }),
      maxJobsPerOwner: read.integer('maxJobsPerOwner', 64, { min: 1 }),
      maxJobs: read.integer('maxJobs', 256, { min: 1 }),
      env: checkBaseEnv(read.raw('env') ?? defaultBaseEnv(process.env), compileDenyList(DENIED_ENV)),
      requestDeny: compileDenyList([...DENIED_ENV, ...HOST_ONLY_ENV, ...(read.custom<string[]>('denyEnv', 'an array of variable names or `PREFIX*` patterns', isDenyList) ?? [])]),
      searchPath: read.string('searchPath', process.env.PATH ?? '', true),
      maxArgs: read.integer('maxArgs', 4096, { min: 0 }),
      maxArgsBytes: read.bytes('maxArgsBytes', 1_048_576, 0),
      maxEnvBytes: read.bytes('maxEnvBytes', 65_536, 0),
      maxLineBytes: read.bytes('maxLineBytes', 65_536, 16),
      outputTailBytes: read.bytes('outputTailBytes', 4096, 0),
      buffer: {
        maxEvents: buffer.integer('maxEvents', 10_000, { min: 16 }),
        maxBytes: buffer.bytes('maxBytes', 8 * 1024 * 1024, 4096),
      },
      overflow: read.oneOf('overflow', OVERFLOW_POLICIES, 'auto'),
      keepFinished: read.integer('keepFinished', 1000, { min: 0 }),
      keepFinishedMs: read.duration('keepFinishedMs', 600_000, { max: Number.POSITIVE_INFINITY }),
      keepFinishedBytes: read.bytes('keepFinishedBytes', 1024 * 1024, 0),
      stateDir: read.custom<string>('stateDir', 'an absolute path', isAbsolutePath) ?? null,
    };
    buffer.done();
    return resolved;
  });
}
