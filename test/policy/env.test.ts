import { describe, it, expect } from 'vitest';
import { JobHostError, isJobHostError } from '../../src/errors.js';
import {
  DEFAULT_PASSTHROUGH_ENV,
  DENIED_ENV,
  buildEnv,
  compileDenyList,
  defaultBaseEnv,
  isDeniedEnv,
} from '../../src/policy/env.js';
import { expectJobHostError } from '../helpers/errors.js';

const DENY = compileDenyList(DENIED_ENV);
const BASE = Object.freeze({ PATH: '/usr/bin:/bin', HOME: '/home/plugin', LANG: 'C.UTF-8' });
const MAX = 65_536;

function build(requested: Record<string, string>, options: { allowed?: readonly string[]; maxBytes?: number } = {}): Record<string, string> {
  return buildEnv('git', requested, BASE, DENY, options.allowed, options.maxBytes ?? MAX);
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

describe('buildEnv deny list', () => {
  const names = DENIED_ENV.flatMap(namesFor);

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
    expect(() => buildEnv('git', { corp_secret: 'x' }, BASE, deny, undefined, MAX)).toThrow(JobHostError);
    expect(() => buildEnv('git', { VAULT_TOKEN: 'x' }, BASE, deny, undefined, MAX)).toThrow(JobHostError);
    expect(buildEnv('git', { CORP_NAME: 'x' }, BASE, deny, undefined, MAX)).toMatchObject({ CORP_NAME: 'x' });
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
      expect(isJobHostError(error)).toBe(true);
      return;
    }
    expect(Object.hasOwn(env, '__proto__')).toBe(true);
    expect(Object.entries(env)).toContainEqual(['__proto__', 'x']);
  });
});

describe('buildEnv narrowing to allowed names', () => {
  it('accepts an allowed name', () => {
    expect(build({ RUST_LOG: 'info' }, { allowed: ['RUST_LOG', 'NO_COLOR'] })).toEqual({ ...BASE, RUST_LOG: 'info' });
  });

  it('refuses a name outside the allowed set and says which are allowed', () => {
    const error = refusal(() => build({ OTHER: '1' }, { allowed: ['RUST_LOG', 'NO_COLOR'] }));
    expect(error.message).toContain('RUST_LOG, NO_COLOR');
  });

  it('compares allowed names exactly', () => {
    refusal(() => build({ rust_log: 'info' }, { allowed: ['RUST_LOG'] }));
  });

  it('refuses every variable when the allowed list is empty', () => {
    const error = refusal(() => build({ ANYTHING: '1' }, { allowed: [] }));
    expect(error.message).toContain('no variables');
    expect(build({}, { allowed: [] })).toEqual(BASE);
  });

  it('still applies the deny list to an allowed name', () => {
    expect(refusal(() => build({ LD_PRELOAD: 'x' }, { allowed: ['LD_PRELOAD'] })).message).toContain(DENY_REASON);
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
    const env = buildEnv('git', { NO_COLOR: '1' }, base, DENY, undefined, MAX);
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
