/**
 * Graceful shutdown of a JSON-RPC plugin, the LSP way: a `shutdown` request,
 * then an `exit` notification and EOF on stdin, then a grace period; a plugin
 * still running after it is cancelled, which kills its whole process group.
 * A plugin that ignores all of it therefore still dies, and one that never
 * implemented `shutdown` (answering `MethodNotFound`) still gets `exit` and EOF.
 *
 * SynapseCLI's way (the `synapse-extension` preset) is the same sequence with
 * a shorter wait for the answer (500 ms of the grace) and no `exit` or EOF:
 * its port's `exit` sends nothing.
 */
import type { TerminalJobEvent } from '../contracts/jobs.js';
import { settlesWithin } from '../util/timer.js';

/** What shutdown needs from the plugin. */
export interface ShutdownPort {
  /** True once the process runs; a plugin still queued is cancelled at once. */
  readonly started: boolean;
  /** Sends the `shutdown` request; settles with the answer or after `timeoutMs`. */
  request(timeoutMs: number): Promise<unknown>;
  /** Sends the `exit` notification and closes stdin (SynapseCLI's way: nothing). */
  exit(): void;
  /** Cancels the job with `reason`. */
  cancel(reason: string): void;
  readonly done: Promise<TerminalJobEvent>;
}

/**
 * Runs the shutdown sequence within `graceMs`, waiting at most `answerMs` of
 * it for the answer to `shutdown`; resolves with the job's terminal event.
 */
export async function shutdownPlugin(port: ShutdownPort, graceMs: number, answerMs = graceMs): Promise<TerminalJobEvent> {
  if (!port.started) {
    port.cancel('shutdown before the plugin started');
    return port.done;
  }
  const deadline = Date.now() + graceMs;
  // The answer's content does not matter (null, MethodNotFound, a timeout): exit follows either way.
  const wait = Math.min(answerMs, graceMs);
  // a request queued behind others (one at a time) may not even be sent in time: the wait is bounded here too
  if (wait > 0) await settlesWithin(Promise.race([port.request(wait).catch(() => undefined), port.done]), wait);
  port.exit();
  if (!(await settlesWithin(port.done, Math.max(0, deadline - Date.now())))) {
    port.cancel(`shutdown: the plugin did not exit within ${graceMs} ms`);
  }
  return port.done;
}
