/**
 * Fault: the host is not reading (its event loop is busy) while a job fills
 * its stdout pipe and exits. Whatever reached the pipe must still be
 * delivered; and a scripted program's `exit` step must not drop output still
 * queued inside the child behind the full pipe. It used to: the step waited
 * for `drain` only when `writableNeedDrain` was set, which small writes
 * queued behind a full pipe do not set. (Where the pipe holds more than the
 * ~200 KB it holds here, the test cannot fill it and passes either way.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scriptedProgram } from '../../src/testing/program.js';
import { collect, linesOf, makeHost } from '../helpers/host.js';

/** Bytes the process has passed to write(2) so far, or null once it is a zombie or gone. */
function bytesWritten(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return null;
    const wchar = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'latin1'));
    return wchar === null ? null : Number(wchar[1]);
  } catch {
    return null;
  }
}

/** Blocks this event loop (so the host reads nothing) until `pid` has written `bytes`, or exited, or 20 s passed. */
function blockUntilWritten(pid: number, bytes: number): void {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const written = bytesWritten(pid);
    if (written === null || written >= bytes || Date.now() > deadline) return;
  }
}

describe('a host that is not reading when a job fills its pipe and exits', () => {
  it('delivers every line, including those the child queued behind the full pipe before its exit step', async () => {
    const big = 'a'.repeat(149_999);
    const tails = Array.from({ length: 200 }, (_, n) => `tail ${n}`);
    const marker = 'x'.repeat(16_000);
    // A child's stdout is a socket pair holding ~200 KB here: the big line fits whole, the tails
    // fill the rest and queue up inside the child — less than the 16 KiB high-water mark, so
    // writableNeedDrain stays false. The stderr marker goes into the empty stderr pipe and tells
    // the blocked host that the exit step comes next.
    const program = scriptedProgram([{ stdout: big }, { stdout: tails }, { stderr: marker }, { exit: 0 }]);
    const host = makeHost({ maxLineBytes: 1 << 20, binaries: { filler: program.policy } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    jobs.onEvent((event) => {
      if (event.type === 'job_started' && event.pid !== null) blockUntilWritten(event.pid, big.length + 1 + marker.length + 1);
    });

    const id = jobs.spawn({ label: 'filler', binary: 'filler', args: [] });

    expect(await jobs.wait(id)).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(linesOf(events, id)).toEqual([big, ...tails]);
    expect(linesOf(events, id, 'stderr')).toEqual([marker]);
  });
});
