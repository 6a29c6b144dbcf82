/**
 * Running git (and the optional review command) from inside the adapter.
 *
 * The adapter is its own program, started by the host through its JobHost;
 * spawning here is the adapter's business, not the library's. Output is
 * captured, never inherited, so nothing a child prints can reach the
 * adapter's stdout (which carries the protocol response).
 */
import { spawn } from 'node:child_process';

/** How a command ended. */
export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `file` with `args`; resolves with its exit code and output, rejects only when it cannot start. */
export function exec(file: string, args: readonly string[], cwd: string, input?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd,
      // No prompts (credentials, editors): an adapter has no terminal to ask on.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // a command that ignores stdin may close it early
    child.stdin.end(input ?? '');
    child.on('error', (error: NodeJS.ErrnoException) => reject(new Error(`cannot run ${file}: ${error.code ?? error.message}`)));
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal === null ? 1 : 128),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}

/** `git <args>` in `cwd`, whatever its exit code. */
export function git(args: readonly string[], cwd: string, input?: string): Promise<ExecResult> {
  return exec('git', args, cwd, input);
}

/** `git <args>` in `cwd`; rejects with git's own message on a non-zero exit. Resolves with stdout. */
export async function gitOk(args: readonly string[], cwd: string, input?: string): Promise<string> {
  const result = await git(args, cwd, input);
  if (result.code !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`).split('\n').slice(-3).join(' / ');
    throw new Error(`git ${args.find((arg) => !arg.startsWith('-')) ?? ''} failed: ${said}`);
  }
  return result.stdout;
}

/** The current branch, or `null` on a detached HEAD. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const result = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], cwd);
  return result.code === 0 ? result.stdout.trim() : null;
}

/** NUL-separated path list (`-z` output) as an array. */
export function paths(output: string): string[] {
  return output.split('\0').filter((path) => path !== '');
}
