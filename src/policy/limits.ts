/**
 * Resource limits per binary: what one job's processes may take.
 *
 * Two mechanisms, each used where it is exact:
 * - kernel rlimits, set with util-linux `prlimit` before the binary starts
 *   and inherited by every process it starts: CPU seconds (`RLIMIT_CPU`: the
 *   kernel sends SIGXCPU), address space (`RLIMIT_AS`: allocations fail),
 *   open files (`RLIMIT_NOFILE`: `open` fails with EMFILE), file size
 *   (`RLIMIT_FSIZE`: the kernel sends SIGXFSZ). Each applies per process.
 * - the host's own sampling of the job's process group every 50 ms: the
 *   number of live processes (a fork bomb; `RLIMIT_NPROC` counts every
 *   process of the user, and not at all for root, so it cannot be a job's
 *   limit) and their resident memory in total. Over either, the group is
 *   killed at once, without grace.
 * A job ended by a limit gets one `job_failed` that names the limit.
 */
import { readOptions } from '../options/reader.js';

/** Limits of one binary's jobs; every field is optional. */
export interface ResourceLimits {
  /** CPU seconds per process (`RLIMIT_CPU`): SIGXCPU at the limit, SIGKILL a second later. */
  readonly cpuSeconds?: number;
  /** Virtual address space per process, in bytes (`RLIMIT_AS`): allocations beyond it fail. */
  readonly addressSpaceBytes?: number;
  /** Open file descriptors per process (`RLIMIT_NOFILE`). */
  readonly openFiles?: number;
  /** Largest file a process may write, in bytes (`RLIMIT_FSIZE`): SIGXFSZ beyond it. */
  readonly fileSizeBytes?: number;
  /** Live processes in the job's process group (sampled by the host): a fork bomb is killed when it passes this. */
  readonly processes?: number;
  /** Resident memory of the job's process group in total, in bytes (sampled by the host). */
  readonly memoryBytes?: number;
}

/** Checks `binaries.<name>.limits`; throws `ERR_INVALID_OPTIONS` naming the field (unknown ones too). */
export function checkLimits(binary: string, limits: unknown): ResourceLimits | undefined {
  if (limits === undefined) return undefined;
  const checked = readOptions(limits, { what: `\`binaries.${binary}.limits\``, prefix: `binaries.${binary}.limits.` }, (read) => {
    const limit = (key: keyof ResourceLimits): number | undefined => read.integer(key, undefined, { min: 1 });
    const all: Record<keyof ResourceLimits, number | undefined> = {
      cpuSeconds: limit('cpuSeconds'),
      addressSpaceBytes: limit('addressSpaceBytes'),
      openFiles: limit('openFiles'),
      fileSizeBytes: limit('fileSizeBytes'),
      processes: limit('processes'),
      memoryBytes: limit('memoryBytes'),
    };
    return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  });
  return Object.freeze(checked);
}

/** True when a limit needs `prlimit` (the kernel's rlimits). */
export function needsRlimits(limits: ResourceLimits | undefined): boolean {
  return limits !== undefined && (limits.cpuSeconds !== undefined || limits.addressSpaceBytes !== undefined || limits.openFiles !== undefined || limits.fileSizeBytes !== undefined);
}

/** True when a limit is enforced by the host's sampling of the group. */
export function needsSampling(limits: ResourceLimits | undefined): boolean {
  return limits !== undefined && (limits.processes !== undefined || limits.memoryBytes !== undefined);
}

/**
 * `prlimit`'s options for `limits`. CPU gets a hard limit one second above the
 * soft one, so the process dies of SIGXCPU (which names the limit) rather than
 * of a SIGKILL that could have come from anywhere.
 */
export function prlimitOptions(limits: ResourceLimits): string[] {
  const options: string[] = [];
  if (limits.cpuSeconds !== undefined) options.push(`--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`);
  if (limits.addressSpaceBytes !== undefined) options.push(`--as=${limits.addressSpaceBytes}`);
  if (limits.openFiles !== undefined) options.push(`--nofile=${limits.openFiles}`);
  if (limits.fileSizeBytes !== undefined) options.push(`--fsize=${limits.fileSizeBytes}`);
  return options;
}

/** `256 MiB`, for messages. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** What a signal that ended a job says about the limits in force, or null. */
export function limitBySignal(limits: ResourceLimits | undefined, signal: string | null): string | null {
  if (limits === undefined || signal === null) return null;
  if (signal === 'SIGXCPU' && limits.cpuSeconds !== undefined) return `the CPU time limit of ${limits.cpuSeconds} s`;
  if (signal === 'SIGXFSZ' && limits.fileSizeBytes !== undefined) return `the file size limit of ${formatBytes(limits.fileSizeBytes)}`;
  return null;
}

/** The limits that make a process fail rather than kill it, named for a failed job's message. */
export function softLimitsInForce(limits: ResourceLimits | undefined): string | null {
  if (limits === undefined) return null;
  const parts: string[] = [];
  if (limits.addressSpaceBytes !== undefined) parts.push(`address space ${formatBytes(limits.addressSpaceBytes)}`);
  if (limits.openFiles !== undefined) parts.push(`open files ${limits.openFiles}`);
  if (limits.cpuSeconds !== undefined) parts.push(`CPU ${limits.cpuSeconds} s`);
  if (limits.fileSizeBytes !== undefined) parts.push(`file size ${formatBytes(limits.fileSizeBytes)}`);
  return parts.length === 0 ? null : parts.join(', ');
}
