/**
 * The start-up sweep: a host created with `stateDir` records each live job
 * group there (its leader's pid and start time), and the next host that
 * starts with the same `stateDir` kills whatever a previous host — one that
 * is no longer running — left behind: the case where both the host and its
 * watchdog were killed (a `kill -9` of the whole session, an OOM kill).
 *
 * Records are checked before anything is killed. A host directory is swept
 * only when that host (pid and start time) is gone; a group only when its
 * leader is the very process recorded (same start time) or is gone — the
 * kernel does not hand a pid out again while a group still carries it as
 * its id, so members of a group whose leader has exited are still that
 * group's.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupMembers, signalGroup } from './group.js';

/** A group a sweep killed. */
export interface SweptGroup {
  readonly pgid: number;
  /** Live processes it had. */
  readonly processes: number;
  /** The pid of the host that left it behind. */
  readonly host: number;
}

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22), or null when it is gone. */
export function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

const HOST_DIR = /^jobhost-(\d+)-(\d+)-\d+$/;
let hostsInThisProcess = 0;

/** Kills what dead hosts left in `stateDir` and removes their records; returns what was killed. */
export function sweepStateDir(stateDir: string): SweptGroup[] {
  const swept: SweptGroup[] = [];
  let entries: string[];
  try {
    entries = readdirSync(stateDir);
  } catch {
    return swept;
  }
  for (const entry of entries) {
    const match = HOST_DIR.exec(entry);
    if (match === null) continue;
    const host = Number(match[1]);
    if (startTime(host) === match[2]) continue; // that host still runs
    const dir = join(stateDir, entry);
    let groups: string[] = [];
    try {
      groups = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of groups) {
      const pgid = Number(name);
      if (!Number.isSafeInteger(pgid) || pgid <= 1) continue;
      let recorded: string | undefined;
      try {
        recorded = readFileSync(join(dir, name), 'latin1').trim().split(' ')[1];
      } catch {
        continue;
      }
      const leader = startTime(pgid);
      if (leader !== null && leader !== recorded) continue; // the pid is another process now: that group ended
      const members = groupMembers(pgid);
      if (members.length === 0) continue;
      signalGroup(pgid, 'SIGKILL');
      swept.push({ pgid, processes: members.length, host });
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return swept;
}

/** One host's record of its live groups in the state directory. */
export class GroupRecords {
  readonly #dir: string;

  constructor(stateDir: string) {
    hostsInThisProcess += 1;
    this.#dir = join(stateDir, `jobhost-${process.pid}-${startTime(process.pid) ?? '0'}-${hostsInThisProcess}`);
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
  }

  /** Records a group whose leader `pgid` is running now. */
  add(pgid: number): void {
    try {
      writeFileSync(join(this.#dir, String(pgid)), `${pgid} ${startTime(pgid) ?? '0'}\n`);
    } catch {
      // a state directory that went away only costs the next sweep this group
    }
  }

  /** Forgets a group that is gone. */
  remove(pgid: number): void {
    rmSync(join(this.#dir, String(pgid)), { force: true });
  }

  /** Removes this host's records (its groups are all gone). */
  close(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
