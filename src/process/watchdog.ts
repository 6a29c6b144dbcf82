/**
 * The watchdog: a tiny process that outlives its host and kills the host's
 * jobs when the host dies, however it dies — SIGKILL and crashes past every
 * exit handler included, which nothing inside the host can catch.
 *
 * It is a POSIX shell script (it starts in about a millisecond and needs
 * nothing installed) holding a pipe from the host. The host writes `+PGID`
 * when a job's process group starts and `-PGID` when it is gone. When the
 * pipe reaches EOF — the only thing a dead host still does — the watchdog
 * sends SIGTERM to every group it still has, waits out the grace, sends
 * SIGKILL, and exits. `/bin/kill` does the killing: dash's built-in `kill`
 * rejects a negative pid. A `+PGID` is written at once; a `-PGID` goes with
 * the next `+PGID` or on the next turn of the event loop (see `unwatch`), so
 * a run of short jobs wakes the watchdog once per job, not twice. One
 * watchdog per JobHost, started at its first spawn; `dispose()` closes the
 * pipe once every job is gone, so the watchdog exits at once, finding
 * nothing to kill.
 */
import { existsSync } from 'node:fs';
import { startHelper, type HelperProcess } from './spawn.js';

/** The script: `$1` is the grace in seconds, `$2` the kill program. Groups are kept as " 12 345 " in one variable. */
const SCRIPT = `
trap '' HUP INT
grace=$1 kill=$2 groups=' '
while IFS= read -r line; do
  case $line in
    +*) groups="$groups\${line#+} " ;;
    -*) g=\${line#-}
        case $groups in *" $g "*) groups="\${groups%%" $g "*} \${groups#*" $g "}" ;; esac ;;
  esac
done
set -- $groups
[ $# -eq 0 ] && exit 0
for g do "$kill" -s TERM -- "-$g" 2>/dev/null; done
sleep "$grace"
for g do "$kill" -s KILL -- "-$g" 2>/dev/null; done
`;

/** Where the programs the watchdog needs are, or why there is no watchdog on this machine. */
export function watchdogSupport(): { readonly shell: string; readonly kill: string } | { readonly missing: string } {
  const shell = '/bin/sh';
  const kill = ['/bin/kill', '/usr/bin/kill'].find((file) => existsSync(file));
  if (!existsSync(shell)) return { missing: shell };
  if (kill === undefined) return { missing: '/bin/kill' };
  return { shell, kill };
}

/** One host's watchdog. */
export class Watchdog {
  readonly #graceSeconds: string;
  readonly #groups = new Set<number>();
  #helper: HelperProcess | null = null;
  #failed: string | null = null;
  /** `-PGID` lines not written yet (see `unwatch`). */
  #gone = '';
  #flushQueued = false;

  constructor(graceMs: number) {
    this.#graceSeconds = (Math.max(0, graceMs) / 1000).toFixed(3);
  }

  /** The watchdog's pid while it runs, else null. */
  get pid(): number | null {
    return this.#helper?.pid ?? null;
  }

  /** Why the watchdog could not be started, if it could not. */
  get failure(): string | null {
    return this.#failed;
  }

  /** A job's process group has started: the watchdog will kill it if the host dies. Written at once. */
  watch(pgid: number): void {
    this.#groups.add(pgid);
    if (this.#helper !== null) this.#helper.stdin.write(`${this.#takeGone()}+${pgid}\n`);
    else this.#start();
  }

  /**
   * The group is gone: forget it (its id may be reused by an unrelated group
   * later). Written with the next `watch`, or on the next turn of the event
   * loop, whichever comes first: every write wakes the watchdog, and at the
   * end of a job that wake-up is on the path to the terminal event (~40 µs
   * on a 2-vCPU VM). Until then a dying host's watchdog would signal a group
   * that is already gone, which is harmless unless its id was reused within
   * that turn.
   */
  unwatch(pgid: number): void {
    if (!this.#groups.delete(pgid) || this.#helper === null) return;
    this.#gone += `-${pgid}\n`;
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setImmediate(() => {
      this.#flushQueued = false;
      const gone = this.#takeGone();
      if (gone !== '') this.#helper?.stdin.write(gone);
    });
  }

  /** Ends the watchdog (the host is being disposed and its groups are gone); resolves when it has exited. */
  async stop(): Promise<void> {
    const helper = this.#helper;
    this.#helper = null;
    if (helper === null) return;
    // awaited by dispose(): the helper must hold the event loop until it is gone, or Node would exit with the await pending
    helper.ref();
    // the groups it still has are all gone: say so, or it would signal them and wait out the grace
    const gone = this.#takeGone();
    if (gone !== '') helper.stdin.write(gone);
    helper.stdin.end();
    await helper.exit;
  }

  /** The `-PGID` lines not written yet, taken. */
  #takeGone(): string {
    const gone = this.#gone;
    this.#gone = '';
    return gone;
  }

  /** Starts the watchdog (again, if it died) and tells it every group it should know. */
  #start(): void {
    this.#gone = ''; // a new watchdog hears of the live groups only
    if (this.#failed !== null) return;
    const support = watchdogSupport();
    if ('missing' in support) {
      this.#failed = `${support.missing} is missing`;
      return;
    }
    let helper: HelperProcess;
    try {
      helper = startHelper(support.shell, ['-c', SCRIPT, 'jobhost-watchdog', this.#graceSeconds, support.kill]);
    } catch (error) {
      this.#failed = error instanceof Error ? error.message : String(error);
      return;
    }
    this.#helper = helper;
    void helper.exit.then(() => {
      // killed from outside: the next watch starts a new one and tells it everything
      if (this.#helper === helper) this.#helper = null;
    });
    helper.stdin.write([...this.#groups].map((pgid) => `+${pgid}\n`).join(''));
  }
}
