/**
 * Environment rules. The host decides the base environment; a request may only
 * add variables, and never ones that change *which code runs* or *which
 * config, repository or trust store is used* — those turn "run git status"
 * into "run anything".
 */
import { JobHostError } from '../errors.js';

/**
 * Names a request may never set, compared case-insensitively. A trailing `*`
 * is a prefix. Grouped by what the variable subverts; hosts can add more with
 * the `denyEnv` option.
 */
export const DENIED_ENV: readonly string[] = [
  // dynamic loaders and libc
  'LD_*', 'DYLD_*', 'GCONV_PATH', 'GLIBC_TUNABLES', 'HOSTALIASES', 'MALLOC_*', 'RESOLV_HOST_CONF',
  // program lookup and home-relative config
  'PATH', 'HOME', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS',
  // shells: startup files, exported functions, prompts that execute
  'BASH_ENV', 'ENV', 'BASH_FUNC_*', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'IFS', 'CDPATH', 'ZDOTDIR',
  // interpreters: preload, module paths, startup code
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'NODE_TLS_REJECT_UNAUTHORIZED',
  'PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONINSPECT', 'PYTHONUSERBASE', 'PERL5LIB', 'PERL5OPT', 'PERLLIB',
  'RUBYOPT', 'RUBYLIB', 'LUA_INIT', 'LUA_INIT_*', 'LUA_PATH', 'LUA_PATH_*', 'LUA_CPATH', 'LUA_CPATH_*',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH',
  // git: config injection, hooks and helpers that execute, repository redirection
  'GIT_CONFIG', 'GIT_CONFIG_*', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_ASKPASS', 'SSH_ASKPASS',
  'GIT_PROXY_COMMAND', 'GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_TEMPLATE_DIR',
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_TRACE*', 'GIT_SSL_NO_VERIFY',
  'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_ALLOW_PROTOCOL', 'GIT_PROTOCOL_FROM_USER',
  // generic helpers that execute
  'PAGER', 'EDITOR', 'VISUAL', 'BROWSER', 'SUDO_ASKPASS',
  // trust stores and proxies (traffic interception)
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE',
  'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY', 'FTP_PROXY',
];

/** A compiled deny list: exact names plus prefixes, upper-cased. */
export interface EnvDenyList {
  readonly exact: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

/** Compiles deny patterns (`NAME` or `PREFIX*`). */
export function compileDenyList(patterns: readonly string[]): EnvDenyList {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const pattern of patterns) {
    const upper = pattern.toUpperCase();
    if (upper.endsWith('*')) prefixes.push(upper.slice(0, -1));
    else exact.add(upper);
  }
  return { exact, prefixes };
}

/** True when `name` matches the deny list. */
export function isDeniedEnv(name: string, deny: EnvDenyList): boolean {
  const upper = name.toUpperCase();
  return deny.exact.has(upper) || deny.prefixes.some((prefix) => upper.startsWith(prefix));
}

/** A portable variable name: what POSIX shells can export, so no `=`, NUL or spaces. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuse(binary: string, name: string, reason: string): never {
  throw new JobHostError('ERR_ENV_REFUSED', `Environment variable ${JSON.stringify(name)} for "${binary}" refused: ${reason}`, {
    details: { binary, name },
  });
}

/**
 * Returns the environment a job runs with: the host's base plus the request's
 * additions, or throws `ERR_ENV_REFUSED` naming the first offending variable.
 */
export function buildEnv(
  binary: string,
  requested: Readonly<Record<string, string>>,
  base: Readonly<Record<string, string>>,
  deny: EnvDenyList,
  allowedNames: readonly string[] | undefined,
  maxBytes: number,
): Record<string, string> {
  const env: Record<string, string> = { ...base };
  let bytes = 0;
  for (const [name, value] of Object.entries(requested)) {
    // `__proto__` is a valid shell name but cannot be an own key of a plain object: refuse rather than lose it
    if (!ENV_NAME.test(name) || name === '__proto__') refuse(binary, name, 'not a valid variable name');
    if (isDeniedEnv(name, deny)) refuse(binary, name, 'it can change which code runs or which configuration is trusted');
    if (allowedNames !== undefined && !allowedNames.includes(name)) {
      refuse(binary, name, `this binary only accepts ${allowedNames.length === 0 ? 'no variables' : allowedNames.join(', ')}`);
    }
    if (value.includes('\0')) refuse(binary, name, 'the value contains a NUL byte');
    bytes += name.length + Buffer.byteLength(value) + 2;
    if (bytes > maxBytes) refuse(binary, name, `request env exceeds ${maxBytes} bytes`);
    env[name] = value;
  }
  return env;
}

/** Names passed through from `process.env` by default: enough for locale, temp files and user lookup. */
export const DEFAULT_PASSTHROUGH_ENV: readonly string[] = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR', 'TERM',
];

/** The default base environment: {@link DEFAULT_PASSTHROUGH_ENV} taken from `source`. */
export function defaultBaseEnv(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of DEFAULT_PASSTHROUGH_ENV) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
