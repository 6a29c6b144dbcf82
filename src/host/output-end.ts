/**
 * Reading a job's output to its end once its process group is gone.
 *
 * Usually the pipes close with the group's last process. When they have not
 * closed yet, the question is whether anyone can still write to them, and
 * /proc answers it (`pipeHolders`): when nobody holds the write end, the rest
 * of the output is finite and its end is certain, so it is read with no
 * deadline, however busy the machine. Only when a live process outside the
 * group (one that left it with `setsid`) holds it does the host read what is
 * already buffered, stop, and name that process. The job's own timeout is the
 * last bound: a job that hid its pipes from the check (or a system without
 * /proc, where the host waits one grace period) cannot keep its end open
 * past it.
 */
import type { Readable } from 'node:stream';
import { describeHolders, pipeHolders } from '../process/pipe-holders.js';
import { settlesWithin } from '../util/timer.js';

/** How long the pipes may take to close on their own before /proc is asked (a look, not a deadline). */
const LOOK_MS = 100;
/** While nobody holds the pipes, how often the holders are checked again. */
const RECHECK_MS = 1000;
/** At most this much is read from pipes a live escapee holds, before they are closed. */
const ESCAPEE_READ_BYTES = 1024 * 1024;

/** What `readToEnd` needs to know about the job. */
export interface OutputEnd {
  readonly streams: readonly Readable[];
  /** Resolves when every stream closed. */
  readonly closed: Promise<unknown>;
  /** The child's ends of the pipes (`childEnds`), or null without /proc. */
  readonly ends: readonly string[] | null;
  /** Epoch ms when the job's timeout runs out. */
  readonly deadline: number;
  /** The wait without /proc, in ms. */
  readonly graceMs: number;
}

/** Reads the job's pipes to their end; returns the `system` line to write when reading had to stop short, else null. */
export async function readToEnd(end: OutputEnd): Promise<string | null> {
  // the usual case, already over: no timer, no promise (about 90 µs a job)
  if (end.streams.every((stream) => stream.closed)) return null;
  if (await settlesWithin(end.closed, LOOK_MS)) return null;
  const { ends } = end;
  if (ends === null) {
    if (await settlesWithin(end.closed, end.graceMs)) return null;
    stop(end.streams);
    return "[jobhost] stopped reading output: a process outside the job's process group (started with setsid?) still holds its pipes open";
  }
  for (;;) {
    const holders = pipeHolders(ends);
    if (holders.length > 0) {
      await readBuffered(end.streams);
      stop(end.streams);
      return `[jobhost] stopped reading output: ${describeHolders(holders)}, outside the job's process group (started with setsid?), still holds its pipes open`;
    }
    const left = end.deadline - Date.now();
    if (left <= 0) {
      // the timeout also stopped waiting for the owner to drain: what was held comes through now
      if (await settlesWithin(end.closed, LOOK_MS)) return null;
      await readBuffered(end.streams);
      stop(end.streams);
      return "[jobhost] stopped reading output at the job's timeout: its pipes were still open";
    }
    if (await settlesWithin(end.closed, Math.min(left, RECHECK_MS))) return null;
  }
}

function stop(streams: readonly Readable[]): void {
  for (const stream of streams) stream.destroy();
}

/** Reads until two event-loop turns pass with nothing new (what the kernel had buffered is in), or a byte cap. */
function readBuffered(streams: readonly Readable[]): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    let quiet = 0;
    const onData = (chunk: Buffer): void => {
      read += chunk.length;
      quiet = 0;
    };
    for (const stream of streams) {
      stream.on('data', onData);
      stream.resume();
    }
    const turn = (): void => {
      quiet += 1;
      if (quiet > 2 || read >= ESCAPEE_READ_BYTES || streams.every((stream) => stream.destroyed)) {
        for (const stream of streams) stream.off('data', onData);
        resolve();
      } else {
        setImmediate(turn);
      }
    };
    setImmediate(turn);
  });
}
