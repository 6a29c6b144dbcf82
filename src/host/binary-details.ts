/**
 * What the host decided about each allow-listed binary at construction, for
 * a host to show or log: which file runs, through which interpreter, whether
 * it is a dispatcher let through by `allowDispatcher`, and under which profile.
 */
import type { ResolvedBinary } from '../policy/binaries.js';

/** One allow-listed binary, as resolved. */
export interface BinaryDetails {
  /** The allow-listed file (real path). */
  readonly file: string;
  /** What is executed: the file itself, or an env script's pinned interpreter. */
  readonly runs: string;
  /** Arguments placed before the request's (an env script: its interpreter options and the script). */
  readonly prefix: readonly string[];
  /** The `#!` interpreter of a script, else null. */
  readonly interpreter: string | null;
  /** The kind of dispatcher `allowDispatcher` let through (`'pyenv shim'`), else null. */
  readonly dispatcher: string | null;
  /** The profile's name (`git (status, log, …)`), else null. */
  readonly profile: string | null;
  /** Whether a sha256 was pinned in the policy (and matched at construction). */
  readonly sha256: string | null;
}

/** Details of every entry, in allow-list order. */
export function describeBinaries(binaries: ReadonlyMap<string, ResolvedBinary>): ReadonlyMap<string, BinaryDetails> {
  const details = new Map<string, BinaryDetails>();
  for (const [name, binary] of binaries) {
    details.set(name, Object.freeze({
      file: binary.file,
      runs: binary.launch.file,
      prefix: Object.freeze([...binary.launch.prefix]),
      interpreter: binary.launch.interpreter,
      dispatcher: binary.launch.dispatcher,
      profile: binary.policy.profile?.name ?? null,
      sha256: binary.policy.sha256 ?? null,
    }));
  }
  return details;
}
