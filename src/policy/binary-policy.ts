/**
 * How one allow-listed binary may be used, as the host writes it, and the
 * checked form the policy works with. Every field is checked at construction,
 * and an unknown field is an error: `timeout: 30` instead of `timeoutSecs`
 * must not silently leave the default in force.
 */
import { JobHostError, describeValue } from '../errors.js';
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

const FIELDS: readonly string[] = ['path', 'args', 'env', 'profile', 'progress', 'output', 'timeoutSecs', 'sha256', 'allowDispatcher', 'containment', 'limits'];
const TIERS: readonly string[] = ['group', 'bwrap', 'systemd-scope'];

/** What a misspelt or misplaced field probably meant. */
const MEANT: Readonly<Record<string, string>> = { timeout: 'timeoutSecs', timeoutMs: 'timeoutSecs', argv: 'args', environment: 'env', hash: 'sha256' };

function isZodSchema(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function';
}

/** Checks `binaries.<name>`; throws `ERR_INVALID_OPTIONS` naming the field and quoting the value. */
export function compilePolicy(name: string, policy: unknown): CompiledPolicy {
  const option = (field: string): string => `binaries.${name}${field === '' ? '' : `.${field}`}`;
  const invalid = (field: string, message: string): never => {
    throw new JobHostError('ERR_INVALID_OPTIONS', message, { details: { option: option(field) } });
  };
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    return invalid('', `Expected \`${option('')}\` to be a policy object, got ${describeValue(policy)}`);
  }
  const p = policy as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    if (FIELDS.includes(key)) continue;
    const hint = MEANT[key] === undefined ? '' : ` (did you mean \`${MEANT[key]}\`?)`;
    invalid(key, `Unknown option \`${option(key)}\`${hint}; a binary policy has ${FIELDS.join(', ')}`);
  }
  const { args, profile, progress, output, timeoutSecs, sha256, allowDispatcher, containment } = p;
  if (containment !== undefined && !TIERS.includes(containment as string)) invalid('containment', `Expected \`${option('containment')}\` to be one of ${TIERS.map((tier) => `'${tier}'`).join(', ')}, got ${describeValue(containment)}`);
  if (args !== undefined && typeof args !== 'function' && !isZodSchema(args)) {
    const hint = typeof args === 'object' && args !== null && isProfile((args as Record<string, unknown>).profile) ? ' — gitReadOnly is a whole policy now: write `git: gitReadOnly` (or `{ ...gitReadOnly, timeoutSecs: 30 }`)' : '';
    invalid('args', `Expected \`${option('args')}\` to be a zod schema or a predicate, got ${describeValue(args)}${hint}`);
  }
  if (profile !== undefined && !isProfile(profile)) invalid('profile', `Expected \`${option('profile')}\` to be a jobhost profile (e.g. \`gitReadOnly.profile\`), got ${describeValue(profile)}`);
  if (progress !== undefined && progress !== 'task-notifications' && typeof progress !== 'function') {
    invalid('progress', `Expected \`${option('progress')}\` to be 'task-notifications' or a function, got ${describeValue(progress)}`);
  }
  if (output !== undefined && output !== 'lines' && output !== 'chunks') invalid('output', `Expected \`${option('output')}\` to be 'lines' or 'chunks', got ${describeValue(output)}`);
  if (timeoutSecs !== undefined && (typeof timeoutSecs !== 'number' || !Number.isSafeInteger(timeoutSecs) || timeoutSecs < 1)) {
    invalid('timeoutSecs', `Expected \`${option('timeoutSecs')}\` to be an integer from 1 and up, got ${describeValue(timeoutSecs)}`);
  }
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256))) {
    invalid('sha256', `Expected \`${option('sha256')}\` to be 64 hex digits, got ${describeValue(sha256)}`);
  }
  if (allowDispatcher !== undefined && typeof allowDispatcher !== 'boolean') invalid('allowDispatcher', `Expected \`${option('allowDispatcher')}\` to be a boolean, got ${describeValue(allowDispatcher)}`);
  return {
    path: p.path as string | undefined,
    args: args as ArgsPolicy | undefined,
    env: compileEnvRule(name, p.env),
    profile: profile as BinaryProfile | undefined,
    progress: progress as CompiledPolicy['progress'],
    output: (output as 'lines' | 'chunks' | undefined) ?? 'lines',
    timeoutSecs: timeoutSecs as number | undefined,
    sha256: (sha256 as string | undefined)?.toLowerCase(),
    allowDispatcher: allowDispatcher === true,
    containment: (containment as ContainmentTier | undefined) ?? 'group',
    limits: checkLimits(name, p.limits),
  };
}
