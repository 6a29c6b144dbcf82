/**
 * The kinds of option values and how each is policed. Free text is never
 * opened, so `--grep=/api/` is fine; a path is opened by git, so it must stay
 * in the root — checked with `leavesRoot`, which is the only judge of where a
 * path leads.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { isInside, leavesRoot } from '../paths.js';


/** Where a job's git arguments are checked: path values must stay inside the root. */
export interface GitArgsContext {
  /** Real path of the root every job is confined to. */
  readonly root: string;
  /** Real path of the job's working directory (inside root). */
  readonly cwd: string;
}

/** What an option's value is; `check` returns null when the value is allowed, else a phrase saying why not. */
export interface ValueKind {
  readonly name: string;
  check(value: string, context: GitArgsContext): string | null;
}

/** Linux's PATH_MAX: git cannot open a longer path, and bounding it bounds the cost of a check. */
const PATH_MAX = 4096;

/**
 * True for `dir/../x`. The kernel applies `..` to where `dir` really leads,
 * while a lexical check collapses it, so `link/../secret` would pass a lexical
 * check and open a file beside the link's target. Leading `..` is resolved
 * from a real directory (cwd) and is exact.
 */
function hasInnerDotDot(path: string): boolean {
  let seenName = false;
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') seenName = true;
    else if (seenName) return true;
  }
  return false;
}

/**
 * The lexical path cut after its first component that does not exist.
 * `leavesRoot` walks a missing path up one directory at a time, which costs
 * components × length; the cut keeps its verdict (what follows a missing
 * component is plain names) and bounds the walk by what really exists.
 */
function firstMissingPrefix(lexical: string, root: string): string {
  let end = root.length;
  while (end < lexical.length) {
    const next = lexical.indexOf(sep, end + 1);
    const prefix = next < 0 ? lexical : lexical.slice(0, next);
    if (!existsSync(prefix)) return prefix;
    if (next < 0) break;
    end = next;
  }
  return lexical;
}

/**
 * Why `value`, opened from each of `bases`, would leave the root; null when
 * it stays inside from all of them.
 */
export function pathLeaves(value: string, bases: readonly string[], context: GitArgsContext): string | null {
  if (Buffer.byteLength(value) > PATH_MAX) return `is longer than PATH_MAX (${PATH_MAX} bytes)`;
  if (hasInnerDotDot(value)) return 'has ".." after a directory name, which the kernel resolves from where that directory really leads (a symlink may point outside the root)';
  for (const base of isAbsolute(value) ? [context.cwd] : bases) {
    const lexical = resolve(base, value);
    const probe = isInside(context.root, lexical) ? firstMissingPrefix(lexical, context.root) : lexical;
    const where = leavesRoot(context.root, base, probe);
    if (where !== null) return `leads outside the root (${where}${lexical.slice(probe.length)})`;
  }
  return null;
}

/**
 * cwd and every directory above it up to the root. git chdir()s to the top
 * of the work tree before it runs a command, so an option value it does not
 * prefix with cwd (blame's `--contents`, `-S`, `--ignore-revs-file`,
 * ls-files' `-X`) is opened from there; the top lies somewhere on this chain.
 */
function cwdAndAncestors(context: GitArgsContext): string[] {
  const bases = [context.cwd];
  let dir = context.cwd;
  while (dir !== context.root && isInside(context.root, dir)) {
    dir = dirname(dir);
    bases.push(dir);
  }
  return bases;
}

/** Free text git never opens: patterns, formats, dates, names, numbers, revisions. */
export const TEXT: ValueKind = { name: 'text', check: () => null };

/** A file git opens from cwd (parse-options' OPT_FILENAME, such as diff's `-O`). */
export const PATH: ValueKind = { name: 'path', check: (value, context) => pathLeaves(value, [context.cwd], context) };

/** A file git opens from the top of the work tree; it must stay in the root from wherever that top is. */
export const PATH_FROM_TOP: ValueKind = {
  name: 'path from the top of the work tree',
  check: (value, context) => pathLeaves(value, cwdAndAncestors(context), context),
};

/** A name git looks up in every directory (ls-files `--exclude-per-directory`), so no directory part. */
export const FILE_NAME: ValueKind = {
  name: 'file name',
  check: (value) => (value === '' || value === '.' || value === '..' || value.includes('/') ? 'must be a file name without a directory part' : null),
};

/** One of a fixed set of words. */
export function oneOf(...values: string[]): ValueKind {
  return { name: values.join('|'), check: (value) => (values.includes(value) ? null : `is not one of ${values.join(', ')}`) };
}

/**
 * A pretty format. `%G…` verifies signatures, which runs gpg.program;
 * `%(describe…)` runs `git describe` once per commit. (`%%G`, a literal, is
 * refused with them: a rare false positive.)
 */
export const PRETTY_FORMAT: ValueKind = {
  name: 'format',
  check: (value) => {
    if (/%[-+ ]?G/.test(value)) return 'asks for a signature check (%G), which runs gpg.program';
    if (/%[-+ ]?\(describe/.test(value)) return 'uses %(describe), which runs git describe for every commit';
    return null;
  },
};

const SPACE = ' \t\n\v\f\r';

/** Where line-range.c's parse_loc stops scanning (its scan-only mode), or -1 for git reading past the value. */
function skipLocation(spec: string, at: number, first: boolean): number {
  let j = at;
  while (j < spec.length && SPACE.includes(spec[j] as string)) j++;
  if (spec[j] === '+' || spec[j] === '-') j++;
  const digits = j;
  while (j < spec.length && (spec[j] as string) >= '0' && (spec[j] as string) <= '9') j++;
  if (j > digits) return j;
  const k = first && spec[at] === '^' ? at + 1 : at;
  if (spec[k] !== '/') return k;
  for (let t = k + 1; t < spec.length; t++) {
    if (spec[t] === '/') return t + 1;
    // a trailing backslash makes git scan past the end of the argument
    if (spec[t] === '\\' && ++t >= spec.length) return -1;
  }
  return k;
}

/** The file of a log `-L` value (`<start>,<end>:<file>`, `:<funcname>:<file>`), found as skip_range_arg finds it. */
function lineRangeFile(value: string): string | null {
  let end: number;
  if (value.startsWith(':') || value.startsWith('^:')) {
    const start = value.startsWith('^') ? 2 : 1;
    end = start;
    while (end < value.length && value[end] !== ':') end += value[end] === '\\' && end + 1 < value.length ? 2 : 1;
    if (end === start) return null;
  } else {
    end = skipLocation(value, 0, true);
    if (end >= 0 && value[end] === ',') end = skipLocation(value, end + 1, false);
  }
  if (end < 0 || value[end] !== ':' || end + 1 >= value.length) return null;
  return value.slice(end + 1);
}

/** A log `-L` range; its file is named relative to cwd. */
export const LINE_RANGE: ValueKind = {
  name: 'line range',
  check: (value, context) => {
    const file = lineRangeFile(value);
    if (file === null) return 'is not <start>,<end>:<file> or :<funcname>:<file>';
    const leaves = pathLeaves(file, [context.cwd], context);
    return leaves === null ? null : `names the file "${file.slice(0, 80)}", which ${leaves}`;
  },
};
