/**
 * Finding a program: bare names on a `PATH`-style list, absolute paths as
 * given, always down to the real path of an executable regular file.
 */
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Bare names only: no separators, no `.`/`..`, nothing a shell or path resolver would interpret. */
const BARE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}$/;

/** True when `name` can be an allow-list key. */
export function isBareName(name: string): boolean {
  return BARE_NAME.test(name) && name !== '.' && name !== '..';
}

/** The real path of an executable regular file, or `undefined`. */
export function executableFile(file: string): string | undefined {
  try {
    const real = realpathSync(file);
    if (!statSync(real).isFile()) return undefined;
    accessSync(real, constants.X_OK);
    return real;
  } catch {
    return undefined;
  }
}

/** Looks a bare name up in the absolute entries of a `PATH`-style list (a relative entry would depend on the cwd). */
export function lookUp(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const found = executableFile(join(dir, name));
    if (found !== undefined) return found;
  }
  return undefined;
}
