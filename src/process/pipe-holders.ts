/**
 * Who still holds the write end of a job's output pipes, read from /proc.
 *
 * Node connects a child's stdout and stderr through socketpairs; the child's
 * end shows as `socket:[inode]` in `/proc/<pid>/fd` of every process that
 * holds it (a pipe would show as `pipe:[inode]`; both are matched). Once a
 * job's process group is gone, a process still holding that end is one that
 * left the group (`setsid`, a double fork into a new session): the only
 * thing that can keep the host from reading the pipe to its end. When no
 * process holds it, the end of the output is certain to come, however busy
 * the machine is — so the host waits for it instead of guessing with a timer.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A process holding a job's pipe. */
export interface PipeHolder {
  readonly pid: number;
  /** Its command name (`/proc/<pid>/comm`), or `?` if it is already gone. */
  readonly name: string;
}

/**
 * The links (`socket:[N]`) of the child's stdout and stderr, read right after
 * it started; `null` where /proc cannot be read (not Linux). A child that
 * replaced its fds before this read gives other links: the job's timeout is
 * then what bounds the wait for its output (see run-job).
 */
export function childEnds(pid: number): string[] | null {
  const ends: string[] = [];
  for (const fd of [1, 2]) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[') || link.startsWith('pipe:[')) ends.push(link);
    } catch (error) {
      // no /proc at all: nothing to look at later
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && fd === 1 && !procMounted()) return null;
    }
  }
  return ends;
}

function procMounted(): boolean {
  try {
    readlinkSync('/proc/self/exe');
    return true;
  } catch {
    return false;
  }
}

/** Every process (but this one) with an fd on one of `ends`; at most `max` of them. */
export function pipeHolders(ends: readonly string[], max = 8): PipeHolder[] {
  if (ends.length === 0) return [];
  const wanted = new Set(ends);
  const found: PipeHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of pids) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (holds(pid, wanted)) {
      found.push({ pid, name: commandName(pid) });
      if (found.length >= max) break;
    }
  }
  return found;
}

function holds(pid: number, wanted: ReadonlySet<string>): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to look at
  }
  for (const fd of fds) {
    try {
      if (wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return true;
    } catch {
      // closed while we looked
    }
  }
  return false;
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || '?';
  } catch {
    return '?';
  }
}

/** "pid 123 (sleep), pid 456 (python3)". */
export function describeHolders(holders: readonly PipeHolder[]): string {
  return holders.map((holder) => `pid ${holder.pid} (${holder.name.replace(/[^\x20-\x7e]/g, '?')})`).join(', ');
}
