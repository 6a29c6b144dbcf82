/**
 * The environment git runs with under the git profile: no system or global
 * config, and a protected configuration that no repository can override.
 *
 * git reads `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_<n>`/`GIT_CONFIG_VALUE_<n>` as
 * command-line config: the last scope read, so it wins over the repository's
 * `.git/config` and everything that file includes, and it is inherited by the
 * git processes git itself starts. Every key below names a place where git
 * would run a program, open a file outside the repository, or look into
 * another repository; each is set to a value that does nothing. Program
 * paths point below `/dev/null`, which is not a directory, so no such file
 * can ever exist.
 *
 * What config cannot switch off — drivers a repository names itself
 * (`filter.<name>.clean`, `diff.<name>.textconv`, …) — is handled by
 * `drivers.ts`; where git looks for the repository, by `repository.ts`.
 */

/** A path that can never exist: `/dev/null` is not a directory. */
export const NOWHERE = '/dev/null/jobhost-disabled';

/** `[key, value]` pairs passed as protected config. */
export const GIT_PROTECTED_CONFIG: readonly (readonly [key: string, value: string])[] = [
  // programs git would run on its own
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', NOWHERE],
  ['core.sshCommand', NOWHERE],
  ['core.gitProxy', NOWHERE],
  ['core.askPass', NOWHERE],
  ['core.editor', ':'], // ":" is git's own "no editor"
  ['sequence.editor', ':'],
  ['core.pager', 'cat'], // "cat" is git's own "no pager"
  ['core.alternateRefsCommand', NOWHERE],
  ['credential.helper', ''], // an empty value empties the list, URL-specific helpers included
  ['gpg.program', NOWHERE],
  ['gpg.openpgp.program', NOWHERE],
  ['gpg.x509.program', NOWHERE],
  ['gpg.ssh.program', NOWHERE],
  ['gpg.ssh.defaultKeyCommand', NOWHERE],
  ['log.showSignature', 'false'],
  ['log.diffMerges', 'separate'], // not remerge, which runs merge drivers and writes objects
  ['uploadpack.packObjectsHook', NOWHERE],
  ['web.browser', NOWHERE],
  ['help.format', 'man'],
  ['help.autoCorrect', '0'],
  // transports (a promisor remote's lazy fetch, `ext::`, remote helpers found on PATH)
  ['protocol.allow', 'never'],
  // files outside the repository
  ['core.attributesFile', '/dev/null'],
  ['core.excludesFile', '/dev/null'],
  ['mailmap.file', '/dev/null'],
  ['diff.orderFile', '/dev/null'],
  ['gpg.ssh.allowedSignersFile', '/dev/null'],
  ['gpg.ssh.revocationFile', '/dev/null'],
  // other repositories: submodules are not looked into
  ['diff.submodule', 'short'],
  ['diff.ignoreSubmodules', 'dirty'],
  ['status.submoduleSummary', 'false'],
  ['submodule.recurse', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  // discovery: a bare repository is opened only when named explicitly (git ≥ 2.38)
  ['safe.bareRepository', 'explicit'],
  // nothing in the background
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
];

/** Variables git reads that decide what it runs or where it looks; set by the profile, whatever the base says. */
export const GIT_PROFILE_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_SYSTEM: '/dev/null', // git ≥ 2.32
  GIT_CONFIG_GLOBAL: '/dev/null', // git ≥ 2.32
  GIT_ATTR_NOSYSTEM: '1',
  GIT_ALLOW_PROTOCOL: '', // an empty allow-list: no transport at all, whatever protocol.<name>.allow says
  GIT_PROTOCOL_FROM_USER: '0',
  GIT_NO_LAZY_FETCH: '1', // git ≥ 2.44; older gits are held by GIT_ALLOW_PROTOCOL
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '', // empty: no askpass program (git skips an empty one)
  GIT_PAGER: 'cat',
  GIT_EDITOR: ':',
  GIT_SEQUENCE_EDITOR: ':',
  GIT_OPTIONAL_LOCKS: '0', // status does not rewrite the index (which would run post-index-change)
};

/** `GIT_CONFIG_COUNT` and its pairs for `entries`. */
export function configEnv(entries: readonly (readonly [string, string])[]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** The part of every git job's environment that never changes, built once. */
const STATIC_ENV: Readonly<Record<string, string>> = Object.freeze({ ...GIT_PROFILE_ENV, ...configEnv(GIT_PROTECTED_CONFIG) });

/**
 * The whole environment of a git job: the base and request variables with
 * every `GIT_*` removed (the profile decides those), then the profile's
 * variables, the protected config plus `extraConfig`, and `location`
 * (GIT_DIR and GIT_WORK_TREE, or GIT_CEILING_DIRECTORIES).
 */
export function hermeticEnv(
  base: Readonly<Record<string, string>>,
  location: Readonly<Record<string, string>>,
  extraConfig: readonly (readonly [string, string])[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name in base) {
    if (name.length >= 4 && name.slice(0, 4).toUpperCase() === 'GIT_') continue;
    if (name === 'SSH_ASKPASS') continue;
    env[name] = base[name] as string;
  }
  Object.assign(env, STATIC_ENV);
  const first = GIT_PROTECTED_CONFIG.length;
  extraConfig.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${first + index}`] = key;
    env[`GIT_CONFIG_VALUE_${first + index}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(first + extraConfig.length);
  return Object.assign(env, location);
}
