/**
 * How one allow-listed binary may be used, as the host writes it, and the
 * checked form the policy works with. Every field is checked at construction,
 * and an unknown field is an error: `timeout: 30` instead of `timeoutSecs`
 * must not silently leave the default in force.
 */
import { describeValue } from '../errors.js';
import { readOptions } from '../options/reader.js';
import type { ProgressParser } from '../output/progress.js';
import type { ArgsPolicy } from './args.js';
import type { ContainmentTier } from './containment.js';
import { compileEnvRule, type CompiledEnvRule, type EnvRule } from './env/env-rule.js';
import { checkLimits, type ResourceLimits } from './limits.js';
import { isProfile, type BinaryProfile } from './profile.js';

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
  /**
   * The variables a request may set for this binary: names or `PREFIX*`
   * patterns (`['NO_COLOR', 'MYTOOL_*']`), or a map of them to `true` or a zod
   * schema for the value. The deny list applies on top.
   * @default none: the binary accepts no request variables
   */
  readonly env?: EnvRule;
  /** A tool profile (`gitReadOnly.profile`): argument rules, environment and start-up checks for that tool. */
  readonly profile?: BinaryProfile;
  /**
   * Where `job_progress` comes from: `'task-notifications'` consumes `task.*`
   * JSON-RPC lines on stdout; a function maps any output line to progress.
   */
  readonly progress?: 'task-notifications' | ProgressParser;
  /** `'lines'` emits `job_log_line` per line; `'chunks'` emits raw `job_output_chunk`. @default 'lines' */
  readonly output?: 'lines' | 'chunks';
  /** Timeout used when a request says `0`. @default the host's `defaultTimeoutSecs` */
  readonly timeoutSecs?: number;
  /** Hex SHA-256 of the file; construction fails with `ERR_BINARY_CHANGED` unless it matches. */
  readonly sha256?: string;
  /**
   * Run a dispatcher anyway: a version-manager shim (pyenv, asdf, rbenv, mise,
   * volta, …) that picks the real program from the environment and from files
   * in the working directory. Refused by default, because the working
   * directory may be an attacker's repository.
   * @default false
   */
  readonly allowDispatcher?: boolean;
  /**
   * How far the job's processes are held to it: `'group'` (its process group,
   * killed with the job and by the host's watchdog if the host dies) or
   * `'bwrap'` (its own PID namespace under bubblewrap: every process, daemons
   * included, dies with the job). A tier the machine lacks is a construction
   * error (`ERR_CONTAINMENT_UNAVAILABLE`).
   * @default 'group'
   */
  readonly containment?: ContainmentTier;
  /** Resource limits of each job: CPU seconds, address space, open files, file size (kernel rlimits), processes and memory (sampled by the host). */
  readonly limits?: ResourceLimits;
}

/** A {@link BinaryPolicy} after checking. */
export interface CompiledPolicy {
  readonly path: string | undefined;
  readonly args: ArgsPolicy | undefined;
  readonly env: CompiledEnvRule;
  readonly profile: BinaryProfile | undefined;
  readonly progress: 'task-notifications' | ProgressParser | undefined;
  readonly output: 'lines' | 'chunks';
  readonly timeoutSecs: number | undefined;
  readonly sha256: string | undefined;
  readonly allowDispatcher: boolean;
  readonly containment: ContainmentTier;
  readonly limits: ResourceLimits | undefined;
}

const TIERS: readonly ContainmentTier[] = ['group', 'bwrap', 'systemd-scope'];

/** What a misnamed field probably meant. */
const MEANT: Readonly<Record<string, string>> = { timeout: 'timeoutSecs', timeoutMs: 'timeoutSecs', argv: 'args', environment: 'env', hash: 'sha256' };

function isZodSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** Checks `binaries.<name>`; throws `ERR_INVALID_OPTIONS` naming the field and quoting the value. */
export function compilePolicy(name: string, policy: unknown): CompiledPolicy {
  const option = `binaries.${name}`;
  return readOptions(policy, { what: `\`${option}\` (a binary policy)`, prefix: `${option}.`, aliases: MEANT }, (read) => {
    const containment = read.oneOf('containment', TIERS, 'group');
    const args = read.raw('args');
    if (args !== undefined && typeof args !== 'function' && !isZodSchema(args)) {
      const hint = typeof args === 'object' && args !== null && isProfile((args as Record<string, unknown>).profile) ? ' — gitReadOnly is a whole policy now: write `git: gitReadOnly` (or `{ ...gitReadOnly, timeoutSecs: 30 }`)' : '';
      read.refuse('args', `Expected \`${read.name('args')}\` to be a zod schema or a predicate, got ${describeValue(args)}${hint}`);
    }
    const profile = read.custom<BinaryProfile>('profile', 'a jobhost profile (e.g. `gitReadOnly.profile`)', isProfile);
    const progress = read.custom<CompiledPolicy['progress']>('progress', "'task-notifications' or a function", (value) => value === 'task-notifications' || typeof value === 'function');
    const sha256 = read.custom<string>('sha256', '64 hex digits', (value) => typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value));
    return {
      // resolved (and refused if it cannot be) by resolveBinaries
      path: read.raw('path') as string | undefined,
      args: args as ArgsPolicy | undefined,
      env: compileEnvRule(name, read.raw('env')),
      profile,
      progress,
      output: read.oneOf('output', ['lines', 'chunks'], 'lines'),
      timeoutSecs: read.integer('timeoutSecs', undefined, { min: 1 }),
      sha256: sha256?.toLowerCase(),
      allowDispatcher: read.boolean('allowDispatcher', false),
      containment,
      limits: checkLimits(name, read.raw('limits')),
    };
  });
}
