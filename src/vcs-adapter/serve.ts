/**
 * `serveVcsAdapter`: an adapter's whole `main`. One request line from stdin,
 * exactly one response line to stdout, and the exit status TA's own adapters
 * use: 0 after any answer, `{"ok":false}` included, and 1 only when there was
 * no request to answer (no line, not JSON, not a request envelope). Every
 * error text also goes to stderr, as `[<adapterName>] <method>: <error>`:
 * TA's host shows only stderr when an adapter exits non-zero.
 */
import type { Readable } from 'node:stream';
import { errorResponse, handleVcsRequest, type VcsHandledRequest } from './handle-request.js';
import { readRequestLine } from './read-request.js';
import { guardStdout } from './stdout-guard.js';
import type { VcsAdapterOptions } from './types.js';

/** Options of {@link serveVcsAdapter}: the adapter, plus how to run it. */
export interface ServeVcsAdapterOptions extends VcsAdapterOptions {
  /** Where the request comes from. @default process.stdin */
  readonly input?: Readable;
  /** Longest request line accepted. @default 16 MiB */
  readonly maxRequestBytes?: number;
  /**
   * Exit the process right after the response is written (1 for a malformed
   * request, 0 otherwise), so
   * a handler's leftover timer or socket cannot keep the host waiting. With
   * `false` the exit code is only set (`process.exitCode`), stdout is given
   * back, and the promise resolves. @default true
   */
  readonly exit?: boolean;
}

/**
 * Serves one request. While it runs, anything written to `process.stdout`
 * (`console.log` included) goes to stderr instead, so nothing but the
 * response line ever reaches stdout (see `stdout-guard.ts` for the limits).
 *
 * @example
 * await serveVcsAdapter({ adapterName: 'hg', version: '1.0.0', handlers: { revision_id: () => ({ revision_id: tip() }) } });
 */
export async function serveVcsAdapter(options: ServeVcsAdapterOptions): Promise<VcsHandledRequest> {
  const guard = guardStdout();
  const read = await readRequestLine(options.input ?? process.stdin, options.maxRequestBytes ?? 16 * 1024 * 1024);
  const handled = 'error' in read ? errorResponse(read.error, true) : await handleVcsRequest(read.line, options);
  const code = handled.malformed === true ? 1 : 0;
  if (handled.response.error !== undefined) {
    const where = handled.method === undefined ? '' : ` ${handled.method}`;
    process.stderr.write(`[${options.adapterName}]${where}: ${handled.response.error}\n`);
  }
  try {
    await guard.writeStdout(`${handled.line}\n`);
  } catch (error) {
    process.stderr.write(`cannot write the response to stdout: ${error instanceof Error ? error.message : String(error)}\n`);
    if (options.exit !== false) process.exit(1);
    process.exitCode = 1;
    guard.release();
    return handled;
  }
  if (options.exit !== false) process.exit(code);
  process.exitCode = code;
  guard.release();
  return handled;
}
