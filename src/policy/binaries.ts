/**
 * The allow-list: which binaries a plugin may name, resolved once.
 *
 * Each key is resolved to an absolute real path when the host is built, so a
 * later change to PATH, a look-alike dropped earlier on PATH, or a symlink
 * swapped afterwards cannot change what runs; the file itself (and a script's
 * interpreter) is pinned, so a binary replaced or rewritten on disk is refused
 * (`binary-identity.ts`); dispatchers are replayed or refused (`dispatcher.ts`).
 */
import { isAbsolute } from 'node:path';
import { JobHostError, describeValue } from '../errors.js';
import { pinFile, sha256File, type FileIdentity } from './binary-identity.js';
import { compilePolicy, type CompiledPolicy } from './binary-policy.js';
import { planContainment, type Containment, type ProbeMemo } from './containment.js';
import { planLaunch, type Launch } from './dispatcher.js';
import { executableFile, isBareName, lookUp } from './lookup.js';

export type { BinaryPolicy, CompiledPolicy } from './binary-policy.js';
export { executableFile, isBareName, lookUp } from './lookup.js';

/** An allow-list entry after resolution. */
export interface ResolvedBinary {
  readonly name: string;
  /** Absolute real path of the allow-listed file. */
  readonly file: string;
  /** How it is started (an env script through its pinned interpreter). */
  readonly launch: Launch;
  /** The files whose identity is checked before every spawn: the file, a script's interpreter, the wrappers. */
  readonly pins: readonly FileIdentity[];
  /** The tier and limits, and the wrappers (`prlimit`, `bwrap`) that give them. */
  readonly containment: Containment;
  readonly policy: CompiledPolicy;
}

/** Runs a file once, synchronously (the host passes its process layer's probe; policy code starts no process itself). */
export type BinaryProbe = (file: string, args: readonly string[]) => { readonly code: number | null; readonly stdout: string; readonly stderr: string };

/** Without a probe, a profile's check sees a binary that printed nothing. */
const noProbe: BinaryProbe = () => ({ code: null, stdout: '', stderr: 'no probe' });

function locate(name: string, policy: CompiledPolicy, searchPath: string): string {
  const path: unknown = policy.path;
  if (path !== undefined && (typeof path !== 'string' || !(isAbsolute(path) || isBareName(path)))) {
    throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries.${name}.path\` to be an absolute path or a bare name to look up on PATH, got ${describeValue(path)}`, {
      details: { option: `binaries.${name}.path` },
    });
  }
  const file = path === undefined || isBareName(path) ? lookUp(path ?? name, searchPath) : executableFile(path);
  if (file === undefined) {
    const where = path === undefined ? `PATH (${searchPath})` : isBareName(path) ? `PATH (${searchPath}) as "${path}"` : path;
    throw new JobHostError('ERR_BINARY_NOT_FOUND', `Allow-listed binary "${name}" was not found as an executable file in ${where}`, {
      details: { binary: name, path: path ?? null },
    });
  }
  return file;
}

/** Resolves one entry: finds it, checks its hash, plans how it starts, pins what runs, lets its profile check it. */
function resolveBinary(name: string, raw: unknown, searchPath: string, probe: BinaryProbe, memo: ProbeMemo): ResolvedBinary {
  const policy = compilePolicy(name, raw);
  const file = locate(name, policy, searchPath);
  const pin = pinFile(file);
  if (policy.sha256 !== undefined) {
    const actual = sha256File(file);
    if (actual !== policy.sha256) {
      throw new JobHostError('ERR_BINARY_CHANGED', `Allow-listed binary "${name}" (${file}) does not match its pinned sha256: expected ${policy.sha256}, got ${actual}`, {
        details: { binary: name, file, expected: policy.sha256, actual },
      });
    }
  }
  const launch = planLaunch(name, file, searchPath, policy.allowDispatcher);
  // a missing interpreter is the kernel's ENOENT at spawn, reported like any failed start
  const interpreter = launch.interpreter === null ? undefined : executableFile(launch.interpreter);
  const containment = planContainment(name, policy.containment, policy.limits, searchPath, probe, memo);
  const pins = [pin, ...(interpreter === undefined ? [] : [pinFile(interpreter)]), ...containment.wrapperFiles.map(pinFile)];
  const unsupported = policy.profile?.checkBinary?.((args) => probe(launch.file, [...launch.prefix, ...args])) ?? null;
  if (unsupported !== null) {
    throw new JobHostError('ERR_BINARY_UNSUPPORTED', `Allow-listed binary "${name}" (${file}) cannot serve the ${policy.profile?.name ?? ''} profile: ${unsupported}`, {
      details: { binary: name, file },
    });
  }
  return { name, file, launch, pins, containment, policy };
}

/** Resolves every allow-list entry or throws `ERR_BINARY_NOT_FOUND` / `ERR_BINARY_CHANGED` / `ERR_BINARY_DISPATCHER` / `ERR_BINARY_UNSUPPORTED` / `ERR_CONTAINMENT_UNAVAILABLE` / `ERR_INVALID_OPTIONS`. */
export function resolveBinaries(binaries: Readonly<Record<string, unknown>>, searchPath: string, probe: BinaryProbe = noProbe): ReadonlyMap<string, ResolvedBinary> {
  const resolved = new Map<string, ResolvedBinary>();
  const memo: ProbeMemo = new Map();
  for (const [name, policy] of Object.entries(binaries)) {
    if (!isBareName(name)) {
      throw new JobHostError('ERR_INVALID_OPTIONS', `Expected \`binaries\` keys to be bare names, got ${describeValue(name)}`);
    }
    resolved.set(name, resolveBinary(name, policy, searchPath, probe, memo));
  }
  return resolved;
}
