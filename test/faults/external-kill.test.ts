/**
 * Fault: something outside jobhost (the OOM killer, a user's `kill -9`)
 * SIGKILLs a job's process. The job must still end with exactly one terminal
 * event that says so, and take the rest of its process group with it.
 */
import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from '../../src/contracts/jobs.js';
import { groupMembers } from '../../src/process/group.js';
import { scriptedProgram } from '../../src/testing/program.js';
import { collect, isAlive, makeHost, nextEvent } from '../helpers/host.js';
import { eventsOf, pidIn, startedPid } from './helpers.js';

function victimHost(killGraceMs = 1000) {
  // a leader that leaves a grandchild in its group, says so, and then waits forever
  const victim = scriptedProgram([{ grandchild: true }, { stdout: 'ready' }, { hang: true }]);
  const stubborn = scriptedProgram([{ ignoreSigterm: true }, { grandchild: true }, { stdout: 'ready' }, { hang: true }]);
  const jobs = makeHost({ killGraceMs, binaries: { victim: victim.policy, stubborn: stubborn.policy } }).forOwner('p');
  return { jobs, events: collect(jobs) };
}

describe('a job process SIGKILLed from outside', () => {
  it('ends the job with job_failed "killed by signal SIGKILL", after its grandchild is gone too', async () => {
    const { jobs, events } = victimHost();
    const id = jobs.spawn({ label: 'victim', binary: 'victim', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id && event.line === 'ready');
    const pid = startedPid(events, id);
    const grandchild = pidIn(events, id, 'grandchild');

    process.kill(pid, 'SIGKILL'); // only the leader: the grandchild is jobhost's to clean up

    expect(await jobs.wait(id)).toMatchObject({ type: 'job_failed', exit_code: null, error: 'killed by signal SIGKILL' });
    expect(isAlive(grandchild)).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
    const mine = eventsOf(events, id);
    expect(mine[0]?.type).toBe('job_started');
    expect(mine.filter(isTerminalEvent)).toHaveLength(1);
    expect(mine.at(-1)?.type).toBe('job_failed');
  });

  it('ends the job the same way when the whole group is SIGKILLed at once', async () => {
    const { jobs, events } = victimHost();
    const id = jobs.spawn({ label: 'victim', binary: 'victim', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id && event.line === 'ready');
    const pid = startedPid(events, id);

    process.kill(-pid, 'SIGKILL');

    expect(await jobs.wait(id)).toMatchObject({ type: 'job_failed', exit_code: null, error: 'killed by signal SIGKILL' });
    expect(groupMembers(pid)).toEqual([]);
    expect(jobs.cancel(id)).toBe(false);
  });

  it('a kill from outside during the grace of a cancel: the cancel wins, and it ends at once, not after the grace', async () => {
    // a grace far longer than any test timeout: the job can only end early if the outside SIGKILL is noticed
    const { jobs, events } = victimHost(600_000);
    const id = jobs.spawn({ label: 'stubborn', binary: 'stubborn', args: [] });
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id && event.line === 'ready');
    const pid = startedPid(events, id);

    expect(jobs.cancel(id, 'user pressed stop')).toBe(true);
    // the leader ignores SIGTERM, so after the cancel it is still there, and jobhost waits for the grace
    await nextEvent(jobs, (event) => event.type === 'job_log_line' && event.job_id === id && event.line === 'ignoring SIGTERM');
    process.kill(-pid, 'SIGKILL');

    expect(await jobs.wait(id)).toMatchObject({ type: 'job_cancelled', reason: 'user pressed stop' });
    expect(groupMembers(pid)).toEqual([]);
  });
});
