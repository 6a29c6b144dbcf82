/**
 * Connects a started process to whoever consumes it: stdout as log lines
 * (plain jobs) or raw chunks handed to a host-side integration (`JobIo`),
 * stdin written once or handed over, and stdin errors reported, never thrown.
 */
import type { JobOutput } from '../output/job-output.js';
import type { RunningProcess } from '../process/spawn.js';
import type { Job } from './job.js';

/** Wires stdin and stdout of `started` for `job`; `abort` cancels the job with a reason. */
export function connectIo(job: Job, started: RunningProcess, output: JobOutput, abort: (reason: string) => void): void {
  const io = job.io;
  const stdin = started.stdin;
  if (stdin !== null) {
    // A child that exits or closes stdin early makes writes fail with EPIPE: say so, never crash the host.
    let reported = false;
    const report = (why: string): void => {
      if (reported || job.cancelReason !== null) return;
      reported = true;
      output.system(`[jobhost] writing to stdin failed: ${why}`);
    };
    stdin.on('error', (error: NodeJS.ErrnoException) => report(error.code ?? error.message));
    // When the exit is seen before the failed write, Node destroys stdin without an error and the
    // rest of the input is dropped silently. Runs before the runner's own wait on `exit`, so before the terminal event.
    void started.exit.then(() => {
      if (stdin.writableLength > 0) report(`EPIPE (${stdin.writableLength} bytes of input were still unwritten when the process exited)`);
    });
    if (io?.input !== undefined) stdin.end(io.input);
  }
  try {
    io?.onStart?.({ pid: started.pid, stdin: io.stdin === 'pipe' && io.input === undefined ? stdin : null });
  } catch (error) {
    abort(`the host's onStart callback threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  const onStdout = io?.onStdout;
  if (onStdout === undefined) {
    started.stdout.on('data', (chunk: Buffer) => output.stdout(chunk));
    return;
  }
  started.stdout.on('data', (chunk: Buffer) => {
    try {
      onStdout(chunk);
    } catch (error) {
      abort(`the host's stdout reader threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
