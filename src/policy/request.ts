/**
 * The whole policy for one spawn request, in the order a refusal is decided:
 * contract → binary → arguments → environment → working directory. Throws a
 * `JobHostError` on the first violation; returns what to run otherwise.
 */
import { JobSpawnRequest } from '../contracts/jobs.js';
import { describeIssues, safeParseWire } from '../contracts/parse-wire.js';
import { JobHostError } from '../errors.js';
import type { ArgsLimits } from './args.js';
import { checkArgs } from './args.js';
import type { ResolvedBinary } from './binaries.js';
import { isBareName } from './binaries.js';
import { resolveCwd } from './cwd.js';
import { buildEnv, type EnvDenyList } from './env.js';

/** The host's policy inputs. */
export interface PolicyConfig extends ArgsLimits {
  readonly root: string;
  readonly binaries: ReadonlyMap<string, ResolvedBinary>;
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly deny: EnvDenyList;
  readonly maxEnvBytes: number;
  readonly defaultTimeoutSecs: number;
}

/** A request that passed the policy. */
export interface AcceptedRequest {
  readonly label: string;
  readonly binary: ResolvedBinary;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutSecs: number;
}

/** Checks `input` against every rule, for an owner that may run `allowed` (`null`: every allow-listed binary); throws the first refusal. */
export function acceptRequest(input: unknown, config: PolicyConfig, allowed: ReadonlySet<string> | null = null): AcceptedRequest {
  // a throwing getter or Proxy trap of the caller's object, or a huge wrong-typed array, is one cheap refusal
  const parsed = safeParseWire(JobSpawnRequest, input);
  if (!parsed.success) {
    throw new JobHostError('ERR_INVALID_REQUEST', `Invalid JobSpawnRequest: ${describeIssues(parsed.error)}`, {
      cause: parsed.error,
      details: { issues: parsed.error.issues },
    });
  }
  const request = parsed.data;
  const mayRun = (name: string): boolean => allowed === null || allowed.has(name);
  const binary = isBareName(request.binary) && mayRun(request.binary) ? config.binaries.get(request.binary) : undefined;
  if (binary === undefined) {
    // an owner limited to a subset hears only of its own names: the rest of the allow-list is not its business
    const allowedNames = [...config.binaries.keys()].filter(mayRun).join(', ') || 'none';
    throw new JobHostError('ERR_BINARY_NOT_ALLOWED', `Binary ${JSON.stringify(request.binary)} is not allow-listed (allowed: ${allowedNames})`, {
      details: { binary: request.binary },
    });
  }
  checkArgs(binary.name, request.args, config, binary.policy.args);
  const env = buildEnv(binary.name, request.env, config.baseEnv, config.deny, binary.policy.env, config.maxEnvBytes);
  const cwd = resolveCwd(config.root, request.cwd);
  const timeoutSecs = request.timeout_secs > 0 ? request.timeout_secs : (binary.policy.timeoutSecs ?? config.defaultTimeoutSecs);
  return { label: request.label, binary, args: request.args, cwd, env, timeoutSecs };
}
