/**
 * Starting a process: the only module in jobhost that imports execa.
 *
 * Every process runs without a shell, detached into its own process group,
 * with exactly the environment it is given, and with its output handed over
 * raw (`buffer: false`) so the caller can split lines faster than execa's own
 * line mode and never hold the whole output.
 */
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import { trackGroup, untrackGroup } from './exit-cleanup.js';

/** What to run. `file` is an absolute, already-resolved path. */
export interface ProcessSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** `'pipe'` for programs the host talks to (JSON-RPC); jobs get `'ignore'`. @default 'ignore' */
  readonly stdin?: 'ignore' | 'pipe';
  /** Told about the process group while it lives (the host's watchdog), besides the exit cleanup. */
  readonly watch?: GroupWatch;
}

/** Something that must know every live process group (the watchdog). */
export interface GroupWatch {
  watch(pgid: number): void;
  unwatch(pgid: number): void;
}

/** How the group leader ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A started process; its pid is also its process-group id. */
export interface RunningProcess {
  readonly pid: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Resolves when the leader exits (before its output may have been fully read). */
  readonly exit: Promise<ProcessExit>;
  /** Stops tracking the group for exit cleanup and the watchdog; call once the group is gone. */
  release(): void;
}

/** Why a process could not be started. */
export interface SpawnFailure {
  /** The system error code, e.g. `ENOENT`, `EACCES`, `ETXTBSY`. */
  readonly code: string;
  readonly message: string;
  /** How many attempts were made (ETXTBSY is retried). */
  readonly attempts: number;
}

/** Delays before retrying a spawn that failed with ETXTBSY (a binary still open for writing, e.g. just installed). */
const ETXTBSY_RETRY_MS: readonly number[] = [5, 20, 50, 100, 200];

/**
 * What every process jobhost starts shares: no shell, no inherited env, its
 * own process group, and none of execa's buffering, rejection or cleanup
 * (jobhost reads the streams itself and kills whole groups itself).
 */
const DETACHED = { extendEnv: false, shell: false, detached: true, cleanup: false, reject: false, buffer: false } as const;

async function attempt(spec: ProcessSpec): Promise<RunningProcess | Omit<SpawnFailure, 'attempts'>> {
  // Besides DETACHED, only what differs from execa's defaults: execa copies and checks every option on
  // every call (~30 µs a job for the five no longer passed). stdout and stderr are its default pipes; with
  // `buffer: false` it hands over the child's own sockets, no transform between (test/process/spawn.test.ts),
  // so `encoding` and `stripFinalNewline`, which only shape the buffered result, change nothing.
  const subprocess = execa(spec.file, spec.args, {
    ...DETACHED,
    cwd: spec.cwd,
    env: spec.env,
    forceKillAfterDelay: false,
    stdin: spec.stdin ?? 'ignore',
  });
  const { pid } = subprocess;
  if (pid === undefined) {
    const result = await subprocess;
    const code = typeof result.code === 'string' ? result.code : 'ESPAWN';
    const cause = (result.cause as Error | undefined)?.message ?? result.shortMessage;
    return { code, message: cause ?? code };
  }
  trackGroup(pid);
  spec.watch?.watch(pid);
  // The result is not needed (exit and output are observed directly), but must not go unobserved.
  subprocess.catch(() => undefined);
  const exit = new Promise<ProcessExit>((resolve) => {
    subprocess.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    pid,
    stdin: subprocess.stdin,
    stdout: subprocess.stdout,
    stderr: subprocess.stderr,
    exit,
    release: () => {
      untrackGroup(pid);
      spec.watch?.unwatch(pid);
    },
  };
}

/** Starts a process, retrying ETXTBSY a few times; resolves to the process or to why it could not start. */
export async function startProcess(spec: ProcessSpec): Promise<RunningProcess | SpawnFailure> {
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt(spec);
    if ('pid' in outcome) return outcome;
    const delay = ETXTBSY_RETRY_MS[attempts - 1];
    if (outcome.code !== 'ETXTBSY' || delay === undefined) return { ...outcome, attempts };
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** True when {@link startProcess} failed. */
export function isSpawnFailure(outcome: RunningProcess | SpawnFailure): outcome is SpawnFailure {
  return !('pid' in outcome);
}

/** A background helper of the host (the watchdog): stdin is its only channel, and it never keeps the host alive. */
export interface HelperProcess {
  readonly pid: number;
  readonly stdin: Writable;
  /** Resolves when the helper exits, for whatever reason. */
  readonly exit: Promise<ProcessExit>;
  /** Makes the helper hold the event loop again, for a caller that awaits its exit. */
  ref(): void;
}

/**
 * Starts a helper in its own session and process group, with stdin piped and
 * stdout/stderr discarded, unref'd so it never keeps the host's event loop
 * alive. Tracked for exit cleanup like a job. Throws when it cannot start.
 */
export function startHelper(file: string, args: readonly string[]): HelperProcess {
  const subprocess = execa(file, args, {
    ...DETACHED,
    cwd: '/',
    env: {},
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
    windowsHide: true,
  });
  subprocess.catch(() => undefined);
  const { pid, stdin } = subprocess;
  if (pid === undefined || stdin === null) throw new Error(`could not start ${file}`);
  trackGroup(pid);
  const exit = new Promise<ProcessExit>((resolve) => {
    subprocess.once('exit', (code, signal) => {
      untrackGroup(pid);
      resolve({ code, signal });
    });
  });
  subprocess.unref();
  // a child's stdin is a socket: unref'd, an idle pipe to the helper does not hold the event loop either
  (stdin as Writable & { unref?: () => void }).unref?.();
  stdin.on('error', () => undefined); // EPIPE once the helper is gone: the exit promise says so
  const ref = (): void => {
    subprocess.ref();
    (stdin as Writable & { ref?: () => void }).ref?.();
  };
  return { pid, stdin, exit, ref };
}
