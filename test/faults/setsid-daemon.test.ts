/**
 * Fault: a job starts a daemon with setsid (here Node's `detached: true`,
 * which calls setsid()). The daemon leads a new session and process group,
 * so the job's group kill — `kill(-pgid)`, the only handle jobhost has on
 * a job's descendants — cannot reach it, and when its parent exits it is
 * reparented to init (or the nearest subreaper) and stops being a
 * descendant of anything jobhost started. That is the documented escape
 * ("What it does not do"). What jobhost does guarantee:
 *
 * - the job still ends, with one terminal event, once its own group is gone;
 * - if the daemon holds the job's stdout/stderr, jobhost stops reading after
 *   max(500 ms, killGraceMs) and says so in a `system` line, instead of
 *   waiting for EOF that may never come.
 *
 * The tests kill the daemons themselves afterwards.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { groupMembers } from '../../src/process/group.js';
import { collect, isAlive, linesOf, makeHost } from '../helpers/host.js';
import { eventsOf, faultProgram, killAfterTest, pidIn, startedPid } from './helpers.js';

/** The system line naming the daemon that holds the pipes (found in /proc: its pid and command name). */
function stoppedReading(daemon: number): string {
  return `[jobhost] stopped reading output: pid ${daemon} (node), outside the job's process group (started with setsid?), still holds its pipes open`;
}

/** Process group and session of `pid`, from /proc. */
function groupAndSession(pid: number): { pgid: number; sid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pgid: Number(fields[2]), sid: Number(fields[3]) };
}

describe('a job that starts a daemon with setsid', () => {
  it('holding the pipes: jobhost finds it in /proc, reads what was buffered, names it, and the job completes; the daemon survives', async () => {
    const host = makeHost({ killGraceMs: 200, binaries: { daemonize: faultProgram('daemonize') } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const id = jobs.spawn({ label: 'daemonize', binary: 'daemonize', args: ['holds-pipes'] });

    const end = await jobs.wait(id);
    const daemon = pidIn(events, id, 'daemon');
    killAfterTest(daemon);

    expect(end).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(linesOf(events, id, 'system')).toEqual([stoppedReading(daemon)]);
    const mine = eventsOf(events, id);
    expect(mine.filter(isTerminalEvent)).toEqual([end]);
    expect(mine.at(-1)).toBe(end);
    // why: the daemon is the leader of its own session and group, outside the job's group
    const pid = startedPid(events, id);
    expect(groupAndSession(daemon)).toEqual({ pgid: daemon, sid: daemon });
    expect(groupMembers(pid)).toEqual([]);
    expect(isAlive(daemon)).toBe(true);
  });

  it('with its stdio elsewhere: the job completes at once, without the system line; the daemon outlives even dispose()', async () => {
    const host = makeHost({ killGraceMs: 200, binaries: { daemonize: faultProgram('daemonize') } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    const id = jobs.spawn({ label: 'daemonize', binary: 'daemonize', args: [] });

    const end = await jobs.wait(id);
    const daemon = pidIn(events, id, 'daemon');
    killAfterTest(daemon);

    expect(end).toMatchObject({ type: 'job_completed', exit_code: 0 });
    expect(linesOf(events, id, 'system')).toEqual([]);
    await host.dispose();
    expect(isAlive(daemon)).toBe(true);
  });

  it('a cancelled job that left a daemon holding its pipes still ends with job_cancelled and the system line', async () => {
    const host = makeHost({ killGraceMs: 200, binaries: { daemonize: faultProgram('daemonize'), sh: {} } });
    const jobs = host.forOwner('p');
    const events = collect(jobs);
    // sh starts the daemonizer (which hands the pipes to its daemon), then waits to be cancelled
    const id = jobs.spawn({ label: 'sh', binary: 'sh', args: ['-c', `"$0" holds-pipes; echo waiting; exec sleep 1000`, host.binaries.get('daemonize') as string] });
    const waiting = new Promise<void>((resolve) => jobs.onEvent((event) => event.type === 'job_log_line' && event.line === 'waiting' && resolve()));
    await waiting;
    const daemon = pidIn(events, id, 'daemon');
    killAfterTest(daemon);

    expect(jobs.cancel(id, 'user')).toBe(true);
    const end = await jobs.wait(id);

    expect(end).toMatchObject({ type: 'job_cancelled', reason: 'user' });
    expect(linesOf(events, id, 'system')).toEqual([stoppedReading(daemon)]);
    expect(groupMembers(startedPid(events, id))).toEqual([]);
    expect(isAlive(daemon)).toBe(true);
  });
});
