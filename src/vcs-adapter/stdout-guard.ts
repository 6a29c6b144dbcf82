/**
 * Keeps stdout for the protocol alone.
 *
 * The host reads exactly one line from an adapter's stdout, so a stray
 * `console.log` in a handler (or in a library it calls) would become the
 * "response" and break the call. While the guard is on, `process.stdout.write`
 * — which `console.log`, `console.info`, `console.dir`, `console.table` and
 * friends all go through — is redirected to stderr, where the host keeps it
 * as the adapter's log. The kit writes its one response line with the
 * original `write`.
 *
 * Out of reach: writes straight to file descriptor 1 (`fs.writeSync(1, …)`)
 * and child processes that inherit stdout; give children `stdio: 'pipe'` or
 * send their stdout to 2.
 */

/** An active guard: write to the real stdout, and turn the guard off again. */
export interface StdoutGuard {
  /** Writes to the real stdout; resolves once the data is handed to the OS. */
  writeStdout(text: string): Promise<void>;
  /** Ends this guard; stdout is restored when the last guard ends. */
  release(): void;
}

type Write = typeof process.stdout.write;

/** Where the real `write` is kept while guards are on: on the stream, so two copies of the kit share it. */
const REAL = Symbol.for('jobhost.vcs-adapter.realStdoutWrite');

interface GuardState {
  readonly write: Write;
  readonly own: PropertyDescriptor | undefined;
  depth: number;
}

/**
 * Redirects `process.stdout.write` to stderr until `release()`. Guards nest:
 * an adapter may call this before its own imports run, and `serveVcsAdapter`
 * calling it again still writes its response to the real stdout.
 */
export function guardStdout(): StdoutGuard {
  const stdout = process.stdout as typeof process.stdout & { [REAL]?: GuardState };
  let state = stdout[REAL];
  if (state === undefined) {
    state = { write: stdout.write.bind(stdout), own: Object.getOwnPropertyDescriptor(stdout, 'write'), depth: 0 };
    stdout[REAL] = state;
    const toStderr = (...args: Parameters<Write>): boolean => process.stderr.write(...(args as [string]));
    stdout.write = toStderr as Write;
  }
  state.depth += 1;
  const active = state;
  let released = false;
  return {
    writeStdout: (text) =>
      new Promise<void>((resolve, reject) => {
        active.write(text, (error) => (error ? reject(error) : resolve()));
      }),
    release: () => {
      if (released) return;
      released = true;
      active.depth -= 1;
      if (active.depth > 0) return;
      delete stdout[REAL];
      if (active.own !== undefined) Object.defineProperty(stdout, 'write', active.own);
      else delete (stdout as { write?: unknown }).write;
    },
  };
}
