import { describe, it, expect } from 'vitest';
import * as z from 'zod';
import { JobHostError } from '../../src/errors.js';
import {
  DEFAULT_PASSTHROUGH_ENV,
  DENIED_ENV,
  HOST_ONLY_ENV,
  buildEnv,
  checkBaseEnv,
  compileDenyList,
  compileEnvRule,
  defaultBaseEnv,
  isDeniedEnv,
  type EnvRule,
} from '../../src/policy/env/index.js';
import { expectJobHostError } from '../helpers/errors.js';

const DENY = compileDenyList([...DENIED_ENV, ...HOST_ONLY_ENV]);
const BASE = Object.freeze({ PATH: '/usr/bin:/bin', HOME: '/home/plugin', LANG: 'C.UTF-8' });
const MAX = 65_536;
/** A rule as broad as a rule can be (every first character as a prefix): only the deny list stands between it and the variables that run code. */
const EVERYTHING: EnvRule = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'].map((c) => `${c}*`);

function build(requested: Record<string, string>, options: { allowed?: EnvRule; maxBytes?: number } = {}): Record<string, string> {
  return buildEnv('git', requested, BASE, DENY, compileEnvRule('git', options.allowed ?? EVERYTHING), options.maxBytes ?? MAX);
}

/** The ERR_ENV_REFUSED error `fn` throws, or a test failure when it does not throw one. */
function refusal(fn: () => unknown): JobHostError {
  return expectJobHostError(fn, 'ERR_ENV_REFUSED');
}

const DENY_REASON = 'it can change which code runs';

/** Concrete names a deny pattern covers: the name itself, or for `PREFIX*` the bare prefix and a longer name. */
function namesFor(pattern: string): string[] {
  return pattern.endsWith('*') ? [pattern.slice(0, -1), `${pattern.slice(0, -1)}X_1`] : [pattern];
}

