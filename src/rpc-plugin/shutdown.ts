/**
 * Graceful shutdown of a JSON-RPC plugin, the LSP way: a `shutdown` request,
 * then an `exit` notification and EOF on stdin, then a grace period; a plugin
 * still running after it is cancelled, which kills its whole process group.
 * A plugin that ignores all of it therefore still dies, and one that never
 * implemented `shutdown` (answering `MethodNotFound`) still gets `exit` and EOF.
 */
import type { TerminalJobEvent } from '../contracts/jobs.js';
import { settlesWithin } from '../util/timer.js';

/** What shutdown needs from the plugin. */
export interface ShutdownPort {
  /** True once the process runs; a plugin still queued is cancelled at once. */
  readonly started: boolean;
  /** Sends the `shutdown` request; settles with the answer or after `timeoutMs`. */
  request(timeoutMs: number): Promise<unknown>;
  /** Sends the `exit` notification and closes stdin. */
  exit(): void;
  /** Cancels the job with `reason`. */
  cancel(reason: string): void;
  readonly done: Promise<TerminalJobEvent>;
}

/** Runs the shutdown sequence within `graceMs`; resolves with the job's terminal event. */
export async function shutdownPlugin(port: ShutdownPort, graceMs: number): Promise<TerminalJobEvent> {
  if (!port.started) {
    port.cancel('shutdown before the plugin started');
    return port.done;
  }
  const deadline = Date.now() + graceMs;
  // The answer's content does not matter (null, MethodNotFound, a timeout): exit follows either way.
  if (graceMs > 0) await Promise.race([port.request(graceMs).catch(() => undefined), port.done]);
  port.exit();
  if (!(await settlesWithin(port.done, Math.max(0, deadline - Date.now())))) {
    port.cancel(`shutdown: the plugin did not exit within ${graceMs} ms`);
  }
  return port.done;
}
