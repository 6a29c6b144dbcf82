/**
 * Which repository a git job opens, decided by jobhost instead of by git's
 * discovery, and pinned with GIT_DIR and GIT_WORK_TREE.
 *
 * git walks up from its working directory and opens the first `.git` it
 * finds — a directory, a symlink, or a `.git` *file* that names any
 * directory on the machine — or, failing that, the first directory that
 * looks like a bare repository (which is how a bare repository committed as
 * ordinary files inside a project gets opened by `cd project/x && git log`).
 * This module does the same walk, from the job's cwd up to the root and no
 * further, and refuses what git must not open:
 *
 * - a repository (or its common directory, objects, refs or alternates) whose
 *   real path is outside the root;
 * - a bare repository or a git directory found by discovery;
 * - a `.git` that is neither a directory nor a readable `gitdir:` file.
 *
 * When nothing is found, git's own discovery is stopped at the root with
 * GIT_CEILING_DIRECTORIES. Everything is checked again just before the job
 * starts (`sameLocation`).
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { constants } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { JobHostError } from '../../errors.js';
import { isInside, realLocation } from '../paths.js';

/** Where the repository is, once found. */
export interface RepositoryLocation {
  /** The git directory (real path), given to git as GIT_DIR; null when there is no repository. */
  readonly gitDir: string | null;
  /** The common directory (a linked worktree's main `.git`), where config, objects and refs live. */
  readonly commonDir: string | null;
  /** The work tree (real path), given to git as GIT_WORK_TREE. */
  readonly workTree: string | null;
}

/** Most bytes read of a small pointer file (`.git`, `commondir`, `alternates`). */
const POINTER_BYTES = 64 * 1024;
/** git follows alternates five levels deep. */
const ALTERNATE_DEPTH = 5;

function untrusted(message: string, details: Record<string, unknown> = {}): never {
  throw new JobHostError('ERR_UNTRUSTED_REPOSITORY', message, { details });
}

// stat without exceptions: a missing file is the common answer here, and a thrown error costs more than the syscall
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // ENOTDIR, EACCES, ELOOP: nothing git could open there either
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

function kind(path: string): 'dir' | 'file' | 'link' | 'other' | null {
  const stat = lstatOrNull(path);
  if (stat === null) return null;
  return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
}

function isDir(path: string): boolean {
  return statOrNull(path)?.isDirectory() === true;
}

function exists(path: string): boolean {
  return statOrNull(path) !== null;
}

/** A small regular file's text; never blocks on a FIFO, never reads more than {@link POINTER_BYTES}. */
export function readSmallFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) untrusted(`${path} is not a regular file`, { path, reason: 'not-a-file' });
    if (stat.size > POINTER_BYTES) untrusted(`${path} is larger than ${POINTER_BYTES} bytes`, { path, reason: 'too-large' });
    const buffer = Buffer.alloc(Math.max(0, Number(stat.size)));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** git's test for a git directory: a HEAD, and objects and refs of its own or through `commondir`. */
function looksLikeGitDir(dir: string): boolean {
  if (!exists(join(dir, 'HEAD'))) return false;
  if (exists(join(dir, 'commondir'))) return true;
  return isDir(join(dir, 'objects')) && isDir(join(dir, 'refs'));
}

function realInside(root: string, path: string, what: string): string {
  let real: string;
  try {
    real = realpathSync.native(path);
  } catch {
    return untrusted(`The repository's ${what} (${path}) cannot be resolved`, { path });
  }
  if (!isInside(root, real)) untrusted(`The repository's ${what} leads outside the root: ${path} → ${real}`, { path, resolved: real });
  return real;
}

/** The git directory a `.git` entry in `dir` stands for, or null when git would not take it and walk on. */
function gitDirOf(root: string, dir: string): string | null {
  const dotGit = join(dir, '.git');
  let type = kind(dotGit);
  if (type === null) return null;
  // git stats `.git` through a symlink, so a link to a directory or to a `gitdir:` file counts as that
  const target = type === 'link' ? realInside(root, dotGit, '.git') : dotGit;
  if (type === 'link') type = kind(target);
  if (type === 'dir') return looksLikeGitDir(target) ? realInside(root, target, '.git') : null;
  if (type !== 'file') return untrusted(`${dotGit} is neither a directory nor a file`, { path: dotGit });
  const match = /^gitdir: (.+?)\r?\n?$/.exec(readSmallFile(target));
  if (match === null) return untrusted(`${dotGit} is not a "gitdir: <path>" file`, { path: dotGit });
  const named = match[1] as string;
  const real = realInside(root, isAbsolute(named) ? named : resolve(dir, named), '.git file target');
  if (!looksLikeGitDir(real)) untrusted(`${dotGit} points at ${real}, which is not a git directory`, { path: dotGit });
  return real;
}

