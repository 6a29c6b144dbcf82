/**
 * Dispatchers: allow-listed files that do not decide themselves what runs.
 *
 * - A `#!/usr/bin/env node` script asks `env` to look `node` up on the job's
 *   PATH every time it starts. jobhost resolves that interpreter once, at
 *   construction, pins it like the script, and runs `<interpreter> <script>`
 *   itself: what the kernel and env would have run, without the lookup.
 * - A version-manager shim (pyenv, rbenv, asdf, mise, volta, …) picks the real
 *   program from environment variables and from files in the working
 *   directory (`.python-version`, `.tool-versions`, `.nvmrc`) — and the
 *   working directory may be an attacker's repository. Shims are refused
 *   unless the policy says `allowDispatcher: true`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import { JobHostError } from '../errors.js';
import { executableFile, isBareName, lookUp } from './lookup.js';

/** How an allow-listed file is started. */
export interface Launch {
  /** The file given to execve. */
  readonly file: string;
  /** Arguments before the request's (the interpreter's options and the script, for an env script). */
  readonly prefix: readonly string[];
  /** The interpreter of a `#!` script, when there is one. */
  readonly interpreter: string | null;
  /** The kind of dispatcher that `allowDispatcher` let through (`'pyenv shim'`, …), else null. */
  readonly dispatcher: string | null;
}

/** The kernel reads this much of a script for its `#!` line (BINPRM_BUF_SIZE). */
const SHEBANG_BYTES = 256;
/** How much of a script is searched for a version manager's exec line. */
const HEAD_BYTES = 4096;

/** Binaries that are themselves shims, by the real file's name. */
const SHIM_FILES: readonly string[] = ['volta-shim', 'mise', 'rtx', 'proto-shim', 'asdf', 'aqua', 'pkgx'];

/** A version manager's exec line in a shim script: `exec "…/libexec/pyenv" exec "$program"`, `asdf exec`, `mise x --`. */
const MANAGER_EXEC = /\b(asdf|pyenv|rbenv|nodenv|goenv|jenv|plenv|phpenv|luaenv|scalaenv|swiftenv|tfenv|mise|rtx|proto|aqua|volta)["']?\s+(exec|x|run)\b/;

function head(file: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(HEAD_BYTES);
    return buffer.subarray(0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
  } catch {
    // execute-only: the kernel can still run a binary; a script it could not read could not run anyway
    return Buffer.alloc(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The kind of version-manager shim `file` is, or null. */
export function shimKind(file: string, content: Buffer = head(file)): string | null {
  const dir = dirname(file);
  if (basename(dir) === 'shims') return `${basename(dirname(dir)).replace(/^\./, '') || 'version-manager'} shim`;
  const name = basename(file);
  if (SHIM_FILES.includes(name)) return `${name} shim`;
  if (content[0] === 0x23 && content[1] === 0x21) {
    const match = MANAGER_EXEC.exec(content.toString('latin1'));
    if (match !== null) return `${match[1] ?? 'version-manager'} shim`;
  }
  return null;
}

/** The `#!` line as the kernel splits it: the interpreter and at most one argument; null for a non-script. */
function shebang(content: Buffer): { interpreter: string; argument: string | null } | null {
  if (content[0] !== 0x23 || content[1] !== 0x21) return null;
  const end = content.indexOf(0x0a);
  const line = content.subarray(2, end === -1 ? Math.min(content.length, SHEBANG_BYTES) : Math.min(end, SHEBANG_BYTES)).toString('latin1').trim();
  const space = line.search(/[ \t]/);
  if (space === -1) return { interpreter: line, argument: null };
  return { interpreter: line.slice(0, space), argument: line.slice(space).trim() || null };
}

function refuse(name: string, file: string, kind: string, why: string): never {
  throw new JobHostError('ERR_BINARY_DISPATCHER', `Allow-listed binary "${name}" (${file}) is a ${kind}: ${why}. Allow-list the real program instead, or set \`allowDispatcher: true\` in its policy`, {
    details: { binary: name, file, dispatcher: kind },
  });
}

/**
 * How to start the allow-listed `file` (a real path) so that nothing is looked
 * up again at run time. Throws `ERR_BINARY_DISPATCHER` for a shim (unless
 * allowed) or an env line jobhost cannot replay exactly, and
 * `ERR_BINARY_NOT_FOUND` for an env script whose interpreter is missing.
 */
export function planLaunch(name: string, file: string, searchPath: string, allowDispatcher: boolean): Launch {
  const content = head(file);
  const shim = shimKind(file, content);
  const why = 'it picks the program to run from environment variables and from files in the working directory, which a plugin or a repository controls';
  if (shim !== null) {
    if (!allowDispatcher) refuse(name, file, shim, why);
    return { file, prefix: [], interpreter: null, dispatcher: shim };
  }
  const line = shebang(content);
  if (line === null) return { file, prefix: [], interpreter: null, dispatcher: null };
  if (basename(line.interpreter) !== 'env') return { file, prefix: [], interpreter: line.interpreter, dispatcher: null };
  // `#!/usr/bin/env prog` or `#!/usr/bin/env -S prog args…` (simple words only)
  const words = line.argument === null ? [] : line.argument.startsWith('-S') ? line.argument.slice(2).trim().split(/[ \t]+/) : [line.argument];
  const [program, ...options] = words;
  // quotes, escapes and variables are env -S syntax jobhost would have to decode; NAME=value before the program sets a variable
  const replayable = program !== undefined && program !== '' && !program.startsWith('-') && !program.includes('=') && words.every((word) => !/["'\\$]/.test(word));
  if (!replayable || (!isBareName(program) && !isAbsolute(program))) {
    if (!allowDispatcher) refuse(name, file, 'script run through env', `its line "#!${line.interpreter} ${line.argument ?? ''}" asks env to decide what runs, in a form jobhost cannot replay exactly`);
    return { file, prefix: [], interpreter: line.interpreter, dispatcher: 'env script' };
  }
  const interpreter = isAbsolute(program) ? executableFile(program) : lookUp(program, searchPath);
  if (interpreter === undefined) {
    throw new JobHostError('ERR_BINARY_NOT_FOUND', `The interpreter "${program}" of allow-listed binary "${name}" (${file}, #!${line.interpreter} ${line.argument ?? ''}) was not found as an executable on PATH (${searchPath})`, {
      details: { binary: name, path: file, interpreter: program },
    });
  }
  const interpreterShim = shimKind(interpreter);
  if (interpreterShim !== null && !allowDispatcher) refuse(name, `${file} → ${interpreter}`, `script whose interpreter is a ${interpreterShim}`, why);
  return { file: interpreter, prefix: [...options, file], interpreter, dispatcher: interpreterShim };
}
