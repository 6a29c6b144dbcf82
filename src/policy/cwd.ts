/**
 * Working-directory confinement. A request's cwd is resolved against the root
 * with every symlink resolved, and the *real* path must stay inside the real
 * root. The resolved real path is what the process gets, and it is checked
 * again when the job starts ({@link cwdMovedTo}), so a directory swapped for a
 * symlink while the job waited in the queue cannot redirect it.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { JobHostError } from '../errors.js';
import { isInside } from './paths.js';

export { isInside } from './paths.js';

/**
 * Resolves a request's cwd (`null` or `''` = root; relative = below root;
 * absolute = must lie inside root) or throws `ERR_CWD_OUTSIDE_ROOT` /
 * `ERR_CWD_NOT_FOUND`.
 */
export function resolveCwd(realRoot: string, requested: string | null): string {
  if (requested === null || requested === '') return realRoot;
  if (requested.includes('\0')) {
    throw new JobHostError('ERR_CWD_OUTSIDE_ROOT', 'Working directory refused: it contains a NUL byte', { details: { cwd: requested } });
  }
  const lexical = isAbsolute(requested) ? resolve(requested) : resolve(realRoot, requested);
  let real: string;
  try {
    real = realpathSync.native(lexical);
  } catch (cause) {
    if (!isInside(realRoot, lexical)) {
      throw new JobHostError('ERR_CWD_OUTSIDE_ROOT', `Working directory ${JSON.stringify(requested)} is outside the root`, { details: { cwd: requested } });
    }
    throw new JobHostError('ERR_CWD_NOT_FOUND', `Working directory ${JSON.stringify(requested)} does not exist`, { cause, details: { cwd: requested } });
  }
  if (!isInside(realRoot, real)) {
    throw new JobHostError('ERR_CWD_OUTSIDE_ROOT', `Working directory ${JSON.stringify(requested)} resolves to ${real}, outside the root ${realRoot}`, {
      details: { cwd: requested, resolved: real },
    });
  }
  if (!statSync(real).isDirectory()) {
    throw new JobHostError('ERR_CWD_NOT_FOUND', `Working directory ${JSON.stringify(requested)} is not a directory`, { details: { cwd: requested } });
  }
  return real;
}

/**
 * Where `real` (a path {@link resolveCwd} returned) resolves now, when that is
 * somewhere else: a directory on it was replaced by a symlink since the check.
 * `null` while it still resolves to itself, or when it cannot be resolved (the
 * spawn then fails with the system's own error).
 */
export function cwdMovedTo(real: string): string | null {
  try {
    const now = realpathSync.native(real);
    return now === real ? null : now;
  } catch {
    return null;
  }
}
