/**
 * Hostile spawn requests: binary names that are paths or look-alikes, requests
 * of the wrong shape or type, arguments with NUL bytes or past the bounds, and
 * bogus spawn options. Guarantee: a synchronous JobHostError with its stable
 * code, no event, no id minted, and the next request is served. Shell syntax
 * and newlines in arguments are data: there is no shell.
 */
import { describe, expect, it } from 'vitest';
import type { JobSpawnRequestInput } from '../../src/contracts/jobs.js';
import type { JobHostErrorCode } from '../../src/errors.js';
import { useSentinel } from './harness.js';

const sentinel = useSentinel();
const OWNER = 'hostile-plugin';

interface Case {
  readonly name: string;
  readonly request: unknown;
}

const spawn = (request: unknown, options?: unknown) => () => sentinel().host.forOwner(OWNER).spawn(request as JobSpawnRequestInput, options as never);
const withBinary = (binary: unknown): unknown => ({ label: 'x', binary, args: ['still serving'] });
const withField = (field: string, value: unknown): unknown => ({ label: 'x', binary: 'echo', args: ['ok'], [field]: value });

/** Everything but a bare allow-list key: paths, traversal, look-alikes, shell syntax, prototype names. */
const NOT_ALLOWED: readonly Case[] = [
  { name: 'on PATH but not allow-listed (sh)', request: withBinary('sh') },
  { name: 'absolute path /bin/sh', request: withBinary('/bin/sh') },
  { name: "absolute path of the allow-listed echo's own file", request: withBinary('/usr/bin/echo') },
  { name: 'parent traversal ../echo', request: withBinary('../echo') },
  { name: 'relative ./echo', request: withBinary('./echo') },
  { name: 'trailing slash echo/', request: withBinary('echo/') },
  { name: 'a path bin/echo', request: withBinary('bin/echo') },
  { name: '..', request: withBinary('..') },
  { name: '.', request: withBinary('.') },
  { name: 'empty', request: withBinary('') },
  { name: "Cyrillic look-alike 'еcho' (U+0435)", request: withBinary('\u0435cho') },
  { name: 'fullwidth ｅｃｈｏ', request: withBinary('\uff45\uff43\uff48\uff4f') },
  { name: 'zero-width space appended', request: withBinary('echo\u200b') },
  { name: 'other case ECHO', request: withBinary('ECHO') },
  { name: 'leading space', request: withBinary(' echo') },
  { name: 'trailing space', request: withBinary('echo ') },
  { name: 'trailing dot', request: withBinary('echo.') },
  { name: 'newline appended', request: withBinary('echo\nsh') },
  { name: 'NUL appended', request: withBinary('echo\0') },
  { name: '10 000 characters', request: withBinary('e'.repeat(10_000)) },
  { name: '__proto__', request: withBinary('__proto__') },
  { name: 'constructor', request: withBinary('constructor') },
  { name: 'hasOwnProperty', request: withBinary('hasOwnProperty') },
  { name: 'shell syntax echo; sh', request: withBinary('echo; sh') },
  { name: 'command substitution $(sh)', request: withBinary('$(sh)') },
  { name: 'tilde ~/echo', request: withBinary('~/echo') },
  { name: 'a URL file:///bin/sh', request: withBinary('file:///bin/sh') },
  { name: 'a glob ech*', request: withBinary('ech*') },
  { name: 'Windows path ..\\sh', request: withBinary('..\\sh') },
];

