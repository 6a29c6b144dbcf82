import { afterEach, describe, it, expect } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import type { JobHostError, JobHostErrorCode } from '../../src/errors.js';
import { isBareName, resolveBinaries, type BinaryPolicy } from '../../src/policy/binaries.js';
import { expectJobHostError } from '../helpers/errors.js';

const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh real temp directory, removed after the test. */
function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'jobhost-bin-')));
  temps.push(dir);
  return dir;
}

/** Writes a tiny shell script with the given mode and returns its path. */
function script(dir: string, name: string, mode = 0o755): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho ${JSON.stringify(file)}\n`);
  chmodSync(file, mode);
  return file;
}

const searchPath = (...dirs: string[]): string => dirs.join(delimiter);

function resolveOne(name: string, policy: BinaryPolicy, path: string): string {
  const resolved = resolveBinaries({ [name]: policy }, path).get(name);
  expect(resolved).toBeDefined();
  return resolved?.file ?? '';
}

/** The JobHostError `fn` throws with `code`, or a test failure. */
function refusal(fn: () => unknown, code: JobHostErrorCode): JobHostError {
  return expectJobHostError(fn, code);
}

describe('resolveBinaries on the search path', () => {
  it('finds a name on the search path and returns its real path', () => {
    const dir = tempDir();
    const file = script(dir, 'tool');
    expect(resolveOne('tool', {}, searchPath(dir))).toBe(file);
  });

  it('resolves a symlink on the search path to the real file', () => {
    const bin = tempDir();
    const store = tempDir();
    const real = script(store, 'tool-1.2.3');
    symlinkSync(real, join(bin, 'tool'));
    expect(resolveOne('tool', {}, searchPath(bin))).toBe(real);
  });

  it('resolves a chain of symlinks, including relative ones', () => {
    const bin = tempDir();
    mkdirSync(join(bin, 'versions'));
    const real = script(join(bin, 'versions'), 'tool-2');
    symlinkSync('versions/tool-2', join(bin, 'tool-current'));
    symlinkSync('tool-current', join(bin, 'tool'));
    expect(resolveOne('tool', {}, searchPath(bin))).toBe(real);
  });

  it('prefers the first directory on the search path', () => {
    const first = tempDir();
    const second = tempDir();
    const wanted = script(first, 'tool');
    script(second, 'tool');
    expect(resolveOne('tool', {}, searchPath(first, second))).toBe(wanted);
    expect(resolveOne('tool', {}, searchPath(second, first))).toBe(join(second, 'tool'));
  });

  it('skips a directory without the name and keeps looking', () => {
    const empty = tempDir();
    const dir = tempDir();
    const file = script(dir, 'tool');
    expect(resolveOne('tool', {}, searchPath(empty, '/nonexistent-jobhost-dir', dir))).toBe(file);
  });

  it('skips a non-executable file of that name in an earlier directory', () => {
    const first = tempDir();
    const second = tempDir();
    script(first, 'tool', 0o644);
    const file = script(second, 'tool');
    expect(resolveOne('tool', {}, searchPath(first, second))).toBe(file);
  });

  it('ignores relative and empty search path entries', () => {
    const relativeDir = tempDir();
    const absoluteDir = tempDir();
    script(relativeDir, 'tool');
    const file = script(absoluteDir, 'tool');
    const rel = relative(process.cwd(), relativeDir);
    // the relative entry does lead to an executable from the current directory; it must still be skipped
    expect(rel.startsWith('/')).toBe(false);
    expect(resolveOne('tool', {}, searchPath('', rel, '.', absoluteDir))).toBe(file);
    refusal(() => resolveBinaries({ tool: {} }, searchPath(rel)), 'ERR_BINARY_NOT_FOUND');
  });

  it('resolves several binaries, keyed by name', () => {
    const dir = tempDir();
    const a = script(dir, 'alpha');
    const b = script(dir, 'beta');
    const resolved = resolveBinaries({ alpha: {}, beta: { output: 'chunks' } }, searchPath(dir));
    expect([...resolved.keys()]).toEqual(['alpha', 'beta']);
    expect(resolved.get('alpha')).toMatchObject({ name: 'alpha', file: a, launch: { file: a, prefix: [], interpreter: '/bin/sh', dispatcher: null }, policy: { output: 'lines' } });
    expect(resolved.get('beta')).toMatchObject({ name: 'beta', file: b, policy: { output: 'chunks' } });
    // the script and its interpreter are pinned
    expect(resolved.get('alpha')?.pins.map((pin) => pin.file)).toEqual([a, realpathSync('/bin/sh')]);
  });
});

describe('resolveBinaries with an explicit path', () => {
  it('uses an absolute path regardless of the search path', () => {
    const dir = tempDir();
    const file = script(dir, 'anything-else');
    expect(resolveOne('tool', { path: file }, '')).toBe(file);
  });

  it('returns the real path of an explicit symlink', () => {
    const dir = tempDir();
    const real = script(dir, 'real-tool');
    symlinkSync(real, join(dir, 'link'));
    expect(resolveOne('tool', { path: join(dir, 'link') }, '')).toBe(real);
  });

  it('looks a bare-name path up on the search path, so one program can sit under two keys', () => {
    const dir = tempDir();
    const file = script(dir, 'git');
    const resolved = resolveBinaries({ git: {}, 'git-admin': { path: 'git' } }, searchPath(dir));
    expect(resolved.get('git-admin')?.file).toBe(file);
    expect(resolved.get('git')?.file).toBe(file);
  });

  it('a bare-name path missing from the search path: ERR_BINARY_NOT_FOUND naming both', () => {
    const dir = tempDir();
    const error = refusal(() => resolveBinaries({ 'git-admin': { path: 'git' } }, searchPath(dir)), 'ERR_BINARY_NOT_FOUND');
    expect(error.message).toContain('"git-admin"');
    expect(error.message).toContain('as "git"');
    expect(error.details).toEqual({ binary: 'git-admin', path: 'git' });
  });

  it.each(['', '..', '.', 7])('refuses the path %j with ERR_INVALID_OPTIONS', (path) => {
    refusal(() => resolveBinaries({ tool: { path } }, '/usr/bin'), 'ERR_INVALID_OPTIONS');
  });

  it('refuses a relative path with ERR_INVALID_OPTIONS', () => {
    const error = refusal(() => resolveBinaries({ tool: { path: 'bin/tool' } }, '/usr/bin'), 'ERR_INVALID_OPTIONS');
    expect(error.message).toContain('binaries.tool.path');
    expect(error.message).toContain('"bin/tool"');
    refusal(() => resolveBinaries({ tool: { path: './tool' } }, '/usr/bin'), 'ERR_INVALID_OPTIONS');
  });
});

describe('resolveBinaries refusals', () => {
  it.each(['../x', 'a/b', '', '.', '..', '/bin/sh', '-rf', 'a b', 'a\\b', '.hidden', 'x'.repeat(129)])('refuses the key %j with ERR_INVALID_OPTIONS', (name) => {
    const dir = tempDir();
    refusal(() => resolveBinaries({ [name]: {} }, searchPath(dir)), 'ERR_INVALID_OPTIONS');
  });

  it('accepts bare keys with dots, dashes and pluses', () => {
    for (const name of ['git', 'python3.12', 'g++', 'clang-format', '_tool', 'x'.repeat(128)]) expect(isBareName(name)).toBe(true);
  });

  it('refuses a name missing from the search path with ERR_BINARY_NOT_FOUND', () => {
    const dir = tempDir();
    const error = refusal(() => resolveBinaries({ tool: {} }, searchPath(dir)), 'ERR_BINARY_NOT_FOUND');
    expect(error.details).toEqual({ binary: 'tool', path: null });
  });

  it('refuses a missing explicit path with ERR_BINARY_NOT_FOUND', () => {
    const dir = tempDir();
    const missing = join(dir, 'missing');
    const error = refusal(() => resolveBinaries({ tool: { path: missing } }, ''), 'ERR_BINARY_NOT_FOUND');
    expect(error.details).toEqual({ binary: 'tool', path: missing });
  });

  it('refuses a non-executable file (mode 644) with ERR_BINARY_NOT_FOUND', () => {
    const dir = tempDir();
    const file = script(dir, 'tool', 0o644);
    refusal(() => resolveBinaries({ tool: {} }, searchPath(dir)), 'ERR_BINARY_NOT_FOUND');
    refusal(() => resolveBinaries({ tool: { path: file } }, ''), 'ERR_BINARY_NOT_FOUND');
  });

  it('refuses a directory with ERR_BINARY_NOT_FOUND', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'tool'));
    chmodSync(join(dir, 'tool'), 0o755);
    refusal(() => resolveBinaries({ tool: {} }, searchPath(dir)), 'ERR_BINARY_NOT_FOUND');
    refusal(() => resolveBinaries({ tool: { path: join(dir, 'tool') } }, ''), 'ERR_BINARY_NOT_FOUND');
  });

  it('refuses a dangling symlink with ERR_BINARY_NOT_FOUND', () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'gone'), join(dir, 'tool'));
    refusal(() => resolveBinaries({ tool: {} }, searchPath(dir)), 'ERR_BINARY_NOT_FOUND');
  });
});

describe('resolveBinaries is a snapshot', () => {
  it('is not changed by a look-alike dropped earlier on the search path afterwards', () => {
    const early = tempDir();
    const late = tempDir();
    const original = script(late, 'tool');
    const path = searchPath(early, late);
    const resolved = resolveBinaries({ tool: {} }, path);
    const lookAlike = script(early, 'tool');
    expect(resolved.get('tool')?.file).toBe(original);
    // the look-alike would win a fresh lookup, so the snapshot is what protects us
    expect(resolveOne('tool', {}, path)).toBe(lookAlike);
  });

  it('is not changed by a symlink swapped afterwards', () => {
    const bin = tempDir();
    const store = tempDir();
    const good = script(store, 'good');
    const evil = script(store, 'evil');
    symlinkSync(good, join(bin, 'tool'));
    const resolved = resolveBinaries({ tool: {} }, searchPath(bin));
    unlinkSync(join(bin, 'tool'));
    symlinkSync(evil, join(bin, 'tool'));
    expect(resolved.get('tool')?.file).toBe(good);
    expect(resolveOne('tool', {}, searchPath(bin))).toBe(evil);
  });
});
