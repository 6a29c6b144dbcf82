/**
 * Scriptable child programs: a test describes what a job's process does as a
 * list of steps, and gets an executable plus its allow-list entry, instead of
 * hand-writing a fixture file per behaviour.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinaryPolicy } from '../policy/binaries.js';

/** One thing the program does, in order. */
export type ProgramStep =
  /** Print lines (a newline is added to each) on stdout. */
  | { readonly stdout: string | readonly string[] }
  /** Print lines on stderr. */
  | { readonly stderr: string | readonly string[] }
  /** Print raw text on stdout, without adding a newline. */
  | { readonly write: string }
  /** Send a JSON-RPC 2.0 notification on stdout, e.g. `{ notify: 'task.update', params: { id, current, total } }`. */
  | { readonly notify: string; readonly params?: unknown }
  /** Wait for one line on stdin and print it back on stdout as `stdin: <line>`. */
  | { readonly readLine: true }
  /** Wait this long (inside the child: the test itself still waits on events). */
  | { readonly sleepMs: number }
  /** Ignore SIGTERM from here on (so only SIGKILL ends the program). */
  | { readonly ignoreSigterm: true }
  /** Start a grandchild that sleeps forever in the same process group; prints `grandchild <pid>`. */
  | { readonly grandchild: true }
  /** Exit now with this code. */
  | { readonly exit: number }
  /** Kill itself with a signal. */
  | { readonly signal: NodeJS.Signals }
  /** Never end (until killed). */
  | { readonly hang: true };

/** The interpreter written into every program; `STEPS` is replaced by the JSON of the steps. */
const RUNTIME = `
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
const steps = STEPS;
const out = (stream, lines) => { for (const line of [].concat(lines)) stream.write(line + '\\n'); };
// Resolves once everything written so far is in the pipe: a small write queued behind a full
// pipe stays below the high-water mark (no writableNeedDrain), and process.exit would drop it.
const flush = (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
let stdinLines;
const nextLine = () => {
  stdinLines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  return stdinLines.next().then((r) => (r.done ? '' : r.value));
};
for (const step of steps) {
  if ('stdout' in step) out(process.stdout, step.stdout);
  else if ('stderr' in step) out(process.stderr, step.stderr);
  else if ('write' in step) process.stdout.write(step.write);
  else if ('notify' in step) out(process.stdout, JSON.stringify({ jsonrpc: '2.0', method: step.notify, params: step.params ?? {} }));
  else if ('readLine' in step) out(process.stdout, 'stdin: ' + (await nextLine()));
  else if ('sleepMs' in step) await new Promise((resolve) => setTimeout(resolve, step.sleepMs));
  else if ('ignoreSigterm' in step) process.on('SIGTERM', () => out(process.stdout, 'ignoring SIGTERM'));
  else if ('grandchild' in step) {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e8)'], { stdio: 'ignore' });
    out(process.stdout, 'grandchild ' + child.pid);
  } else if ('exit' in step) { await flush(process.stdout); await flush(process.stderr); process.exit(step.exit); }
  else if ('signal' in step) { await flush(process.stdout); process.kill(process.pid, step.signal); await new Promise(() => {}); }
  else if ('hang' in step) await new Promise(() => setInterval(() => {}, 1e8));
}
stdinLines?.return?.();
`;

/** A built program: where it is, the allow-list entry that runs it, and how to remove it. */
export interface ScriptedProgram {
  /** Absolute path of the executable (`<dir>/<name>.mjs`, a Node.js script with a shebang). */
  readonly path: string;
  /**
   * The allow-list entry that runs it, `{ path }`: ready for
   * `binaries: { name: program.policy }`; add fields with `{ ...program.policy, progress: … }`.
   */
  readonly policy: BinaryPolicy;
  /**
   * Removes what `scriptedProgram` wrote: the temp dir it created, or only the
   * executable when the caller gave `dir`. Idempotent; a running job is unaffected.
   */
  dispose(): Promise<void>;
  /** `await using program = scriptedProgram(…)` calls `dispose()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Writes an executable that performs `steps` (with this Node.js, found by
 * absolute path, so PATH does not matter) into `dir` (a fresh temp dir,
 * `jobhost-program-*`, by default) and returns it with its allow-list entry.
 * Call `dispose()` (or `await using`) to remove it; the `programs` of
 * `jobhostTest` are removed by the fixture.
 */
export function scriptedProgram(steps: readonly ProgramStep[], options: { readonly dir?: string; readonly name?: string } = {}): ScriptedProgram {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'jobhost-program-'));
  const path = join(dir, `${options.name ?? 'program'}.mjs`);
  writeFileSync(path, `#!${process.execPath}\n${RUNTIME.replace('STEPS', JSON.stringify(steps))}`);
  chmodSync(path, 0o755);
  const dispose = (): Promise<void> => rm(options.dir === undefined ? dir : path, { recursive: true, force: true });
  return { path, policy: { path }, dispose, [Symbol.asyncDispose]: dispose };
}
