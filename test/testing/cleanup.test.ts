import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobHost } from '../../src/host/job-host.js';
import { fakeVcsAdapter, jobhostTest, scriptedProgram } from '../../src/testing/index.js';
import { VcsAdapterClient } from '../../src/vcs/index.js';

// os.tmpdir() reads TMPDIR on every call, so this file (a worker of its own) counts in a private
// temp dir that no other test file writes to: the counts are exact even when files run in parallel.
const realTmp = tmpdir();
const privateTmp = mkdtempSync(join(realTmp, 'kit-cleanup-'));
const savedTmp = process.env.TMPDIR;
process.env.TMPDIR = privateTmp;
afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(privateTmp, { recursive: true, force: true });
});

const kitFolders = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('jobhost-'));

const test = jobhostTest({ programs: { hello: [{ stdout: 'hello' }] } });

describe('the testing kit leaves no folders behind', () => {
  let before: string[] = [];

  it('(baseline)', () => {
    expect(tmpdir()).toBe(privateTmp);
    before = kitFolders();
  });

  test('the host fixture, with programs and a root', async ({ jobs, root }) => {
    await expect(jobs.run({ label: 'h', binary: 'hello', args: [] })).resolves.toMatchObject({ type: 'job_completed' });
    const during = kitFolders();
    expect(during).toContainEqual(expect.stringMatching(/^jobhost-programs-/));
    expect(during).toContain(root.split('/').at(-1));
  });

  it('removes the root and the programs folder when the fixture is torn down', () => {
    expect(kitFolders()).toEqual(before);
  });

  it('scriptedProgram: dispose() and await using', async () => {
    const start = kitFolders();
    const program = scriptedProgram([{ stdout: 'x' }]);
    expect(kitFolders()).toContain(dirname(program.path).split('/').at(-1));
    await program.dispose();
    await program.dispose();
    expect(kitFolders()).toEqual(start);
    {
      await using scoped = scriptedProgram([{ stdout: 'y' }]);
      expect(kitFolders()).toHaveLength(start.length + 1);
      expect(scoped.policy).toEqual({ path: scoped.path });
    }
    expect(kitFolders()).toEqual(start);
  });

  it('scriptedProgram in a caller-given dir removes only its executable', async () => {
    const start = kitFolders();
    const dir = mkdtempSync(join(tmpdir(), 'jobhost-mine-'));
    const program = scriptedProgram([{ stdout: 'x' }], { dir, name: 'p' });
    await program.dispose();
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
    expect(kitFolders()).toEqual(start);
  });

  it('fakeVcsAdapter: dispose() after use, and await using', async () => {
    const start = kitFolders();
    const fake = fakeVcsAdapter({ methods: { revision_id: { result: { revision_id: 'abc' } } } });
    const root = mkdtempSync(join(tmpdir(), 'jobhost-root-'));
    const host = new JobHost({ root, binaries: { fake: fake.policy }, killGraceMs: 200 });
    try {
      const client = new VcsAdapterClient({ host, owner: 'vcs', binary: 'fake', timeoutMs: 5_000 });
      expect(await client.revisionId()).toEqual({ revision_id: 'abc' });
    } finally {
      await host.dispose();
      rmSync(root, { recursive: true, force: true });
    }
    expect(fake.requests().map((request) => request.method)).toEqual(['handshake', 'revision_id']);
    await fake.dispose();
    expect(kitFolders()).toEqual(start);
    {
      await using scoped = fakeVcsAdapter();
      expect(kitFolders()).toContain(dirname(scoped.path).split('/').at(-1));
    }
    expect(kitFolders()).toEqual(start);
  });
});
