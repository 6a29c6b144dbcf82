/**
 * What the soak measures about its own process and the processes around it,
 * straight from /proc (Linux): every process with its parent, group, session
 * and state; open file descriptors; memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One process as /proc/<pid>/stat shows it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  /** `R`, `S`, `Z` (zombie), … */
  readonly state: string;
  readonly command: string;
}

function readStat(pid: string): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined; // gone meanwhile
  }
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  return {
    pid: Number(pid),
    command: stat.slice(stat.indexOf('(') + 1, close),
    state: fields[0] ?? '?',
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
  };
}

/** Every process visible in /proc, zombies included. */
export function scanProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readStat(entry);
    if (info !== undefined) processes.push(info);
  }
  return processes;
}

/** True unless the process is a zombie (or dead), i.e. only waiting to be reaped. */
export function isLive(info: ProcessInfo): boolean {
  return info.state !== 'Z' && info.state !== 'X';
}

/** Every descendant of `ancestor` (children, their children, …) in `processes`. */
export function descendantsOf(ancestor: number, processes: readonly ProcessInfo[]): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) {
    const siblings = children.get(info.ppid);
    if (siblings === undefined) children.set(info.ppid, [info]);
    else siblings.push(info);
  }
  const found: ProcessInfo[] = [];
  const stack = [ancestor];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      found.push(child);
      stack.push(child.pid);
    }
  }
  return found;
}

/** Open file descriptors of this process (the directory handle used to count them excluded). */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length - 1;
}

/** A full garbage collection: `global.gc` under --expose-gc, else the flag is switched on at run time. */
export function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** Megabytes, one decimal. */
export function mb(bytes: number): number {
  return Math.round(bytes / 104_857.6) / 10;
}
