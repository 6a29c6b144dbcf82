/**
 * Binary profiles: what someone who knows a tool decides for it beyond its
 * arguments — the environment it runs with, the checks its inputs need before
 * it starts. A deny list of a tool's variables and options can never be
 * complete; a profile starts from nothing and adds what is safe.
 *
 * `gitReadOnly` is the profile jobhost ships. A profile's `accept` runs when a
 * request is checked (a refusal is a synchronous `JobHostError`); its
 * `prepare`, when present, runs just before the process starts (after any wait
 * in the queue) and may run the same binary first, under the job's limits, to
 * learn what it needs (git reads the repository's config that way).
 */
import type { JobHostError } from '../errors.js';

const PROFILE = Symbol.for('jobhost.BinaryProfile');

/** What a profile sees of a request that passed every other rule. */
export interface ProfileRequest {
  /** The allow-list name. */
  readonly binary: string;
  readonly args: readonly string[];
  /** The job's working directory: a real path inside `root`. */
  readonly cwd: string;
  /** The root, a real path. */
  readonly root: string;
  /** The base environment plus the request's variables. */
  readonly env: Readonly<Record<string, string>>;
}

/** What a helper run of the binary produced. */
export interface PreflightResult {
  readonly code: number | null;
  readonly signal: string | null;
  /** stdout, up to `maxBytes`. */
  readonly stdout: Buffer;
  /** The last part of stderr, for error messages. */
  readonly stderr: string;
  /** stdout went past `maxBytes` (the process was stopped). */
  readonly truncated: boolean;
  readonly timedOut: boolean;
}

/** Runs the job's own binary with other arguments, in the job's cwd, stdin closed, its process group killed afterwards. */
export type Preflight = (
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  limits: { readonly timeoutMs: number; readonly maxBytes: number },
) => Promise<PreflightResult>;

/** The outcome of {@link ProfileInvocation.prepare}: the environment to start with, or the refusal. */
export type PreparedInvocation =
  | { readonly env: Readonly<Record<string, string>>; readonly notes?: readonly string[] }
  | { readonly refused: JobHostError };

/** How an accepted request runs under a profile. */
export interface ProfileInvocation {
  /** The arguments to run with (a profile may add options of its own). */
  readonly args: readonly string[];
  /** The whole environment to run with. */
  readonly env: Readonly<Record<string, string>>;
  /** Completes the invocation just before the process starts; `notes` become `system` log lines of the job. */
  readonly prepare?: (preflight: Preflight) => Promise<PreparedInvocation>;
}

/** Runs the allow-listed binary once at construction with `args`, synchronously, and reports what it printed. */
export type Probe = (args: readonly string[]) => { readonly code: number | null; readonly stdout: string };

/** A tool-specific policy; see {@link ProfileRequest} and {@link ProfileInvocation}. */
export interface BinaryProfile {
  /** Shown in messages, e.g. `git read-only`. */
  readonly name: string;
  /**
   * Checks the resolved binary at construction (its version, say); returns
   * why it cannot serve this profile, or null. A binary too old for the
   * profile's defences is refused rather than run with fewer of them.
   */
  checkBinary?(probe: Probe): string | null;
  /** Checks the request; throws a `JobHostError` to refuse it. */
  accept(request: ProfileRequest): ProfileInvocation;
}

/** Brands a profile object so a policy can tell it from a look-alike. */
export function brandProfile<P extends BinaryProfile>(profile: P): P {
  Object.defineProperty(profile, PROFILE, { value: true });
  return Object.freeze(profile);
}

/** True for a profile made by jobhost (this copy or another). */
export function isProfile(value: unknown): value is BinaryProfile {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PROFILE] === true;
}
