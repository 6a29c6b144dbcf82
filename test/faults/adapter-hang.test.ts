/**
 * Fault: a VCS adapter that never exits — silent, stuck in the handshake,
 * or answering and then staying alive (a leaked timer) while ignoring
 * SIGTERM. The call fails with ERR_VCS_TIMEOUT after its timeout, the
 * adapter's whole process group is gone by then, and its job has exactly one
 * terminal event. An answer alone does not end a call: the exit status
 * decides ("a non-zero exit always wins"), so an adapter that answers but
 * never exits times out too.
 */
import { describe, expect, it } from 'vitest';
import { isTerminalEvent, type JobEvent } from '../../src/contracts/jobs.js';
import type { JobHost } from '../../src/host/job-host.js';
import { groupMembers } from '../../src/process/group.js';
import { fakeVcsAdapter } from '../../src/testing/fake-adapter.js';
import type { BinaryPolicy } from '../../src/policy/binaries.js';
import { VcsAdapterClient } from '../../src/vcs/client.js';
import { VcsAdapterError } from '../../src/vcs/errors.js';
import { collect, makeHost } from '../helpers/host.js';
import { eventsOf, faultProgram, startedPid } from './helpers.js';

/** Long enough for a loaded machine to start node and let the adapter read (and answer) its request first. */
const CALL_TIMEOUT_MS = 4000;

function adapterHost(adapter: BinaryPolicy, timeoutMs: number): { host: JobHost; client: VcsAdapterClient; events: JobEvent[] } {
  const host = makeHost({ killGraceMs: 300, binaries: { 'jobhost-vcs-stuck': adapter } });
  const events = collect(host.forOwner('vcs'));
  const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'jobhost-vcs-stuck', timeoutMs });
  return { host, client, events };
}

async function failure(call: Promise<unknown>): Promise<VcsAdapterError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof VcsAdapterError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The call's job ended once, cancelled by the client's timeout, and left no process behind. */
function expectTimedOutAndGone(events: readonly JobEvent[], error: VcsAdapterError, timeoutMs: number): void {
  expect(error.code).toBe('ERR_VCS_TIMEOUT');
  const id = error.jobId as string;
  const terminals = eventsOf(events, id).filter(isTerminalEvent);
  expect(terminals).toEqual([expect.objectContaining({ type: 'job_cancelled', reason: `timeout after ${timeoutMs} ms` })]);
  expect(eventsOf(events, id).at(-1)).toBe(terminals[0]);
  expect(groupMembers(startedPid(events, id))).toEqual([]);
}

describe('a VCS adapter that never exits', () => {
  it('silent after the request: ERR_VCS_TIMEOUT, its group killed', async () => {
    const fake = fakeVcsAdapter({ methods: { detect: { hang: true } } });
    const { client, events } = adapterHost(fake.policy, 20_000);
    await client.handshake();

    const error = await failure(client.detect({ project_root: '/x' }, { timeoutMs: CALL_TIMEOUT_MS }));

    expectTimedOutAndGone(events, error, CALL_TIMEOUT_MS);
    expect(fake.requests().map((request) => request.method)).toEqual(['handshake', 'detect']);
  });

  it('stuck in the handshake: the call fails with ERR_VCS_TIMEOUT after the client timeout, and nothing else is sent', async () => {
    const fake = fakeVcsAdapter({ methods: { handshake: { hang: true } } });
    const { client, events } = adapterHost(fake.policy, 2000);

    const error = await failure(client.revisionId());

    expect(error.method).toBe('handshake');
    expectTimedOutAndGone(events, error, 2000);
    expect(fake.requests().map((request) => request.method)).toEqual(['handshake']);
  });

  it('answering and then staying alive, ignoring SIGTERM: ERR_VCS_TIMEOUT, killed with SIGKILL after the grace', async () => {
    const { client, events } = adapterHost(faultProgram('answer-then-hang'), 20_000);
    await client.handshake();

    const error = await failure(client.revisionId({ timeoutMs: CALL_TIMEOUT_MS }));

    expectTimedOutAndGone(events, error, CALL_TIMEOUT_MS);
    expect(error.stderr).toContain('answered; staying alive');
    expect(error.stderr).toContain('ignoring SIGTERM');
  });
});
