/**
 * `host.containment`: what holds this host's jobs, for a host to show or log
 * — the watchdog, the state directory and what its start-up sweep found, and
 * each binary's tier and limits.
 */
import type { ResolvedBinary } from '../policy/binaries.js';
import type { ResourceLimits } from '../policy/limits.js';
import type { SweptGroup } from '../process/sweep.js';

/** One binary's containment. */
export interface BinaryContainment {
  /** `'group'`: the process group, killed with the job and by the watchdog; `'bwrap'`: a PID namespace too. */
  readonly tier: 'group' | 'bwrap';
  /** What escapes this tier. */
  readonly escapes: string;
  readonly limits: ResourceLimits | null;
  /** The wrapper programs that run around the binary (`prlimit`, `bwrap`). */
  readonly wrappers: readonly string[];
}

/** The host's containment. */
export interface ContainmentReport {
  /** The watchdog: its pid while it runs (it starts with the first job); why there is none, if there cannot be one. */
  readonly watchdog: { readonly pid: number | null; readonly unavailable: string | null };
  /** Where live groups are recorded for the next host's sweep, or null. */
  readonly stateDir: string | null;
  /** What this host's start-up sweep killed: groups a previous, dead host left behind. */
  readonly swept: readonly SweptGroup[];
  readonly binaries: ReadonlyMap<string, BinaryContainment>;
}

const ESCAPES = {
  group: 'a process that leaves the process group on purpose (setsid, a daemon) survives the job; the host and its watchdog kill the group',
  bwrap: 'nothing inside the job’s PID namespace outlives its main process or the host; the file system, the network and the user are shared',
} as const;

/** Each binary's tier and limits, in allow-list order. */
export function describeContainment(binaries: ReadonlyMap<string, ResolvedBinary>): ReadonlyMap<string, BinaryContainment> {
  const report = new Map<string, BinaryContainment>();
  for (const [name, binary] of binaries) {
    const { tier, limits, wrapperFiles } = binary.containment;
    report.set(name, Object.freeze({ tier, escapes: ESCAPES[tier], limits: limits ?? null, wrappers: Object.freeze([...wrapperFiles]) }));
  }
  return report;
}
