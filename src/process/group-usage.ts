/**
 * What process groups use right now, from one pass over /proc: how many live
 * processes each has, and their resident memory in total. Linux only; elsewhere
 * nothing is reported (and the sampled limits do not apply).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One group's use. */
export interface GroupUsage {
  processes: number;
  rssBytes: number;
}

let cachedPageSize: number | null = null;

/** The page size, from this process's own resident size in pages (/proc/self/stat) and in kB (/proc/self/status). */
function pageSize(): number {
  if (cachedPageSize !== null) return cachedPageSize;
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    const pages = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[21]);
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'))?.[1]);
    const estimate = (kb * 1024) / pages;
    // the two reads are a moment apart: round to the nearest power of two (4 KiB, 16 KiB, 64 KiB)
    cachedPageSize = Number.isFinite(estimate) && estimate > 0 ? 2 ** Math.round(Math.log2(estimate)) : 4096;
  } catch {
    cachedPageSize = 4096;
  }
  return cachedPageSize;
}

/** The use of each of `groups` (absent: nothing alive in it). */
export function sampleGroups(groups: ReadonlySet<number>): Map<number, GroupUsage> {
  const usage = new Map<number, GroupUsage>();
  if (groups.size === 0 || process.platform !== 'linux') return usage;
  const page = pageSize();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return usage;
  }
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgid = Number(fields[2]);
    if (!groups.has(pgid) || fields[0] === 'Z' || fields[0] === 'X') continue;
    const seen = usage.get(pgid) ?? { processes: 0, rssBytes: 0 };
    seen.processes += 1;
    seen.rssBytes += Number(fields[21]) * page;
    usage.set(pgid, seen);
  }
  return usage;
}
