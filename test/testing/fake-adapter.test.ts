import { describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { VcsAdapterClient, VcsAdapterError } from '../../src/vcs/index.js';
import { fakeVcsAdapter } from '../../src/testing/index.js';
import { tempDir } from '../helpers/host.js';

async function withClient<T>(fake: ReturnType<typeof fakeVcsAdapter>, run: (client: VcsAdapterClient) => Promise<T>): Promise<T> {
  const host = new JobHost({ root: tempDir(), binaries: { 'jobhost-vcs-fake': fake.policy }, killGraceMs: 200 });
  try {
    return await run(new VcsAdapterClient({ host, owner: 'vcs', binary: 'jobhost-vcs-fake', timeoutMs: 5_000 }));
  } finally {
    await host.dispose();
  }
}

describe('fakeVcsAdapter', () => {
  it('answers each method as configured and records the requests', async () => {
    await using fake = fakeVcsAdapter({
      capabilities: ['commit', 'protected_targets'],
      methods: {
        revision_id: { result: { revision_id: 'abc1234' } },
        commit: { error: 'nothing to commit', stderr: 'git: nothing added' },
        protected_targets: { raw: 'not json at all' },
      },
    });
    await withClient(fake, async (client) => {
      expect(await client.revisionId()).toEqual({ revision_id: 'abc1234' });
      await expect(client.commit({ goal_id: 'g', goal_title: 't', message: 'm', changed_files: [] })).rejects.toSatisfy(
        (error) => error instanceof VcsAdapterError && error.adapterMessage === 'nothing to commit',
      );
      await expect(client.protectedTargets()).rejects.toMatchObject({ code: 'ERR_VCS_MALFORMED_RESPONSE' });
    });
    expect(fake.requests().map((request) => request.method)).toEqual(['handshake', 'revision_id', 'commit', 'protected_targets']);
  });

  it('can hang, so the client times out and the job is killed', async () => {
    await using fake = fakeVcsAdapter({ methods: { detect: { hang: true } } });
    await withClient(fake, async (client) => {
      await expect(client.detect({ project_root: '/x' }, { timeoutMs: 500 })).rejects.toMatchObject({ code: 'ERR_VCS_TIMEOUT' });
    });
  });

  it('can speak another protocol version', async () => {
    await using fake = fakeVcsAdapter({ protocolVersion: 2 });
    await withClient(fake, async (client) => {
      await expect(client.handshake()).rejects.toMatchObject({ code: 'ERR_VCS_PROTOCOL_VERSION' });
    });
  });
});
