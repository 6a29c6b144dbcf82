/**
 * Containment of paths in the root. One question, asked by the cwd rule and
 * by every profile that polices path-valued arguments: where does this path
 * *really* lead, once `..` and every symlink on the way are resolved the way
 * the kernel resolves them, and is that still the root or below?
 */
import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/** True when `candidate` is `root` or below it (both real, absolute paths). */
export function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return candidate.startsWith(prefix);
}

/**
 * The real location `path` (absolute) leads to, resolved component by
 * component as the kernel does: a symlink is replaced by its real target
 * before the next component — so `link/../x` is `<link's target>/../x`, not
 * `x` — and from the first component that does not exist on, the rest is
 * appended as written (nothing below a missing directory can be a symlink).
 * One `lstat` per component.
 */
export function realLocation(path: string): string {
  // the common case, one call: everything exists (the C library resolves `link/..` as the kernel does)
  try {
    return realpathSync.native(path);
  } catch {
    // something on the way does not exist: walk it component by component
  }
  let current: string = sep;
  const parts = path.split(sep);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = resolve(current, '..');
      continue;
    }
    const next = join(current, part);
    let link: boolean;
    try {
      link = lstatSync(next).isSymbolicLink();
    } catch {
      return resolve(next, parts.slice(i + 1).join(sep) || '.');
    }
    if (!link) {
      current = next;
      continue;
    }
    try {
      current = realpathSync.native(next);
    } catch {
      // a dangling or looping link: whatever it names does not exist, so nothing can be opened through it
      return resolve(next, parts.slice(i + 1).join(sep) || '.');
    }
  }
  return current;
}

/**
 * Where `candidate` — a path as a program started in `cwd` would open it —
 * leads when that is outside `root`; `null` while it stays inside. `root` and
 * `cwd` are real paths. Both the lexical path (`..`, an absolute path) and
 * the real one (symlinks, resolved in order) must stay inside.
 */
export function leavesRoot(root: string, cwd: string, candidate: string): string | null {
  // concatenated, not joined: `join` would fold `link/..` away before the symlink is resolved
  const written = isAbsolute(candidate) ? candidate : `${cwd}${sep}${candidate}`;
  const lexical = resolve(written);
  if (!isInside(root, lexical)) return lexical;
  const real = realLocation(written);
  return isInside(root, real) ? null : real;
}