/** Every alternate object store, transitively, must be inside the root. */
function checkAlternates(root: string, objects: string, depth: number): void {
  const file = join(objects, 'info', 'alternates');
  if (kind(file) === null) return;
  if (depth >= ALTERNATE_DEPTH) untrusted(`Alternates nest deeper than ${ALTERNATE_DEPTH} levels at ${file}`, { path: file });
  for (const line of readSmallFile(file).split('\n')) {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    // a quoted entry uses C-style escapes; git would read it, so jobhost refuses what it will not decode
    if (entry.startsWith('"')) untrusted(`${file} has a quoted alternate path, which jobhost does not open`, { path: file });
    const alternate = realInside(root, isAbsolute(entry) ? entry : resolve(objects, entry), 'alternate object store');
    checkAlternates(root, alternate, depth + 1);
  }
}

/** True when a component of `part` below the real directory `dir` is a symlink (`objects/pack`: `objects`, then `pack`). */
function hasLink(dir: string, part: string): boolean {
  let path = dir;
  for (const component of part.split('/')) {
    path = join(path, component);
    const stat = lstatOrNull(path);
    if (stat === null) return false;
    if (stat.isSymbolicLink()) return true;
  }
  return false;
}

/** What git reads from a git directory (`gitDir`) and from the common directory; each, where it exists, must really be inside the root. */
const GIT_DIR_PARTS: readonly string[] = ['HEAD', 'index', 'info', 'logs'];
const COMMON_DIR_PARTS: readonly string[] = ['refs', 'packed-refs', 'objects/pack', 'objects/info', 'info', 'shallow', 'modules', 'worktrees'];

/** Checks what lives in the git and common directories and returns the common one's real path. */
function checkCommonDir(root: string, gitDir: string): string {
  const pointer = join(gitDir, 'commondir');
  const common = kind(pointer) === null ? gitDir : realInside(root, resolve(gitDir, readSmallFile(pointer).trim()), 'common directory');
  const objects = realInside(root, join(common, 'objects'), 'object store');
  for (const [dir, parts] of [[gitDir, GIT_DIR_PARTS], [common, COMMON_DIR_PARTS]] as const) {
    for (const part of parts) {
      // `dir` is real and inside, so only a symlink on the way can lead out (a dangling one leads nowhere that can be read)
      const path = join(dir, part);
      if (!hasLink(dir, part)) continue;
      const real = realLocation(path);
      if (!isInside(root, real)) untrusted(`The repository's ${part} leads outside the root: ${path} → ${real}`, { path, resolved: real });
    }
  }
  checkAlternates(root, objects, 0);
  return common;
}

/**
 * Finds the repository that a git started in `cwd` would open, looking no
 * higher than `root`; throws `ERR_UNTRUSTED_REPOSITORY` for one it must not.
 */
export function locateRepository(root: string, cwd: string): RepositoryLocation {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const gitDir = gitDirOf(root, dir);
    if (gitDir !== null) return { gitDir, commonDir: checkCommonDir(root, gitDir), workTree: dir };
    if (looksLikeGitDir(dir)) {
      untrusted(`${dir} is a bare repository or a git directory that git would open by discovery; jobhost opens only a repository's work tree (safe.bareRepository=explicit)`, { path: dir });
    }
    if (dir === root || !isInside(root, dir)) return { gitDir: null, commonDir: null, workTree: null };
  }
}

/** The variables that pin git to `location` (or stop its discovery at the root). */
export function locationEnv(root: string, location: RepositoryLocation): Record<string, string> {
  if (location.gitDir === null || location.workTree === null) return { GIT_CEILING_DIRECTORIES: dirname(root) };
  return { GIT_DIR: location.gitDir, GIT_WORK_TREE: location.workTree };
}

/** True when two locations are the same repository. */
export function sameLocation(a: RepositoryLocation, b: RepositoryLocation): boolean {
  return a.gitDir === b.gitDir && a.commonDir === b.commonDir && a.workTree === b.workTree;
}
