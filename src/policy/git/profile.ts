/**
 * The git profile: read-only git that runs nothing but git, reads nothing
 * outside the root, and opens only a repository inside the root.
 *
 * - Arguments: an allow-list of subcommands and of each one's options, with
 *   every path-valued option and positional argument held inside the root
 *   (`arguments.ts`); options that keep git from running drivers or looking
 *   into submodules are added after the subcommand.
 * - Environment: no system or global config; a protected configuration that
 *   switches off every program git would run and every file outside the
 *   repository it would read (`hermetic-env.ts`); every `GIT_*` variable is
 *   the profile's.
 * - Repository: found by jobhost, inside the root, and pinned with GIT_DIR and
 *   GIT_WORK_TREE (`repository.ts`); drivers its config names are switched
 *   off just before the job starts (`drivers.ts`).
 */
import { JobHostError, quote } from '../../errors.js';
import type { BinaryPolicy } from '../binary-policy.js';
import { brandProfile, type BinaryProfile, type Preflight, type PreparedInvocation, type Probe, type ProfileInvocation, type ProfileRequest } from '../profile.js';
import { checkGitArguments, GIT_POLICED_SUBCOMMANDS, GIT_READ_ONLY_SUBCOMMANDS, injectedOptions } from './arguments.js';
import { scanDrivers } from './drivers.js';
import { hermeticEnv } from './hermetic-env.js';
import { locateRepository, locationEnv, sameLocation } from './repository.js';

export { GIT_POLICED_SUBCOMMANDS, GIT_READ_ONLY_SUBCOMMANDS } from './arguments.js';

function refuseArgs(reason: string): never {
  throw new JobHostError('ERR_ARGS_REFUSED', `Arguments for "git" refused: ${reason}`, { details: { binary: 'git' } });
}

/** Builds the profile for `subcommands` (each must have an option table). */
function gitProfile(subcommands: readonly string[]): BinaryProfile {
  const allowed = new Set(subcommands);
  const accept = (request: ProfileRequest): ProfileInvocation => {
    const { root, cwd } = request;
    const refusal = checkGitArguments(request.args, allowed, { root, cwd });
    if (refusal !== null) refuseArgs(refusal);
    const [subcommand, ...rest] = request.args as [string, ...string[]];
    const args = [subcommand, ...injectedOptions(subcommand), ...rest];
    const location = locateRepository(root, cwd);
    const env = hermeticEnv(request.env, locationEnv(root, location));
    const prepare = async (preflight: Preflight): Promise<PreparedInvocation> => {
      try {
        // the job may have waited in the queue: the repository must be the one its request was accepted for
        const now = locateRepository(root, cwd);
        if (!sameLocation(now, location)) throw new JobHostError('ERR_UNTRUSTED_REPOSITORY', `The repository at ${cwd} changed between the request and the start (${location.gitDir ?? 'none'} → ${now.gitDir ?? 'none'})`);
        const scan = await scanDrivers(root, cwd, location, env, preflight);
        return scan.blanks.length === 0 ? { env } : { env: hermeticEnv(request.env, locationEnv(root, location), scan.blanks), notes: scan.note === null ? [] : [scan.note] };
      } catch (error) {
        if (error instanceof JobHostError) return { refused: error };
        throw error;
      }
    };
    return { args, env, prepare };
  };
  return brandProfile({ name: `git (${subcommands.join(', ')})`, accept, checkBinary: checkGitVersion });
}

/**
 * The oldest git whose defences the profile can rely on: protected config
 * through `GIT_CONFIG_COUNT` (2.31) and `GIT_CONFIG_GLOBAL`/`GIT_CONFIG_SYSTEM`
 * (2.32). Newer gits add more (`safe.bareRepository` 2.38, `GIT_NO_LAZY_FETCH`
 * 2.44); the profile does not depend on those.
 */
export const GIT_MIN_VERSION: readonly [number, number] = [2, 32];

function checkGitVersion(probe: Probe): string | null {
  const { code, stdout } = probe(['version']);
  const match = /^git version (\d+)\.(\d+)/.exec(stdout.trim());
  if (code !== 0 || match === null) return `\`git version\` did not answer like git (exit ${String(code)}: ${quote(stdout.slice(0, 80))})`;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const [needMajor, needMinor] = GIT_MIN_VERSION;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null;
  return `it is git ${major}.${minor}; the profile needs git ≥ ${needMajor}.${needMinor} for protected config that no repository can override`;
}

/**
 * A git policy for `subcommands`, each of which must be one jobhost has an
 * option table for ({@link GIT_POLICED_SUBCOMMANDS}): use it whole
 * (`binaries: { git: gitPolicy(['status', 'log']) }`) or spread it
 * (`{ ...gitPolicy([...]), timeoutSecs: 30 }`).
 */
export function gitPolicy(subcommands: readonly string[]): BinaryPolicy {
  for (const subcommand of subcommands) {
    if (!GIT_POLICED_SUBCOMMANDS.includes(subcommand)) {
      throw new JobHostError('ERR_INVALID_OPTIONS', `git subcommand ${quote(subcommand)} has no option table in jobhost's git profile, so its arguments cannot be policed (policed: ${GIT_POLICED_SUBCOMMANDS.join(', ')})`, {
        details: { option: 'gitPolicy' },
      });
    }
  }
  return Object.freeze({ profile: gitProfile([...subcommands]) });
}

/** Read-only git: `status`, `log`, `diff`, `show`, `blame` and the other subcommands of {@link GIT_READ_ONLY_SUBCOMMANDS}, hermetic. */
export const gitReadOnly: BinaryPolicy = gitPolicy(GIT_READ_ONLY_SUBCOMMANDS);
