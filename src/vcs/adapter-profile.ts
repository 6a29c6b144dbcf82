/**
 * The environment rules of a discovered adapter, enforced by the JobHost
 * itself through a binary profile, because only the host sees the whole
 * environment a job would get (its base plus the request's variables):
 *
 * - **required variables** (`required_env`): an adapter that would start
 *   without one is refused (`ERR_ENV_REFUSED`) before anything runs, with
 *   the names and where to set them. TA documents `required_env` but does not
 *   check it; its Perforce adapter then answers "Missing Perforce env vars".
 * - **a host-decided environment** (`hostEnv`): variables the host
 *   application fixes for this adapter alone — a `PATH` that finds `p4` or
 *   `svn`, a `P4CONFIG` — which no request could set (`PATH` is host-only).
 */
import { JobHostError } from '../errors.js';
import { brandProfile, type BinaryProfile } from '../policy/profile.js';

/** What a discovered adapter's profile enforces. */
export interface AdapterEnvRules {
  /** The adapter name, for messages. */
  readonly name: string;
  /** Where `required` came from, for messages. */
  readonly source: string;
  /** Variables that must be set and non-empty. */
  readonly required: readonly string[];
  /** Variables the host fixes for this adapter; they win over the base and the request. */
  readonly fixed: Readonly<Record<string, string>>;
}

/** A profile enforcing {@link AdapterEnvRules}; arguments are left to the policy's `args` rule. */
export function adapterEnvProfile(rules: AdapterEnvRules): BinaryProfile {
  const fixed = { ...rules.fixed };
  return brandProfile({
    name: `vcs adapter ${rules.name}`,
    accept: (request) => {
      const env = { ...request.env, ...fixed };
      const missing = rules.required.filter((name) => (env[name] ?? '') === '');
      if (missing.length > 0) {
        const them = missing.length === 1 ? 'it' : 'them';
        throw new JobHostError(
          'ERR_ENV_REFUSED',
          `VCS adapter "${rules.name}" needs ${missing.join(', ')} (required_env in ${rules.source}), and its environment lacks ${them}: ` +
            `pass ${them} with the client's \`passEnv\` or \`env\` (the discovered policy allows ${them}), or set ${them} in discoverVcsAdapters' \`hostEnv\` or the host's base \`env\``,
          { details: { binary: request.binary, missing } },
        );
      }
      return { args: request.args, env };
    },
  });
}
