/**
 * Hostile environments. The allow-list first: a binary without an `env` rule
 * takes no request variable at all — other tools' code-running variables
 * (an archiver's, a build tool's, a TLS library's, a version manager's) that
 * no deny list names included. Then the deny list as a second net under a
 * rule that allows every name: loader and hook variables in any case. Names
 * that are not names, NUL bytes and oversized values, names outside a
 * binary's own list. Guarantee: ERR_ENV_REFUSED naming the variable, nothing
 * starts, and the next request is served. Newlines in values are data; the
 * host's own environment never leaks into a job.
 */
import { describe, expect, it } from 'vitest';
import type { JobSpawnRequestInput } from '../../src/contracts/jobs.js';
import { fixture } from '../helpers/host.js';
import { useSentinel } from './harness.js';

/** A rule as broad as a rule can be: every first character as a prefix. Only the deny list stands behind it. */
const EVERY_NAME = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'].map((c) => `${c}*`);
const sentinel = useSentinel({}, {
  'env-narrow': { path: fixture('env.mjs'), env: ['ALLOWED_NAME'] },
  'env-open': { path: fixture('env.mjs'), env: EVERY_NAME },
  printenv: { env: EVERY_NAME },
});
const OWNER = 'hostile-plugin';

/** The `env` fixture prints `NAME=value` for each name in its arguments. */
const request = (env: Record<string, string>, binary = 'env-open', args = Object.keys(env)): JobSpawnRequestInput => ({ label: 'env', binary, args, env });
const spawn = (env: Record<string, string>, binary?: string) => () => sentinel().host.forOwner(OWNER).spawn(request(env, binary, []));

/** Variables that change which code runs or which configuration is trusted, in every case a plugin might try. */
const DENIED: readonly string[] = [
  'LD_PRELOAD', 'ld_preload', 'Ld_PrElOaD', 'LD_AUDIT', 'LD_LIBRARY_PATH', 'LD_BIND_NOW',
  'DYLD_INSERT_LIBRARIES', 'dyld_library_path', 'DYLD_FRAMEWORK_PATH',
  'GLIBC_TUNABLES', 'GCONV_PATH', 'MALLOC_CHECK_',
  'NODE_OPTIONS', 'node_options', 'NODE_PATH',
  'BASH_ENV', 'ENV', 'env', 'BASH_FUNC_ls', 'PS4', 'PROMPT_COMMAND', 'IFS', 'SHELLOPTS',
  'PYTHONSTARTUP', 'PYTHONPATH', 'pythonstartup', 'PERL5OPT', 'PERL5LIB', 'RUBYOPT', 'LUA_INIT', 'LUA_INIT_5_4', 'JAVA_TOOL_OPTIONS',
  'GIT_CONFIG', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_GLOBAL', 'git_config_global',
  'GIT_SSH_COMMAND', 'git_ssh_command', 'GIT_SSH', 'GIT_ASKPASS', 'GIT_EXEC_PATH', 'GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'GIT_DIR', 'GIT_TRACE2_EVENT',
  'PATH', 'path', 'HOME', 'XDG_CONFIG_HOME',
  'PAGER', 'EDITOR', 'VISUAL', 'BROWSER',
  'HTTPS_PROXY', 'https_proxy', 'http_proxy', 'ALL_PROXY', 'SSL_CERT_FILE', 'NODE_TLS_REJECT_UNAUTHORIZED',
];

/** Not portable variable names: what a shell cannot export, or look-alikes of denied names. */
const BAD_NAMES: readonly { name: string; variable: string }[] = [
  { name: 'empty', variable: '' },
  { name: 'with =', variable: 'A=B' },
  { name: 'with a space', variable: 'A B' },
  { name: 'starting with a digit', variable: '1ABC' },
  { name: 'with a dash', variable: 'A-B' },
  { name: 'with NUL', variable: 'A\0' },
  { name: 'LD_PRELOAD with NUL appended', variable: 'LD_PRELOAD\0' },
  { name: 'with a newline', variable: 'A\nLD_PRELOAD' },
  { name: 'LD_PRELOAD with a trailing space', variable: 'LD_PRELOAD ' },
  { name: 'bash exported function BASH_FUNC_ls%%', variable: 'BASH_FUNC_ls%%' },
  { name: 'fullwidth ＬＤ_PRELOAD', variable: '\uff2c\uff24_PRELOAD' },
  { name: "Cyrillic look-alike 'ЕDITOR' (U+0415)", variable: '\u0415DITOR' },
  { name: 'non-ASCII letter', variable: '\u00e9' },
  { name: '10 000 characters with a dot', variable: `${'A'.repeat(9_999)}.` },
];

/**
 * Variables of other tools that make them run code or load a config that does: none is on the deny
 * list on purpose (no list can name them all), so only the allow-list stops them.
 */
