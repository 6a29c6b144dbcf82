/**
 * The deny list: the second net under the env allow-list.
 *
 * A binary's `env` rule decides what a request may set (nothing, without
 * one). The deny list is checked as well, so a rule written too broadly
 * (`'GIT_*'`, `'LD*'`) still cannot hand a plugin the loader, an interpreter's
 * startup hooks, or git's config. It is never the only defence: no list can
 * name every variable of every tool (`TAR_OPTIONS`, `OPENSSL_CONF`,
 * `RUSTC_WRAPPER`, `MAKEFLAGS`, … are on it, the next tool's are not).
 */

/**
 * Names neither a request nor the host's base environment may set, compared
 * case-insensitively; a trailing `*` is a prefix. Grouped by what they
 * subvert. Hosts add names with the `denyEnv` option.
 */
export const DENIED_ENV: readonly string[] = [
  // dynamic loaders and libc
  'LD_*', 'DYLD_*', 'GCONV_PATH', 'GLIBC_TUNABLES', 'HOSTALIASES', 'MALLOC_*', 'RESOLV_HOST_CONF', 'LOCPATH', 'NLSPATH',
  // shells: startup files, exported functions, prompts that execute
  'BASH_ENV', 'ENV', 'BASH_FUNC_*', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'IFS', 'CDPATH', 'ZDOTDIR',
  // interpreters: preload, module paths, startup code, debuggers
  'NODE_OPTIONS', 'NODE_PATH', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_REPL_EXTERNAL_MODULE',
  'PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONINSPECT', 'PYTHONUSERBASE', 'PYTHONBREAKPOINT',
  'PERL5LIB', 'PERL5OPT', 'PERLLIB', 'PERL5DB', 'PERLDB_OPTS', 'RUBYOPT', 'RUBYLIB', 'RUBYSHELL',
  'LUA_INIT', 'LUA_INIT_*', 'LUA_PATH', 'LUA_PATH_*', 'LUA_CPATH', 'LUA_CPATH_*',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH',
  // git: config injection, hooks and helpers that execute, repository redirection
  'GIT_CONFIG', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_*', 'GIT_CONFIG_VALUE_*', 'GIT_CONFIG_PARAMETERS', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_ASKPASS', 'SSH_ASKPASS',
  'GIT_PROXY_COMMAND', 'GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_TEMPLATE_DIR',
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES', 'GIT_NAMESPACE', 'GIT_TRACE*', 'GIT_SSL_NO_VERIFY',
  'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'GIT_ALLOW_PROTOCOL', 'GIT_PROTOCOL_FROM_USER',
  // other tools' option and config variables that run programs or load code
  'TAR_OPTIONS', 'OPENSSL_CONF', 'OPENSSL_ENGINES', 'OPENSSL_MODULES', 'MAKEFLAGS', 'MAKEFILES', 'MFLAGS', 'GNUMAKEFLAGS',
  'RUSTC_WRAPPER', 'RUSTC_WORKSPACE_WRAPPER', 'CURL_HOME', 'WGETRC', 'LESSOPEN', 'LESSCLOSE',
  // generic helpers that execute
  'PAGER', 'EDITOR', 'VISUAL', 'BROWSER', 'SUDO_ASKPASS', 'MANPAGER', 'MANOPT', 'SYSTEMD_PAGER', 'SYSTEMD_EDITOR',
];

/**
 * Names a request may not set but the host's base environment may: where
 * programs are looked up, where home-relative config lives, which trust store
 * and proxy the host's network uses. A host legitimately decides these; a
 * plugin choosing them would choose which program or certificate is trusted.
 */
export const HOST_ONLY_ENV: readonly string[] = [
  'PATH', 'HOME', 'XDG_CONFIG_HOME', 'XDG_CONFIG_DIRS', 'XDG_DATA_HOME', 'XDG_DATA_DIRS', 'GNUPGHOME',
  // which config files git reads: a host hardening its own git points them at /dev/null
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE', 'NODE_EXTRA_CA_CERTS',
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
