/**
 * The whole policy for one spawn request, in the order a refusal is decided:
 * contract → binary → identity → arguments → environment → working directory
 * → the binary's profile. Throws a `JobHostError` on the first violation;
 * returns what to run otherwise.
 */
import { JobSpawnRequest } from '../contracts/jobs.js';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { JobHostError, quote } from '../errors.js';
import type { ArgsLimits } from './args.js';
import { checkArgs } from './args.js';
import { assertUnchanged } from './binary-identity.js';
import type { ResolvedBinary } from './binaries.js';
import { isBareName } from './lookup.js';
import { resolveCwd } from './cwd.js';
import { buildEnv } from './env/build-env.js';
import type { EnvDenyList } from './env/deny-list.js';
import type { ProfileInvocation } from './profile.js';
import { MAX_LABEL_CHARS } from './string-caps.js';

/** The host's policy inputs. */
export interface PolicyConfig extends ArgsLimits {
  readonly root: string;
  readonly binaries: ReadonlyMap<string, ResolvedBinary>;
  readonly baseEnv: Readonly<Record<string, string>>;
  /** What a request may never set: the deny list, the host-only names and the host's `denyEnv`. */
  readonly deny: EnvDenyList;
  readonly maxEnvBytes: number;
  readonly defaultTimeoutSecs: number;
}

/** A request that passed the policy: exactly what will be executed. */
export interface AcceptedRequest {
  readonly label: string;
  readonly binary: ResolvedBinary;
  /** The file given to execve: a wrapper (`prlimit`, `bwrap`), or the binary (an env script's pinned interpreter). */
  readonly file: string;
  /** The whole argument list after the file: the wrappers' rest, the binary, its launch prefix, then the (profile-completed) arguments. */
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSecs: number;
  /** The profile's start-time step, if it has one. */
  readonly prepare: ProfileInvocation['prepare'];
}

function invalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): JobHostError {
  return new JobHostError('ERR_INVALID_REQUEST', message, cause === undefined ? { details } : { details, cause });
}

/** Checks `input` against every rule, for an owner that may run `allowed` (`null`: every allow-listed binary); throws the first refusal. */
export function acceptRequest(input: unknown, config: PolicyConfig, allowed: ReadonlySet<string> | null = null): AcceptedRequest {
  // a throwing getter or Proxy trap of the caller's object, or a huge wrong-typed array, is one cheap refusal
  const parsed = safeParseWire(JobSpawnRequest, input);
  if (!parsed.success) {
    throw invalid(`Invalid JobSpawnRequest: ${describeIssues(parsed.error)}`, { issues: parsed.error.issues }, parsed.error);
  }
  const request = parsed.data;
  if (request.label.length > MAX_LABEL_CHARS) throw invalid(`Invalid JobSpawnRequest: label is ${request.label.length} characters long; the limit is ${MAX_LABEL_CHARS}`);
  const mayRun = (name: string): boolean => allowed === null || allowed.has(name);
  const binary = isBareName(request.binary) && mayRun(request.binary) ? config.binaries.get(request.binary) : undefined;
  if (binary === undefined) {
    // an owner limited to a subset hears only of its own names: the rest of the allow-list is not its business
    const allowedNames = [...config.binaries.keys()].filter(mayRun).join(', ') || 'none';
    throw new JobHostError('ERR_BINARY_NOT_ALLOWED', `Binary ${quote(request.binary)} is not allow-listed (allowed: ${allowedNames})`, {
      details: { binary: request.binary.length > 128 ? `${request.binary.slice(0, 128)}…` : request.binary },
    });
  }
  assertUnchanged(binary.name, binary.pins);
  const { policy, launch } = binary;
  checkArgs(binary.name, request.args, config, policy.args);
  const requested = buildEnv(binary.name, request.env, config.baseEnv, config.deny, policy.env, config.maxEnvBytes);
  const cwd = resolveCwd(config.root, request.cwd);
  const invocation: ProfileInvocation = policy.profile?.accept({ binary: binary.name, args: request.args, cwd, root: config.root, env: requested }) ?? { args: request.args, env: requested };
  const timeoutSecs = request.timeout_secs > 0 ? request.timeout_secs : (policy.timeoutSecs ?? config.defaultTimeoutSecs);
  const [wrapperFile, ...wrapperArgs] = binary.containment.wrapper;
  const own = launch.prefix.length === 0 ? invocation.args : [...launch.prefix, ...invocation.args];
  return {
    label: request.label,
    binary,
    file: wrapperFile ?? launch.file,
    argv: wrapperFile === undefined ? own : [...wrapperArgs, launch.file, ...own],
    cwd,
    env: invocation.env,
    timeoutSecs,
    prepare: invocation.prepare,
  };
}
