import { describe, it, expect } from 'vitest';
import * as z from 'zod';
import type { JobHostError } from '../../src/errors.js';
import { checkArgs, type ArgsLimits, type ArgsPolicy } from '../../src/policy/args.js';
import { expectJobHostError } from '../helpers/errors.js';

const LIMITS: ArgsLimits = { maxArgs: 4096, maxArgsBytes: 1_048_576 };

/** The ERR_ARGS_REFUSED error `fn` throws, or a test failure when it does not throw one. */
function refusal(fn: () => unknown): JobHostError {
  const error = expectJobHostError(fn, 'ERR_ARGS_REFUSED');
  expect(error.details).toMatchObject({ binary: 'tool' });
  return error;
}

const check = (args: readonly string[], policy?: ArgsPolicy, limits: ArgsLimits = LIMITS): void => checkArgs('tool', args, limits, policy);

describe('checkArgs NUL bytes', () => {
  it('refuses a NUL byte and names the argument index', () => {
    const error = refusal(() => check(['ok', 'also ok', 'b\0ad']));
    expect(error.details).toMatchObject({ index: 2 });
    expect(error.message).toContain('argument 2');
  });

  it('refuses a NUL byte in the first argument', () => {
    expect(refusal(() => check(['\0'])).details).toMatchObject({ index: 0 });
  });

  it('accepts arguments a shell would choke on, since there is no shell', () => {
    expect(() => check(['$(rm -rf /)', '; echo', '"quoted"', "'", '\n', ''])).not.toThrow();
  });
});

describe('checkArgs bounds', () => {
  it('accepts exactly maxArgs arguments and refuses one more', () => {
    const limits = { maxArgs: 3, maxArgsBytes: 1000 };
    expect(() => check(['a', 'b', 'c'], undefined, limits)).not.toThrow();
    expect(refusal(() => check(['a', 'b', 'c', 'd'], undefined, limits)).message).toContain('4 arguments exceed the limit of 3');
  });

  it('accepts no arguments even with maxArgs 0', () => {
    expect(() => check([], undefined, { maxArgs: 0, maxArgsBytes: 0 })).not.toThrow();
    refusal(() => check([''], undefined, { maxArgs: 0, maxArgsBytes: 0 }));
  });

  it('accepts exactly maxArgsBytes and refuses one byte more', () => {
    const limits = { maxArgs: 100, maxArgsBytes: 10 };
    expect(() => check(['12345', '12345'], undefined, limits)).not.toThrow();
    expect(refusal(() => check(['12345', '123456'], undefined, limits)).message).toContain('11 bytes');
  });

  it('counts UTF-8 bytes, not characters', () => {
    const limits = { maxArgs: 100, maxArgsBytes: 10 };
    expect(() => check(['€€€', 'a'], undefined, limits)).not.toThrow();
    refusal(() => check(['€€€', 'ab'], undefined, limits));
  });

  it('checks the bounds before consulting the policy', () => {
    let calls = 0;
    const policy = (): true => {
      calls++;
      return true;
    };
    refusal(() => check(['a', 'b\0'], policy));
    refusal(() => check(['a', 'b'], policy, { maxArgs: 1, maxArgsBytes: 100 }));
    expect(calls).toBe(0);
  });
});

describe('checkArgs zod schema policy', () => {
  const build = z.tuple([z.literal('build')]).rest(z.string());

  it('accepts arguments that match the schema', () => {
    expect(() => check(['build'], build)).not.toThrow();
    expect(() => check(['build', '--release', 'pkg'], build)).not.toThrow();
  });

  it('refuses arguments that do not match and names the argument', () => {
    const error = refusal(() => check(['test', '--release'], build));
    expect(error.message).toContain('(argument 0)');
    expect(Array.isArray(error.details.issues)).toBe(true);
  });

  it('refuses an empty args array against a required first argument', () => {
    refusal(() => check([], build));
  });

  it('uses the schema’s own message', () => {
    const noDashes = z.array(z.string().refine((arg) => !arg.startsWith('-'), { message: 'options are not allowed' }));
    const error = refusal(() => check(['ok', '--bad'], noDashes));
    expect(error.message).toContain('options are not allowed');
    expect(error.message).toContain('(argument 1)');
  });

  it('refuses through a whole-array refinement without a path', () => {
    const short = z.array(z.string()).refine((args) => args.length < 2, { message: 'too many' });
    const error = refusal(() => check(['a', 'b'], short));
    expect(error.message).toContain('too many');
    expect(error.message).not.toContain('(argument');
  });
});

describe('checkArgs predicate policy', () => {
  it('accepts when the predicate returns true and passes it the args', () => {
    let seen: readonly string[] | undefined;
    expect(() =>
      check(['status', '-s'], (args) => {
        seen = args;
        return true;
      }),
    ).not.toThrow();
    expect(seen).toEqual(['status', '-s']);
  });

  it('refuses with a generic reason when the predicate returns false', () => {
    expect(refusal(() => check(['x'], () => false)).message).toContain('rejected by the binary policy');
  });

  it('refuses with the predicate’s reason when it returns a string', () => {
    const error = refusal(() => check(['push'], () => 'push is not allowed'));
    expect(error.message).toBe('Arguments for "tool" refused: push is not allowed');
  });

  it('treats an empty reason string as a refusal', () => {
    refusal(() => check(['x'], () => ''));
  });
});
