/**
 * The allow-list: which binaries a plugin may name, resolved once.
 *
 * Each key is resolved to an absolute real path when the host is built, so a
 * later change to PATH, a look-alike dropped earlier on PATH, or a symlink
 * swapped afterwards cannot change what runs.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { JobHostError, describeValue } from '../errors.js';
import type { ArgsPolicy } from './args.js';
import type { ProgressParser } from '../output/progress.js';

/** How one allow-listed binary may be used. */
export interface BinaryPolicy {
  /**
   * What runs: an absolute path, or a bare name looked up on the host's `PATH`
   * at construction — so one program can sit in the allow-list under two keys
   * with different rules (`git` read-only for plugins, `git-admin: { path: 'git' }`
   * for the host, given to owners with `forOwner(owner, { binaries })`).
   * @default the key looked up on the host's `PATH` at construction
   */
  readonly path?: string;
  /** Extra argument rule: a zod schema over the args array, or a predicate returning `true` or a refusal reason. */
  readonly args?: ArgsPolicy;
  /** When set, a request may only set these env names (the deny list still applies). */
  readonly env?: readonly string[];
  /**
   * Where `job_progress` comes from: `'task-notifications'` consumes `task.*`
   * JSON-RPC lines on stdout; a function maps any output line to progress.
   */
  readonly progress?: 'task-notifications' | ProgressParser;
  /** `'lines'` emits `job_log_line` per line; `'chunks'` emits raw `job_output_chunk`. @default 'lines' */
  readonly output?: 'lines' | 'chunks';
  /** Timeout used when a request says `0`. @default the host's `defaultTimeoutSecs` */
  readonly timeoutSecs?: number;
}

/** An allow-list entry after resolution. */
export interface ResolvedBinary {
  readonly name: string;
  /** Absolute real path that is executed. */
  readonly file: string;
  readonly policy: BinaryPolicy;
}

/** Bare names only: no separators, no `.`/`..`, nothing a shell or path resolver would interpret. */
const BARE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}$/;

/** True when `name` can be an allow-list key. */
export function isBareName(name: string): boolean {
  return BARE_NAME.test(name) && name !== '.' && name !== '..';
}

/** The real path of an executable regular file, or `undefined`. */
export function executableFile(file: string): string | undefined {
  try {
    const real = realpathSync(file);
    if (!statSync(real).isFile()) return undefined;
    accessSync(real, constants.X_OK);
    return real;
  } catch {
    return undefined;
  }
}

/** Looks a bare name up in the absolute entries of a `PATH`-style list (a relative entry would depend on the cwd). */
export function lookUp(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue; // a relative PATH entry would depend on the cwd
    const found = executableFile(join(dir, name));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Resolves every allow-list entry or throws `ERR_BINARY_NOT_FOUND` / `ERR_INVALID_OPTIONS`. */
export function resolveBinaries(
  binaries: Readonly<Record<string, BinaryPolicy>>,
  searchPath: string,
): ReadonlyMap<string, ResolvedBinary> {
  const resolved = new Map<string, ResolvedBinary>();
  for (const [name, policy] of Object.entries(binaries)) {
    if (!isBareName(name)) {
      throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries\` keys to be bare names, got ${describeValue(name)}`);
    }
    const path: unknown = policy.path;
    if (path !== undefined && (typeof path !== 'string' || !(isAbsolute(path) || isBareName(path)))) {
      throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries.${name}.path\` to be an absolute path or a bare name to look up on PATH, got ${describeValue(path)}`);
    }
    const file = path === undefined || isBareName(path) ? lookUp(path ?? name, searchPath) : executableFile(path);
    if (file === undefined) {
      const where = path === undefined ? `PATH (${searchPath})` : isBareName(path) ? `PATH (${searchPath}) as "${path}"` : path;
      throw new JobHostError('ERR_BINARY_NOT_FOUND', `Allow-listed binary "${name}" was not found as an executable file in ${where}`, {
        details: { binary: name, path: policy.path ?? null },
      });
    }
    resolved.set(name, { name, file, policy });
  }
  return resolved;
}