const OTHER_TOOLS: readonly string[] = [
  'TAR_OPTIONS_X', 'CARGO_BUILD_RUSTC_WRAPPER', 'CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER', 'npm_config_script_shell', 'NPM_CONFIG_USERCONFIG',
  'OPENSSL_ENGINES_X', 'SSLKEYLOGFILE', 'ASDF_NODEJS_VERSION', 'ASDF_DATA_DIR', 'PYENV_VERSION', 'RBENV_VERSION', 'MISE_DATA_DIR', 'VOLTA_HOME',
  'GRADLE_OPTS', 'MAVEN_OPTS', 'GOFLAGS', 'CGO_CFLAGS', 'PIP_CONFIG_FILE', 'BUNDLE_GEMFILE', 'COMPOSER_HOME', 'DOTNET_STARTUP_HOOKS', 'CORECLR_PROFILER_PATH',
  'GIT_AUTHOR_NAME', 'NO_COLOR', 'X',
];

describe('env: a binary without an env rule takes no request variable at all', () => {
  it.each(OTHER_TOOLS)('%s → ERR_ENV_REFUSED', async (name) => {
    const error = await sentinel().refused(OWNER, spawn({ [name]: 'x' }, 'env'), 'ERR_ENV_REFUSED');
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.message).toContain('accepts no request variables');
  });
});

describe('env: loader and hook variables, under a rule that allows every name', () => {
  it.each(DENIED)('%s → ERR_ENV_REFUSED', async (name) => {
    const error = await sentinel().refused(OWNER, spawn({ [name]: '/tmp/evil.so' }), 'ERR_ENV_REFUSED');
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.details).toMatchObject({ name });
  });
});

describe('env: names that are not names', () => {
  it.each(BAD_NAMES)('$name → ERR_ENV_REFUSED', async ({ variable }) => {
    const error = await sentinel().refused(OWNER, spawn({ [variable]: 'x' }), 'ERR_ENV_REFUSED');
    expect(error.message).toContain('not a valid variable name');
  });
});

describe('env: values and bounds', () => {
  const cases: readonly { name: string; env: Record<string, string>; binary?: string; reason: RegExp }[] = [
    { name: 'NUL in a value', env: { SAFE: 'a\0b' }, reason: /NUL byte/ },
    { name: 'a value of 64 KiB + 1', env: { SAFE: 'x'.repeat(65_537) }, reason: /exceeds 65536 bytes/ },
    { name: 'many small variables past 64 KiB', env: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`V${i}`, 'x'.repeat(40)])), reason: /exceeds 65536 bytes/ },
    { name: 'a denied variable hidden after 100 harmless ones', env: { ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`V${i}`, 'x'])), LD_PRELOAD: '/tmp/x.so' }, reason: /can change which code runs/ },
    { name: 'a name outside the binary’s own list', env: { OTHER: 'x' }, binary: 'env-narrow', reason: /only accepts ALLOWED_NAME/ },
    { name: 'a denied variable the binary’s list does not name', env: { LD_PRELOAD: 'x' }, binary: 'env-narrow', reason: /only accepts ALLOWED_NAME/ },
    { name: 'the listed name in another case', env: { allowed_name: 'x' }, binary: 'env-narrow', reason: /only accepts ALLOWED_NAME/ },
  ];
  it.each(cases)('$name → ERR_ENV_REFUSED', async ({ env, binary, reason }) => {
    const error = await sentinel().refused(OWNER, spawn(env, binary), 'ERR_ENV_REFUSED');
    expect(error.message).toMatch(reason);
  });
});

describe('env: documented benign behaviour', () => {
  it('a newline in a value is data: the job sees it verbatim', async () => {
    const { end, lines } = await sentinel().run(OWNER, request({ MULTI: 'one\nLD_PRELOAD=/tmp/evil.so' }));
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(['MULTI=one', 'LD_PRELOAD=/tmp/evil.so']);
  });

  it('a JSON "__proto__" variable is dropped by the contract and pollutes nothing', async () => {
    const env = JSON.parse('{"__proto__":"x","SAFE":"1"}') as Record<string, string>;
    const { end, lines } = await sentinel().run(OWNER, { label: 'proto', binary: 'printenv', args: [], env });
    expect(end.type).toBe('job_completed');
    expect(lines).toContain('SAFE=1');
    expect(lines.filter((line) => line.startsWith('__proto__'))).toEqual([]);
  });

  it("the binary's listed name is accepted", async () => {
    const { end, lines } = await sentinel().run(OWNER, request({ ALLOWED_NAME: 'yes' }, 'env-narrow'));
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(['ALLOWED_NAME=yes']);
  });

  it("the host's own environment does not leak into a job", async () => {
    process.env.JOBHOST_ADVERSARIAL_SECRET = 'hunter2';
    try {
      const { lines } = await sentinel().run(OWNER, { label: 'leak', binary: 'env', args: ['JOBHOST_ADVERSARIAL_SECRET', 'NODE_OPTIONS', 'LD_PRELOAD', 'VITEST'] });
      expect(lines).toEqual(['JOBHOST_ADVERSARIAL_SECRET unset', 'NODE_OPTIONS unset', 'LD_PRELOAD unset', 'VITEST unset']);
    } finally {
      delete process.env.JOBHOST_ADVERSARIAL_SECRET;
    }
  });
});