describe('buildEnv deny list: the second net under a rule that allows every name', () => {
  const names = [...DENIED_ENV, ...HOST_ONLY_ENV].flatMap(namesFor);

  it.each(names)('refuses %s', (name) => {
    const error = refusal(() => build({ [name]: 'x' }));
    expect(error.message).toContain(DENY_REASON);
    expect(error.details).toMatchObject({ binary: 'git', name });
  });

  it.each(names.map((name) => [name.toLowerCase()]))('refuses %s in lower case', (name) => {
    expect(refusal(() => build({ [name]: 'x' })).message).toContain(DENY_REASON);
  });

  it.each(names.map((name) => [name.replace(/[A-Z]/g, (c, i: number) => (i % 2 === 0 ? c.toLowerCase() : c))]))('refuses %s in mixed case', (name) => {
    expect(refusal(() => build({ [name]: 'x' })).message).toContain(DENY_REASON);
  });

  it.each(['ld_preload', 'Ld_Preload', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_TRACE2_EVENT'])(
    'refuses %s',
    (name) => {
      expect(refusal(() => build({ [name]: '/tmp/evil.so' })).message).toContain(DENY_REASON);
    },
  );

  it('refuses an exported shell function name (BASH_FUNC_x%%)', () => {
    const error = refusal(() => build({ 'BASH_FUNC_x%%': '() { evil; }' }));
    expect(error.details).toMatchObject({ name: 'BASH_FUNC_x%%' });
  });

  it('does not treat an exact name as a prefix', () => {
    // 'PATH' is exact, so a longer name that merely starts with it is a different variable
    expect(build({ PATHOLOGY: 'yes' })).toMatchObject({ PATHOLOGY: 'yes' });
    expect(isDeniedEnv('PATHX', DENY)).toBe(false);
    expect(isDeniedEnv('path', DENY)).toBe(true);
  });

  it('names the first offending variable', () => {
    const error = refusal(() => build({ OK_ONE: '1', NODE_OPTIONS: '--require evil', LD_PRELOAD: 'x' }));
    expect(error.details).toMatchObject({ name: 'NODE_OPTIONS' });
  });

  it('applies host-added patterns', () => {
    const deny = compileDenyList([...DENIED_ENV, 'CORP_SECRET', 'vault_*']);
    const rule = compileEnvRule('git', EVERYTHING);
    expect(() => buildEnv('git', { corp_secret: 'x' }, BASE, deny, rule, MAX)).toThrow(JobHostError);
    expect(() => buildEnv('git', { VAULT_TOKEN: 'x' }, BASE, deny, rule, MAX)).toThrow(JobHostError);
    expect(buildEnv('git', { CORP_NAME: 'x' }, BASE, deny, rule, MAX)).toMatchObject({ CORP_NAME: 'x' });
  });
});

describe('buildEnv names and values', () => {
  it.each([
    ['A=B', 'an equals sign'],
    ['', 'an empty name'],
    ['1X', 'a leading digit'],
    ['A B', 'a space'],
    ['A\0', 'a NUL byte'],
    ['A-B', 'a dash'],
    ['É', 'a non-ASCII letter'],
  ])('refuses the name %j (%s)', (name) => {
    const error = refusal(() => build({ [name]: 'x' }));
    expect(error.message).toContain('not a valid variable name');
  });

  it('refuses a NUL byte in a value', () => {
    const error = refusal(() => build({ GREETING: 'hello\0world' }));
    expect(error.message).toContain('NUL');
    expect(error.details).toMatchObject({ name: 'GREETING' });
  });

  it('accepts ordinary names and values, including empty values and unicode', () => {
    expect(build({ _PRIVATE: '', RUST_LOG: 'debug', Greeting: 'grüße €' })).toEqual({
      ...BASE,
      _PRIVATE: '',
      RUST_LOG: 'debug',
      Greeting: 'grüße €',
    });
  });

  it('passes through or refuses a valid but unusual name like __proto__, never drops it silently', () => {
    const requested = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    let env: Record<string, string> | undefined;
    try {
      env = build(requested);
    } catch (error) {
      expect(error instanceof JobHostError).toBe(true);
      return;
    }
    expect(Object.hasOwn(env, '__proto__')).toBe(true);
    expect(Object.entries(env)).toContainEqual(['__proto__', 'x']);
  });
});

describe('buildEnv: the env rule is an allow-list', () => {
  it('a binary without an env rule accepts no request variables at all, however harmless they look', () => {
    for (const name of ['NO_COLOR', 'RUST_LOG', 'TAR_OPTIONS', 'OPENSSL_CONF', 'MAKEFLAGS', 'CARGO_BUILD_RUSTC_WRAPPER', 'ASDF_NODEJS_VERSION', 'GIT_AUTHOR_NAME']) {
      const error = refusal(() => buildEnv('tar', { [name]: '1' }, BASE, DENY, compileEnvRule('tar', undefined), MAX));
      expect(error.message).toContain('accepts no request variables');
      expect(error.message).toContain(JSON.stringify(name));
    }
    expect(buildEnv('tar', {}, BASE, DENY, compileEnvRule('tar', undefined), MAX)).toEqual(BASE);
  });

  it('accepts an allowed name', () => {
    expect(build({ RUST_LOG: 'info' }, { allowed: ['RUST_LOG', 'NO_COLOR'] })).toEqual({ ...BASE, RUST_LOG: 'info' });
  });

  it('refuses a name outside the allowed set and says which are allowed', () => {
    const error = refusal(() => build({ OTHER: '1' }, { allowed: ['RUST_LOG', 'NO_COLOR'] }));
    expect(error.message).toContain('RUST_LOG, NO_COLOR');
  });

  it('compares allowed names exactly (the environment is case-sensitive)', () => {
    refusal(() => build({ rust_log: 'info' }, { allowed: ['RUST_LOG'] }));
    refusal(() => build({ RUST_LOGS: 'info' }, { allowed: ['RUST_LOG'] }));
  });

  it('a PREFIX* pattern allows the names that start with it, and only those', () => {
    expect(build({ MYTOOL_LEVEL: 'debug', MYTOOL_: 'x' }, { allowed: ['MYTOOL_*'] })).toMatchObject({ MYTOOL_LEVEL: 'debug', MYTOOL_: 'x' });
    refusal(() => build({ MYTOOLX: '1' }, { allowed: ['MYTOOL_*'] }));
    refusal(() => build({ OTHER_MYTOOL_X: '1' }, { allowed: ['MYTOOL_*'] }));
  });

  it('refuses every variable when the allowed list is empty', () => {
    const error = refusal(() => build({ ANYTHING: '1' }, { allowed: [] }));
    expect(error.message).toContain('accepts no request variables');
    expect(build({}, { allowed: [] })).toEqual(BASE);
  });

  it('still applies the deny list to an allowed name or prefix', () => {
    expect(refusal(() => build({ LD_PRELOAD: 'x' }, { allowed: ['LD_PRELOAD'] })).message).toContain(DENY_REASON);
    expect(refusal(() => build({ GIT_CONFIG_COUNT: '1' }, { allowed: ['GIT_*'] })).message).toContain(DENY_REASON);
    expect(refusal(() => build({ PATH: '/tmp' }, { allowed: ['PATH'] })).message).toContain(DENY_REASON);
  });

  it('checks a value against the schema its name has, and quotes the first fault', () => {
    const allowed = { LEVEL: z.enum(['debug', 'info']), COUNT: z.string().regex(/^\d{1,3}$/), FREE: true } as const;
    expect(build({ LEVEL: 'debug', COUNT: '12', FREE: 'anything at all' }, { allowed })).toMatchObject({ LEVEL: 'debug', COUNT: '12' });
    expect(refusal(() => build({ LEVEL: 'trace' }, { allowed })).message).toMatch(/LEVEL.*breaks the binary's env rule/);
    expect(refusal(() => build({ COUNT: '1; rm -rf /' }, { allowed })).details).toMatchObject({ name: 'COUNT' });
  });

  it('a prefix with a schema checks every name it matches; the longest prefix wins', () => {
    const allowed = { 'TOOL_*': z.string().max(3), 'TOOL_LONG_*': true } as const;
    expect(build({ TOOL_A: 'abc', TOOL_LONG_B: 'a long value' }, { allowed })).toMatchObject({ TOOL_LONG_B: 'a long value' });
    refusal(() => build({ TOOL_A: 'abcd' }, { allowed }));
  });

  it('a schema that throws is a refusal, not an exception', () => {
    const hostile = z.string().refine(() => {
      throw new Error('boom');
    });
    const error = refusal(() => build({ X: '1' }, { allowed: { X: hostile } }));
    expect(error.message).toContain('boom');
  });
});

describe('compileEnvRule: a bad rule fails at construction', () => {
  it.each([
    ['*', 'allowing every variable'],
    ['A B', 'variable names'],
    ['1X', 'variable names'],
    ['X=Y', 'variable names'],
    ['', 'variable names'],
  ])('refuses the pattern %j', (pattern, message) => {
    const error = expectJobHostError(() => compileEnvRule('tool', [pattern]), 'ERR_INVALID_OPTIONS');
    expect(error.message).toContain(message);
    expect(error.message).toContain('binaries.tool.env');
  });

  it('refuses a non-list, non-map rule and a map value that is neither true nor a schema', () => {
    expectJobHostError(() => compileEnvRule('tool', 'NO_COLOR'), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => compileEnvRule('tool', z.string()), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => compileEnvRule('tool', [42]), 'ERR_INVALID_OPTIONS');
    expect(expectJobHostError(() => compileEnvRule('tool', { NO_COLOR: 'yes' }), 'ERR_INVALID_OPTIONS').message).toContain('`true` or a zod schema');
  });
});

describe('checkBaseEnv: the deny list applies to the host\'s own base environment', () => {
  const deny = compileDenyList(DENIED_ENV);

  it.each(['LD_PRELOAD', 'NODE_OPTIONS', 'GIT_CONFIG_COUNT', 'GIT_DIR', 'BASH_ENV', 'PYTHONPATH', 'TAR_OPTIONS', 'OPENSSL_CONF', 'ld_library_path'])('refuses %s in the base', (name) => {
    const error = expectJobHostError(() => checkBaseEnv({ PATH: '/usr/bin', [name]: 'x' }, deny), 'ERR_INVALID_OPTIONS');
    expect(error.message).toContain(name);
    expect(error.details).toMatchObject({ option: 'env', name });
  });

  it('accepts what a host legitimately decides: PATH, HOME, trust stores and proxies', () => {
    const base = { PATH: '/usr/bin', HOME: '/home/u', HTTPS_PROXY: 'http://proxy:3128', NODE_EXTRA_CA_CERTS: '/etc/ca.pem', LANG: 'C.UTF-8' };
    expect(checkBaseEnv(base, deny)).toEqual(base);
  });

  it('refuses a non-object, an invalid name and a non-string or NUL value', () => {
    expectJobHostError(() => checkBaseEnv('PATH=/bin', deny), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => checkBaseEnv({ 'A B': 'x' }, deny), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => checkBaseEnv({ A: 1 }, deny), 'ERR_INVALID_OPTIONS');
    expectJobHostError(() => checkBaseEnv({ A: 'x\0y' }, deny), 'ERR_INVALID_OPTIONS');
  });
});

describe('buildEnv maxBytes', () => {
  // each variable costs name + value bytes + 2
  it('accepts a request of exactly maxBytes and refuses one byte more', () => {
    expect(build({ FOO: 'x'.repeat(15) }, { maxBytes: 20 })).toMatchObject({ FOO: 'x'.repeat(15) });
    const error = refusal(() => build({ FOO: 'x'.repeat(16) }, { maxBytes: 20 }));
    expect(error.message).toContain('exceeds 20 bytes');
  });

  it('counts UTF-8 bytes of values, not UTF-16 units', () => {
    expect(build({ FOO: '€€€€€' }, { maxBytes: 20 })).toMatchObject({ FOO: '€€€€€' });
    refusal(() => build({ FOO: '€€€€€€' }, { maxBytes: 20 }));
  });

  it('sums over all requested variables', () => {
    expect(build({ A: '1234567', B: '1234567' }, { maxBytes: 20 })).toMatchObject({ A: '1234567', B: '1234567' });
    expect(refusal(() => build({ A: '1234567', B: '12345678' }, { maxBytes: 20 })).details).toMatchObject({ name: 'B' });
  });

  it('does not count the base environment', () => {
    expect(build({}, { maxBytes: 0 })).toEqual(BASE);
  });
});

describe('buildEnv base environment', () => {
  it('keeps the base and adds request values', () => {
    expect(build({ NO_COLOR: '1' })).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/plugin', LANG: 'C.UTF-8', NO_COLOR: '1' });
  });

  it('returns a new object and leaves the base untouched', () => {
    const base = { PATH: '/usr/bin' };
    const env = buildEnv('git', { NO_COLOR: '1' }, base, DENY, compileEnvRule('git', ['NO_COLOR']), MAX);
    expect(env).not.toBe(base);
    expect(base).toEqual({ PATH: '/usr/bin' });
  });

  it('refuses PATH and HOME from a request even though the base has them', () => {
    refusal(() => build({ PATH: '/tmp/evil' }));
    refusal(() => build({ HOME: '/tmp/evil' }));
  });
});

describe('defaultBaseEnv', () => {
  it('picks only the passthrough names', () => {
    const source = {
      PATH: '/usr/bin',
      HOME: '/root',
      USER: 'root',
      LANG: 'en_US.UTF-8',
      TZ: 'UTC',
      LD_PRELOAD: '/tmp/evil.so',
      NODE_OPTIONS: '--require evil',
      AWS_SECRET_ACCESS_KEY: 'secret',
      GIT_DIR: '/elsewhere',
      TERM: undefined,
    };
    expect(defaultBaseEnv(source)).toEqual({ PATH: '/usr/bin', HOME: '/root', USER: 'root', LANG: 'en_US.UTF-8', TZ: 'UTC' });
  });

  it('takes every passthrough name that is set', () => {
    const source = Object.fromEntries(DEFAULT_PASSTHROUGH_ENV.map((name) => [name, `v-${name}`]));
    expect(defaultBaseEnv({ ...source, EXTRA: 'no' })).toEqual(source);
  });

  it('is empty for an empty source', () => {
    expect(defaultBaseEnv({})).toEqual({});
  });
});
