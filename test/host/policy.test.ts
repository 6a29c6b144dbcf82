import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { JobHost } from '../../src/host/job-host.js';
import { JobHostError, type JobHostErrorCode } from '../../src/errors.js';
import { gitReadOnly } from '../../src/policy/git/index.js';
import { collect, fixture, fixtureBinaries, linesOf, makeHost, tempDir } from '../helpers/host.js';

function refusal(run: () => unknown): { code: JobHostErrorCode; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof JobHostError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a JobHostError, but nothing was thrown');
}

const ok = { label: 'x', binary: 'lines', args: [] as string[] };

describe('every refusal is a synchronous JobHostError; nothing starts and no id is minted', () => {
  const cases: [string, JobHostErrorCode, unknown][] = [
    ['not an object', 'ERR_INVALID_REQUEST', 'git status'],
    ['missing label', 'ERR_INVALID_REQUEST', { binary: 'lines', args: [] }],
    ['args not an array', 'ERR_INVALID_REQUEST', { ...ok, args: 'status' }],
    ['a number arg', 'ERR_INVALID_REQUEST', { ...ok, args: [1] }],
    ['negative timeout', 'ERR_INVALID_REQUEST', { ...ok, timeout_secs: -1 }],
    ['null env', 'ERR_INVALID_REQUEST', { ...ok, env: null }],
    ['unknown binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: 'rm' }],
    ['absolute path binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: '/bin/sh' }],
    ['relative path binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: './lines' }],
    ['dot-dot binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: '../lines' }],
    ['prototype key as binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: '__proto__' }],
    ['constructor as binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: 'constructor' }],
    ['empty binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: '' }],
    ['look-alike unicode binary', 'ERR_BINARY_NOT_ALLOWED', { ...ok, binary: 'lіnes' }],
    ['NUL in an arg', 'ERR_ARGS_REFUSED', { ...ok, args: ['a\0b'] }],
    ['too many args', 'ERR_ARGS_REFUSED', { ...ok, args: Array.from({ length: 5000 }, () => 'a') }],
    ['LD_PRELOAD', 'ERR_ENV_REFUSED', { ...ok, env: { LD_PRELOAD: '/tmp/x.so' } }],
    ['lower-case ld_preload', 'ERR_ENV_REFUSED', { ...ok, env: { ld_preload: '/tmp/x.so' } }],
    ['DYLD_INSERT_LIBRARIES', 'ERR_ENV_REFUSED', { ...ok, env: { DYLD_INSERT_LIBRARIES: 'x' } }],
    ['NODE_OPTIONS', 'ERR_ENV_REFUSED', { ...ok, env: { NODE_OPTIONS: '--require /tmp/evil.js' } }],
    ['BASH_ENV', 'ERR_ENV_REFUSED', { ...ok, env: { BASH_ENV: '/tmp/evil' } }],
    ['ENV', 'ERR_ENV_REFUSED', { ...ok, env: { ENV: '/tmp/evil' } }],
    ['PATH', 'ERR_ENV_REFUSED', { ...ok, env: { PATH: '/tmp' } }],
    ['GIT_CONFIG_COUNT', 'ERR_ENV_REFUSED', { ...ok, env: { GIT_CONFIG_COUNT: '1' } }],
    ['GIT_SSH_COMMAND', 'ERR_ENV_REFUSED', { ...ok, env: { GIT_SSH_COMMAND: 'evil' } }],
    ['GIT_EXEC_PATH', 'ERR_ENV_REFUSED', { ...ok, env: { GIT_EXEC_PATH: '/tmp' } }],
    ['an env name with =', 'ERR_ENV_REFUSED', { ...ok, env: { 'A=B': 'x' } }],
    ['NUL in an env value', 'ERR_ENV_REFUSED', { ...ok, env: { A: 'x\0y' } }],
    ['cwd ..', 'ERR_CWD_OUTSIDE_ROOT', { ...ok, cwd: '..' }],
    ['cwd /etc', 'ERR_CWD_OUTSIDE_ROOT', { ...ok, cwd: '/etc' }],
    ['cwd sub/../../x', 'ERR_CWD_OUTSIDE_ROOT', { ...ok, cwd: 'sub/../../x' }],
    ['cwd through a symlink out of root', 'ERR_CWD_OUTSIDE_ROOT', { ...ok, cwd: 'escape' }],
    ['cwd missing', 'ERR_CWD_NOT_FOUND', { ...ok, cwd: 'nope' }],
    ['cwd is a file', 'ERR_CWD_NOT_FOUND', { ...ok, cwd: 'file.txt' }],
  ];

  for (const [name, code, request] of cases) {
    it(`${name} → ${code}`, async () => {
      const host = makeHost();
      mkdirSync(join(host.root, 'sub'));
      writeFileSync(join(host.root, 'file.txt'), 'x');
      symlinkSync(tempDir(), join(host.root, 'escape'));
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      expect(refusal(() => jobs.spawn(request as never)).code).toBe(code);
      expect(jobs.list()).toEqual([]);
      // the next accepted request gets the first id: the refusal minted none
      const terminal = await jobs.run({ label: 'ok', binary: 'lines', args: ['1'] });
      expect(terminal.job_id).toBe('p:1');
      expect(events.filter((event) => event.type === 'job_started')).toHaveLength(1);
    });
  }

  it('accepts a cwd below root and a symlink that stays inside root', async () => {
    const host = makeHost();
    mkdirSync(join(host.root, 'sub'));
    symlinkSync(join(host.root, 'sub'), join(host.root, 'link'));
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const a = await jobs.run({ label: 'a', binary: 'cwd', args: [], cwd: 'sub' });
    const b = await jobs.run({ label: 'b', binary: 'cwd', args: [], cwd: 'link' });
    const c = await jobs.run({ label: 'c', binary: 'cwd', args: [], cwd: join(host.root, 'sub') });
    for (const terminal of [a, b, c]) expect(linesOf(events, terminal.job_id)).toEqual([join(host.root, 'sub')]);
  });

  it('ERR_QUEUE_FULL per owner and in total', () => {
    const host = makeHost({ maxConcurrent: 1, maxJobsPerOwner: 2, maxJobs: 3 });
    const a = host.forOwner('a');
    const b = host.forOwner('b');
    a.spawn({ label: '1', binary: 'forever', args: [] });
    a.spawn({ label: '2', binary: 'forever', args: [] });
    expect(refusal(() => a.spawn({ label: '3', binary: 'forever', args: [] })).code).toBe('ERR_QUEUE_FULL');
    b.spawn({ label: '1', binary: 'forever', args: [] });
    expect(refusal(() => b.spawn({ label: '2', binary: 'forever', args: [] })).code).toBe('ERR_QUEUE_FULL');
    expect(a.list()).toHaveLength(2);
  });

  it('ERR_HOST_DISPOSED after dispose, ERR_ABORTED for an aborted signal, ERR_INVALID_OWNER for a bad owner', async () => {
    const host = makeHost();
    const jobs = host.forOwner('p');
    expect(refusal(() => jobs.spawn(ok, { signal: AbortSignal.abort() })).code).toBe('ERR_ABORTED');
    expect(refusal(() => host.forOwner('')).code).toBe('ERR_INVALID_OWNER');
    expect(refusal(() => host.forOwner('a\nb')).code).toBe('ERR_INVALID_OWNER');
    await host.dispose();
    expect(refusal(() => jobs.spawn(ok)).code).toBe('ERR_HOST_DISPOSED');
  });

  it('a binary may narrow request env to a set of names', () => {
    const host = makeHost({ binaries: { narrow: { path: fixture('env.mjs'), env: ['ALLOWED'] } } });
    const jobs = host.forOwner('p');
    expect(() => jobs.spawn({ label: 'n', binary: 'narrow', args: [], env: { ALLOWED: '1' } })).not.toThrow();
    expect(refusal(() => jobs.spawn({ label: 'n', binary: 'narrow', args: [], env: { OTHER: '1' } })).code).toBe('ERR_ENV_REFUSED');
  });

  it('per-binary argument validators: a zod schema and a predicate', () => {
    const host = makeHost({
      binaries: {
        build: { path: fixture('lines.mjs'), args: z.tuple([z.enum(['1', '2'])]) },
        pred: { path: fixture('lines.mjs'), args: (args) => args.length === 0 || 'no arguments allowed' },
      },
    });
    const jobs = host.forOwner('p');
    expect(() => jobs.spawn({ label: 'b', binary: 'build', args: ['1'] })).not.toThrow();
    expect(refusal(() => jobs.spawn({ label: 'b', binary: 'build', args: ['9'] })).code).toBe('ERR_ARGS_REFUSED');
    expect(refusal(() => jobs.spawn({ label: 'p', binary: 'pred', args: ['x'] })).message).toContain('no arguments allowed');
  });
});

describe('construction', () => {
  it('fails clearly when an allow-listed binary cannot be found or is not executable', () => {
    const root = tempDir();
    expect(refusal(() => new JobHost({ root, binaries: { nope: {} }, searchPath: root })).code).toBe('ERR_BINARY_NOT_FOUND');
    const file = join(root, 'plain');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    expect(refusal(() => new JobHost({ root, binaries: { plain: { path: file } } })).code).toBe('ERR_BINARY_NOT_FOUND');
    expect(refusal(() => new JobHost({ root, binaries: { 'a/b': {} } })).code).toBe('ERR_INVALID_OPTIONS');
    expect(refusal(() => new JobHost({ root: 'relative', binaries: {} })).code).toBe('ERR_INVALID_OPTIONS');
    expect(refusal(() => new JobHost({ root, binaries: {}, maxConcurrent: 0 })).message).toBe('Expected `maxConcurrent` to be an integer from 1 and up, got `0` (number)');
  });

  it('resolves binaries once: a look-alike put earlier on PATH later changes nothing', async () => {
    const root = tempDir();
    const early = tempDir();
    const late = tempDir();
    const real = join(late, 'tool');
    writeFileSync(real, '#!/bin/sh\necho real\n', { mode: 0o755 });
    const host = new JobHost({ root, binaries: { tool: {} }, searchPath: `${early}:${late}`, env: { PATH: '/usr/bin:/bin' } });
    try {
      writeFileSync(join(early, 'tool'), '#!/bin/sh\necho impostor\n', { mode: 0o755 });
      expect(host.binaries.get('tool')).toBe(real);
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      const terminal = await jobs.run({ label: 't', binary: 'tool', args: [] });
      expect(linesOf(events, terminal.job_id)).toEqual(['real']);
    } finally {
      await host.dispose();
    }
  });
});

describe('ownership', () => {
  it("another owner's job id behaves exactly like an unknown one", async () => {
    const host = makeHost();
    const a = host.forOwner('a');
    const b = host.forOwner('b');
    const bEvents = collect(b);
    const id = a.spawn({ label: 'f', binary: 'forever', args: [] });
    expect(b.status(id)).toBeUndefined();
    expect(b.cancel(id)).toBe(false);
    await expect(b.wait(id)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_JOB' });
    expect(b.status('a:999')).toBe(b.status(id));
    expect(b.list()).toEqual([]);
    expect(a.cancel(id)).toBe(true);
    await a.wait(id);
    expect(b.drainEvents()).toEqual([]);
    expect(bEvents).toEqual([]);
  });
});

describe('a git policy that allows status, log and diff', () => {
  function repo(): string {
    const root = tempDir();
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'ignore' });
    };
    git('init', '-q');
    writeFileSync(join(root, 'a.txt'), 'one\n');
    git('add', 'a.txt');
    git('commit', '-qm', 'first');
    writeFileSync(join(root, 'a.txt'), 'two\n');
    return root;
  }

  it('runs the read-only subcommands in a real repository', async () => {
    const host = new JobHost({ root: repo(), binaries: { git: gitReadOnly } });
    try {
      const jobs = host.forOwner('p');
      const events = collect(jobs);
      const status = await jobs.run({ label: 's', binary: 'git', args: ['status', '--short'] });
      expect(linesOf(events, status.job_id)).toEqual([' M a.txt']);
      const log = await jobs.run({ label: 'l', binary: 'git', args: ['log', '--format=%s'] });
      expect(linesOf(events, log.job_id)).toEqual(['first']);
      const diff = await jobs.run({ label: 'd', binary: 'git', args: ['diff', '--stat'] });
      expect(diff.type).toBe('job_completed');
    } finally {
      await host.dispose();
    }
  });

  it('refuses option injection', () => {
    const host = new JobHost({ root: repo(), binaries: { git: gitReadOnly } });
    const jobs = host.forOwner('p');
    for (const args of [
      ['-c', 'core.sshCommand=touch /tmp/pwned', 'status'],
      ['status', '-c', 'core.sshCommand=evil'],
      ['fetch', '--upload-pack=touch /tmp/pwned'],
      ['log', '--upload-pack=evil'],
      ['log', '--exec=evil'],
      ['diff', '--output=/tmp/x'],
      ['diff', '--ext-diff'],
      ['log', '--upload-pa=evil'],
      ['push'],
      [],
    ]) {
      expect(refusal(() => jobs.spawn({ label: 'g', binary: 'git', args })).code, args.join(' ')).toBe('ERR_ARGS_REFUSED');
    }
    return host.dispose();
  });
});

void fixtureBinaries;