/** Not a JobSpawnRequest: wrong types everywhere, lone surrogates, hostile objects. */
const INVALID: readonly Case[] = [
  { name: 'null', request: null },
  { name: 'undefined', request: undefined },
  { name: 'a number', request: 42 },
  { name: 'a command line as a string', request: 'echo still serving' },
  { name: 'an empty array', request: [] },
  { name: 'an empty object', request: {} },
  { name: 'label missing', request: { binary: 'echo', args: [] } },
  { name: 'label a number', request: { label: 42, binary: 'echo', args: [] } },
  { name: 'label null', request: { label: null, binary: 'echo', args: [] } },
  { name: 'binary an array', request: withBinary(['echo']) },
  { name: 'binary a number', request: withBinary(0) },
  { name: 'binary an object with toString', request: withBinary({ toString: () => 'echo' }) },
  { name: 'args a string', request: { label: 'x', binary: 'echo', args: 'still serving' } },
  { name: 'args null', request: { label: 'x', binary: 'echo', args: null } },
  { name: 'args with a number', request: { label: 'x', binary: 'echo', args: [1] } },
  { name: 'args with null', request: { label: 'x', binary: 'echo', args: [null] } },
  { name: 'args an array-like object', request: { label: 'x', binary: 'echo', args: { 0: 'a', length: 1 } } },
  { name: 'args nested', request: { label: 'x', binary: 'echo', args: [['a']] } },
  { name: 'cwd a number', request: withField('cwd', 0) },
  { name: 'cwd an array', request: withField('cwd', ['.']) },
  { name: 'env null (a default, not an Option)', request: withField('env', null) },
  { name: 'env value a number', request: withField('env', { A: 1 }) },
  { name: 'env value null', request: withField('env', { A: null }) },
  { name: 'env a string', request: withField('env', 'A=b') },
  { name: "timeout_secs '10' (a number as a string)", request: withField('timeout_secs', '10') },
  { name: 'timeout_secs -1', request: withField('timeout_secs', -1) },
  { name: 'timeout_secs 1.5', request: withField('timeout_secs', 1.5) },
  { name: 'timeout_secs NaN', request: withField('timeout_secs', Number.NaN) },
  { name: 'timeout_secs Infinity', request: withField('timeout_secs', Number.POSITIVE_INFINITY) },
  { name: 'timeout_secs 2^53 (past u64 as JS holds it)', request: withField('timeout_secs', 2 ** 53) },
  { name: 'timeout_secs -0', request: withField('timeout_secs', -0) },
  { name: 'timeout_secs null', request: withField('timeout_secs', null) },
  { name: 'label with a lone surrogate', request: { label: '\ud800', binary: 'echo', args: [] } },
  { name: 'binary with a lone surrogate', request: withBinary('ech\udc00') },
  { name: 'an argument with a lone surrogate', request: { label: 'x', binary: 'echo', args: ['\udfff'] } },
  { name: 'array form with 7 elements', request: ['x', 'echo', [], null, {}, 0, 'extra'] },
  { name: 'array form missing args', request: ['x', 'echo'] },
  { name: 'binary only in the prototype (JSON __proto__ key)', request: JSON.parse('{"__proto__":{"binary":"echo","args":[]},"label":"x"}') as unknown },
  {
    name: 'a getter that throws',
    request: {
      get label(): string {
        throw new Error('gotcha');
      },
      binary: 'echo',
      args: [],
    },
  },
  {
    name: 'a Proxy whose traps throw',
    request: new Proxy({}, {
      get: () => {
        throw new Error('trap');
      },
      ownKeys: () => {
        throw new Error('trap');
      },
    }),
  },
];

const MiB = 1024 * 1024;
/** Arguments the bounds or the NUL rule refuse. */
const ARGS: readonly Case[] = [
  { name: 'NUL inside an argument', request: { label: 'x', binary: 'echo', args: ['a\0b'] } },
  { name: 'an argument that is only NUL', request: { label: 'x', binary: 'echo', args: ['\0'] } },
  { name: 'NUL smuggling an option', request: { label: 'x', binary: 'echo', args: ['ok', 'x\0--evil'] } },
  { name: '4097 arguments (limit 4096)', request: { label: 'x', binary: 'echo', args: Array.from({ length: 4097 }, () => 'a') } },
  { name: 'a million arguments', request: { label: 'x', binary: 'echo', args: Array.from({ length: 1_000_000 }, () => '') } },
  { name: 'one argument of 1 MiB + 1 byte', request: { label: 'x', binary: 'echo', args: ['a'.repeat(MiB + 1)] } },
  { name: 'two arguments of 600 KiB', request: { label: 'x', binary: 'echo', args: ['a'.repeat(600 * 1024), 'b'.repeat(600 * 1024)] } },
  { name: 'multi-byte: 524 289 characters, 1 MiB + 2 bytes', request: { label: 'x', binary: 'echo', args: ['\u00e9'.repeat(MiB / 2 + 1)] } },
];

