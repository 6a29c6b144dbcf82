/**
 * Containment of paths in the root. One question, asked by the cwd rule and
 * by every profile that polices path-valued arguments: where does this path
 * *really* lead, once `..` and every symlink on the way are resolved, and is
 * that still the root or below?
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `candidate` is `root` or below it (both real, absolute paths). */
export function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return candidate.startsWith(prefix);
}

/**
 * The real location `path` leads to: the real path of its longest existing
 * prefix, with the part that does not exist (yet) appended. A path through a
 * symlink that points out of the root therefore resolves outside it even when
 * its last components do not exist.
 */
export function realLocation(path: string): string {
  let existing = path;
  for (;;) {
    try {
      const real = realpathSync(existing);
      return existing === path ? real : resolve(real, relative(existing, path));
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      existing = parent;
    }
  }
}

/**
 * Where `candidate` — a path as a program started in `cwd` would open it —
 * leads when that is outside `root`; `null` while it stays inside. `root` and
 * `cwd` are real paths. Both the lexical path (`..`, an absolute path) and
 * the real one (symlinks) must stay inside.
 */
export function leavesRoot(root: string, cwd: string, candidate: string): string | null {
  const lexical = isAbsolute(candidate) ? resolve(candidate) : resolve(cwd, candidate);
  if (!isInside(root, lexical)) return lexical;
  const real = realLocation(lexical);
  return isInside(root, real) ? null : real;
}
