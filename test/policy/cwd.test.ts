import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { JobHostError, JobHostErrorCode } from '../../src/errors.js';
import { isInside, resolveCwd } from '../../src/policy/cwd.js';
import { expectJobHostError } from '../helpers/errors.js';

let root: string;
let outside: string;
let sibling: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-cwd-')));
  outside = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-cwd-outside-')));
  // same prefix as the root, one character longer: /tmp/jobhost-cwd-abc vs /tmp/jobhost-cwd-abcy
  sibling = `${root}y`;
  mkdirSync(sibling);
  mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
  writeFileSync(join(root, 'file.txt'), 'not a directory');
  symlinkSync(outside, join(root, 'out'));
  symlinkSync(join(root, 'sub'), join(root, 'in'));
  symlinkSync('sub/deep', join(root, 'relative-in'));
  symlinkSync(join(root, 'file.txt'), join(root, 'to-file'));
  symlinkSync(join(outside, 'missing'), join(root, 'dangling-out'));
  symlinkSync('loop', join(root, 'loop'));
  mkdirSync(join(outside, 'escape'));
});

afterAll(() => {
  for (const dir of [root, outside, sibling]) rmSync(dir, { recursive: true, force: true });
});

/** The JobHostError `resolveCwd` throws for `requested`, or a test failure when it resolves. */
function refusal(requested: string, code?: JobHostErrorCode): JobHostError {
  return expectJobHostError(() => resolveCwd(root, requested), code);
}

describe('resolveCwd: accepted', () => {
  it('uses the root for null and the empty string', () => {
    expect(resolveCwd(root, null)).toBe(root);
    expect(resolveCwd(root, '')).toBe(root);
  });

  it('resolves a relative subdirectory below the root', () => {
    expect(resolveCwd(root, 'sub')).toBe(join(root, 'sub'));
    expect(resolveCwd(root, 'sub/deep')).toBe(join(root, 'sub', 'deep'));
    expect(resolveCwd(root, './sub/')).toBe(join(root, 'sub'));
    expect(resolveCwd(root, 'sub/deep/../..')).toBe(root);
    expect(resolveCwd(root, '.')).toBe(root);
  });

  it('accepts an absolute path inside the root', () => {
    expect(resolveCwd(root, join(root, 'sub', 'deep'))).toBe(join(root, 'sub', 'deep'));
    expect(resolveCwd(root, root)).toBe(root);
  });

  it('accepts a .. path that comes back into the root', () => {
    expect(resolveCwd(root, `../${basename(root)}/sub`)).toBe(join(root, 'sub'));
  });

  it('resolves a symlink pointing inside the root to its real path', () => {
    expect(resolveCwd(root, 'in')).toBe(join(root, 'sub'));
    expect(resolveCwd(root, 'in/deep')).toBe(join(root, 'sub', 'deep'));
    expect(resolveCwd(root, 'relative-in')).toBe(join(root, 'sub', 'deep'));
    expect(resolveCwd(root, join(root, 'in'))).toBe(join(root, 'sub'));
  });
});

describe('resolveCwd: outside the root', () => {
  it('refuses a .. escape', () => {
    refusal('..', 'ERR_CWD_OUTSIDE_ROOT');
    refusal('../', 'ERR_CWD_OUTSIDE_ROOT');
    refusal('sub/../..', 'ERR_CWD_OUTSIDE_ROOT');
    refusal(`../${basename(outside)}`, 'ERR_CWD_OUTSIDE_ROOT');
  });

  it('refuses a .. escape to a directory that does not exist as outside, not as missing', () => {
    refusal('../definitely-not-here-jobhost', 'ERR_CWD_OUTSIDE_ROOT');
    refusal('sub/../../nope', 'ERR_CWD_OUTSIDE_ROOT');
  });

  it('refuses an absolute path elsewhere', () => {
    refusal(outside, 'ERR_CWD_OUTSIDE_ROOT');
    refusal('/', 'ERR_CWD_OUTSIDE_ROOT');
    refusal(tmpdir(), 'ERR_CWD_OUTSIDE_ROOT');
  });

  it('refuses a symlink inside the root that points outside', () => {
    const error = refusal('out', 'ERR_CWD_OUTSIDE_ROOT');
    expect(error.details).toMatchObject({ cwd: 'out', resolved: outside });
    refusal('out/escape', 'ERR_CWD_OUTSIDE_ROOT');
    refusal(join(root, 'out'), 'ERR_CWD_OUTSIDE_ROOT');
  });

  it('refuses a sibling whose name starts with the root name', () => {
    refusal(sibling, 'ERR_CWD_OUTSIDE_ROOT');
    refusal(`../${basename(sibling)}`, 'ERR_CWD_OUTSIDE_ROOT');
  });

  it('refuses a NUL byte', () => {
    refusal('sub\0/../..', 'ERR_CWD_OUTSIDE_ROOT');
    refusal('\0');
  });

  it('refuses a dangling symlink that points outside', () => {
    refusal('dangling-out');
  });
});

describe('resolveCwd: not found', () => {
  it('refuses a directory that does not exist', () => {
    refusal('nope', 'ERR_CWD_NOT_FOUND');
    refusal('sub/nope', 'ERR_CWD_NOT_FOUND');
    refusal(join(root, 'nope'), 'ERR_CWD_NOT_FOUND');
  });

  it('refuses a file instead of a directory', () => {
    refusal('file.txt', 'ERR_CWD_NOT_FOUND');
    refusal('to-file', 'ERR_CWD_NOT_FOUND');
  });

  it('refuses a symlink loop with a JobHostError', () => {
    refusal('loop', 'ERR_CWD_NOT_FOUND');
  });

  it('refuses a very long path with a JobHostError, not another error type', () => {
    refusal('a'.repeat(5000));
    refusal('x/'.repeat(2500));
    refusal(`sub/${'b'.repeat(5000)}`);
    refusal(`/${'c'.repeat(5000)}`);
  });
});

describe('isInside', () => {
  it('accepts the root itself and paths below it', () => {
    expect(isInside('/srv/root', '/srv/root')).toBe(true);
    expect(isInside('/srv/root', '/srv/root/a/b')).toBe(true);
    expect(isInside('/', '/anything')).toBe(true);
  });

  it('refuses a sibling sharing the prefix and the parent', () => {
    expect(isInside('/srv/root', '/srv/rootx')).toBe(false);
    expect(isInside('/srv/root', '/srv')).toBe(false);
  });
});