describe('spawn requests: refused binaries', () => {
  it.each(NOT_ALLOWED)('$name → ERR_BINARY_NOT_ALLOWED', async ({ request }) => {
    const error = await sentinel().refused(OWNER, spawn(request), 'ERR_BINARY_NOT_ALLOWED');
    expect(error.message).toContain('is not allow-listed');
  });
});

describe('spawn requests: not a JobSpawnRequest', () => {
  it.each(INVALID)('$name → ERR_INVALID_REQUEST', async ({ request }) => {
    const error = await sentinel().refused(OWNER, spawn(request), 'ERR_INVALID_REQUEST');
    expect(error.message).toMatch(/^Invalid JobSpawnRequest/);
  });

  it('a JSON __proto__ key pollutes nothing', () => {
    expect(({} as Record<string, unknown>).binary).toBeUndefined();
  });
});

describe('spawn requests: arguments', () => {
  it.each(ARGS)('$name → ERR_ARGS_REFUSED', async ({ request }) => {
    const error = await sentinel().refused(OWNER, spawn(request), 'ERR_ARGS_REFUSED');
    expect(error.message).toMatch(/^Arguments for "echo" refused: /);
  });
});

describe('spawn requests: options', () => {
  const cases: readonly { name: string; options: unknown; code: JobHostErrorCode }[] = [
    { name: 'an already aborted signal', options: { signal: AbortSignal.abort(new Error('no')) }, code: 'ERR_ABORTED' },
    { name: 'a signal that is a plain object', options: { signal: {} }, code: 'ERR_INVALID_OPTIONS' },
    { name: 'a signal that is a string', options: { signal: 'abort' }, code: 'ERR_INVALID_OPTIONS' },
    {
      name: 'a signal whose addEventListener throws',
      options: {
        signal: {
          aborted: false,
          addEventListener: () => {
            throw new Error('no');
          },
        },
      },
      code: 'ERR_INVALID_OPTIONS',
    },
  ];
  // Regression: a bogus signal used to throw a TypeError after the id was minted, leaving a job Pending forever.
  it.each(cases)('$name → $code, and no job is left behind', async ({ options, code }) => {
    const s = sentinel();
    await s.refused(OWNER, spawn({ label: 'x', binary: 'echo', args: ['x'] }, options), code);
    expect(s.host.forOwner(OWNER).list().filter((job) => job.status === 'Pending')).toEqual([]);
  });
});

describe('spawn requests: documented benign behaviour', () => {
  const SHELL = ['$(id)', '`id`', '; rm -rf ~', '| cat /etc/passwd', '&& sh', '> /tmp/pwned', '*', '$HOME', "'\"", '-n'];
  it('shell syntax in arguments is data: echo prints it literally (there is no shell)', async () => {
    const { end, lines } = await sentinel().run(OWNER, { label: 'shell', binary: 'echo', args: ['--', ...SHELL] });
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual([['--', ...SHELL].join(' ')]);
    await sentinel().serves(OWNER);
  });

  it('a newline in an argument is data: one argv element, printed as two lines', async () => {
    const { end, lines } = await sentinel().run(OWNER, { label: 'newline', binary: 'echo', args: ['first\nsecond', 'third'] });
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(['first', 'second third']);
    await sentinel().serves(OWNER);
  });

  it('the serde array form is a request like any other', async () => {
    const { end, lines } = await sentinel().run(OWNER, ['array form', 'echo', ['still serving']] as unknown as JobSpawnRequestInput);
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(['still serving']);
  });

  it('unknown fields (shell, path, uid, detached) are dropped, not obeyed', async () => {
    const request = { label: 'extra', binary: 'echo', args: ['plain'], shell: true, path: '/bin/sh', uid: 0, detached: false, argv0: 'sh' };
    const { end, lines } = await sentinel().run(OWNER, request);
    expect(end.type).toBe('job_completed');
    expect(lines).toEqual(['plain']);
  });
});
